# The benchmark image for scripts/bench-imgdive.sh (CI does not build it): about 1.1 GB in
# 17 layers and 110k files. Content is base64 of random bytes: it does not shrink much under gzip
# (~75 %) but still makes inflate do real Huffman decoding, unlike pure random data, which gzip
# stores raw. Some layers waste space (delete, chmod -R, overwrite) so the waste metrics work too.
# exports: docker-archive oci-gzip
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
RUN mkdir -p /d/01 && cd /d/01 && head -c 50000000 /dev/urandom | base64 > big.txt \
 && head -c 6400000 /dev/urandom | base64 -w 990 \
    | awk '{ f = "f" NR; print > f; close(f) }'
RUN mkdir -p /d/02 && cd /d/02 && head -c 50000000 /dev/urandom | base64 > big.txt \
 && head -c 6400000 /dev/urandom | base64 -w 990 \
    | awk '{ f = "f" NR; print > f; close(f) }'
RUN mkdir -p /d/03 && cd /d/03 && head -c 50000000 /dev/urandom | base64 > big.txt \
 && head -c 6400000 /dev/urandom | base64 -w 990 \
    | awk '{ f = "f" NR; print > f; close(f) }'
RUN mkdir -p /d/04 && cd /d/04 && head -c 50000000 /dev/urandom | base64 > big.txt \
 && head -c 6400000 /dev/urandom | base64 -w 990 \
    | awk '{ f = "f" NR; print > f; close(f) }'
RUN mkdir -p /d/05 && cd /d/05 && head -c 50000000 /dev/urandom | base64 > big.txt \
 && head -c 6400000 /dev/urandom | base64 -w 990 \
    | awk '{ f = "f" NR; print > f; close(f) }'
RUN mkdir -p /d/06 && cd /d/06 && head -c 50000000 /dev/urandom | base64 > big.txt \
 && head -c 6400000 /dev/urandom | base64 -w 990 \
    | awk '{ f = "f" NR; print > f; close(f) }'
RUN mkdir -p /d/07 && cd /d/07 && head -c 50000000 /dev/urandom | base64 > big.txt \
 && head -c 6400000 /dev/urandom | base64 -w 990 \
    | awk '{ f = "f" NR; print > f; close(f) }'
RUN mkdir -p /d/08 && cd /d/08 && head -c 50000000 /dev/urandom | base64 > big.txt \
 && head -c 6400000 /dev/urandom | base64 -w 990 \
    | awk '{ f = "f" NR; print > f; close(f) }'
RUN mkdir -p /d/09 && cd /d/09 && head -c 50000000 /dev/urandom | base64 > big.txt \
 && head -c 6400000 /dev/urandom | base64 -w 990 \
    | awk '{ f = "f" NR; print > f; close(f) }'
RUN mkdir -p /d/10 && cd /d/10 && head -c 50000000 /dev/urandom | base64 > big.txt \
 && head -c 6400000 /dev/urandom | base64 -w 990 \
    | awk '{ f = "f" NR; print > f; close(f) }'
RUN mkdir -p /d/11 && cd /d/11 && head -c 50000000 /dev/urandom | base64 > big.txt \
 && head -c 6400000 /dev/urandom | base64 -w 990 \
    | awk '{ f = "f" NR; print > f; close(f) }'
RUN mkdir -p /d/12 && cd /d/12 && head -c 50000000 /dev/urandom | base64 > big.txt \
 && head -c 6400000 /dev/urandom | base64 -w 990 \
    | awk '{ f = "f" NR; print > f; close(f) }'
RUN mkdir -p /d/13 && cd /d/13 && head -c 50000000 /dev/urandom | base64 > big.txt \
 && head -c 6400000 /dev/urandom | base64 -w 990 \
    | awk '{ f = "f" NR; print > f; close(f) }'
RUN rm -rf /d/01 && chmod -R g+w /d/02
RUN head -c 20000000 /dev/urandom | base64 > /d/03/big.txt && rm -f /d/04/f1*
