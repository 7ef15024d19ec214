# The second version of diff-a (see there): data.txt grows, version's content changes, run.sh
# becomes executable, link points elsewhere, gone is gone, new.bin is new, same is the same.
# exports: docker-archive oci-gzip
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
RUN mkdir -p /app && seq 1 5000 > /app/data.txt && echo v2 > /app/version && echo same > /app/same \
 && head -c 30000 /dev/zero > /app/new.bin && echo 'echo hi' > /app/run.sh && chmod 755 /app/run.sh \
 && ln -s data.txt /app/link
