# The "bridge" test image (issue #11): what imgdive --dockerfile and imglint --image must tie to
# Dockerfile lines. Built by scripts/images/build.sh from scratch plus Debian's static busybox.
# No network: `apt-get` is context/bridge/apt-get, a busybox script that writes what a real
# `apt-get update && apt-get install` leaves behind (package lists, cached .debs, the files).
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
COPY apt-get /usr/bin/apt-get
ARG BLOB_LINES=1800000
# 13.3 MB written here and deleted at the last RUN: still stored in this layer.
RUN mkdir -p /tmp && seq 1 $BLOB_LINES > /tmp/build-output.txt
# A deploy key copied in and deleted later: still shipped in this layer.
COPY deploy_key /root/.ssh/id_ed25519
# Package lists and .deb cache left in the layer (DL3009).
RUN apt-get update && apt-get install -y --no-install-recommends curl
# A token passed as a build argument: the builder records it in the history of each later RUN.
ARG GITHUB_TOKEN=ghp_imgtoolsTestFixtureNotARealToken0000
RUN rm /tmp/build-output.txt /root/.ssh/id_ed25519
CMD ["/bin/sh"]
