ARG VARIANT
FROM busybox:stable${VARIANT}
