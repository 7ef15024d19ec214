# A two-platform image (linux/amd64, linux/arm64) for the registry's manifest-list resolution.
# COPY only, so building the foreign platform needs no emulator. PLATFORM is set by
# scripts/images/build.sh; each platform gets a file of a different size.
FROM scratch
ARG PLATFORM
COPY ${PLATFORM}.txt /platform.txt
