FROM alpine AS builder
RUN apk add --no-cache git
