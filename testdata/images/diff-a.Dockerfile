# The first of two versions of one image for `imgdive diff` (issue #12, part 2); diff-b is the
# second. Both share their first two layers (same diff_ids: --timestamp makes them identical).
# exports: docker-archive oci-gzip
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
RUN mkdir -p /app && seq 1 1000 > /app/data.txt && echo v1 > /app/version && echo same > /app/same \
 && echo gone > /app/gone && echo 'echo hi' > /app/run.sh && chmod 644 /app/run.sh \
 && ln -s version /app/link
