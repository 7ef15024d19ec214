# The "squashed" test image: built WITHOUT `--layers`, so buildah commits the whole build as one
# layer and marks every history entry but the last empty (imgdive --dockerfile must attribute
# that layer to the span of instructions it holds).
# build: no-layers
FROM scratch
COPY busybox /bin/busybox
ARG LINES=3000
RUN ["/bin/busybox", "--install", "-s", "/bin"]
ENV APP_HOME=/app
RUN seq 1 $LINES > /numbers.txt && \
    echo done
WORKDIR /app
COPY busybox ./bb
CMD ["/bin/sh"]
