# The "waste" test image: every kind of change imgdive must account for, in small layers.
# Built by scripts/images/build.sh from scratch plus Debian's static busybox (no network pulls).
# expect: opaque-whiteout
FROM scratch
COPY busybox /bin/busybox
# Layer 2: busybox applets as symlinks (/bin/sh -> busybox ...).
RUN ["/bin/busybox", "--install", "-s", "/bin"]
# Layer 3: content that later layers waste: a temp file, a directory, a file to overwrite,
# a hardlink and a symlink; and two empty files whose names hold an escape sequence and a
# newline (every output must show them escaped).
RUN mkdir -p /data/cache /data/keep \
 && seq 1 30000 > /data/tmp.bin \
 && seq 1 4000 > /data/cache/a.txt \
 && seq 1 6000 > /data/cache/b.txt \
 && mkdir /data/cache/sub && seq 1 500 > /data/cache/sub/c.txt \
 && seq 1 8000 > /data/over.txt \
 && seq 1 2000 > /data/keep/original \
 && ln /data/keep/original /data/keep/hardlink \
 && ln -s ../keep/original /data/keep/symlink \
 && ln -s /data/over.txt /data/over-link \
 && touch "/data/$(printf 'esc\033[31mred')" "/data/$(printf 'new\nline')"
# Layer 4: a file created in layer 3 and deleted here (a `.wh.tmp.bin` whiteout).
RUN rm /data/tmp.bin
# Layer 5: a directory removed and recreated in one step (an opaque whiteout `.wh..wh..opq`).
RUN rm -rf /data/cache && mkdir /data/cache && seq 1 100 > /data/cache/new.txt
# Layer 6: a file overwritten with new content.
RUN seq 1 9000 > /data/over.txt
# Layer 7: metadata-only change of everything under /data (copies every file again).
RUN chmod -R g+w /data
CMD ["/bin/sh"]
