FROM alpine AS base
ARG foo
COPY $foo .
