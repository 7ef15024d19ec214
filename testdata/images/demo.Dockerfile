# The demo image for `imgdive testdata/images/demo.tar` (built by scripts/images/build-demo.sh).
# It shows, in a few KB: an added tree, a file overwritten later, a file deleted later and a
# chmod-only layer. No shell lands in the image: busybox lives only in the `tools` stage and is
# bind-mounted at /busybox into each RUN.
FROM scratch AS tools
COPY busybox /bin/busybox

FROM scratch
COPY rootfs/ /
COPY --chown=1000:1000 home/ /home/demo/
ENV APP_HOME=/app
RUN --mount=type=bind,from=tools,source=/bin/busybox,target=/busybox ["/busybox", "sh", "-c", "mkdir -p /app/cache /var/log && seq 1 2000 > /app/cache/build.log && echo 'debug=true' > /app/config.ini && ln -s /app/bin/hello.sh /usr/local/bin/hello"]
RUN --mount=type=bind,from=tools,source=/bin/busybox,target=/busybox ["/busybox", "sh", "-c", "rm /app/cache/build.log && echo 'debug=false' > /app/config.ini && echo 'release 1.0' >> /etc/motd"]
RUN --mount=type=bind,from=tools,source=/bin/busybox,target=/busybox ["/busybox", "chmod", "-R", "go-w,a+rX", "/app"]
LABEL org.opencontainers.image.title="imgdive demo"
CMD ["/app/bin/hello.sh"]
