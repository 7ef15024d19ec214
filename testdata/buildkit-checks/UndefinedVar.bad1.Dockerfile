FROM alpine AS base
COPY $foo .
