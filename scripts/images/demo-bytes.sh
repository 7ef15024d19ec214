#!/usr/bin/env bash
# Prints 2 KiB of fixed, non-text bytes (the demo image's blob.bin, shown as a hex summary).
for i in $(seq 0 127); do
  printf '\x7fELF\x02\x01\x01\x00'
  printf "\\x$(printf %02x "$i")"
  printf '\x00\xff\xfe\x10\x20\x30\x40'
done
