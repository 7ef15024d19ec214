# The "config" test image: every setting the config can hold for the config tests (values are
# compared with `skopeo inspect --config`), and a file a later layer deletes (for extract).
# Built in buildah's default OCI format, which has no HEALTHCHECK or ONBUILD (Docker-only
# settings; the unit tests cover those).
# exports: docker-archive oci-gzip
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
RUN mkdir -p /srv/app/conf /data \
 && echo 'token=kept-in-layer-2' > /srv/app/conf/old.ini && chmod 640 /srv/app/conf/old.ini \
 && seq 1 100 > /srv/app/data.txt && ln -s data.txt /srv/app/current
RUN rm /srv/app/conf/old.ini
USER 1000:1000
WORKDIR /srv/app
ENV APP_MODE=production GREETING="hello world"
EXPOSE 8080/tcp 53/udp
VOLUME ["/data"]
LABEL org.opencontainers.image.title="imgdive config test" team="tools"
STOPSIGNAL SIGTERM
ENTRYPOINT ["/bin/sh", "-c"]
CMD ["echo ready"]
