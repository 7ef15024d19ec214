FROM alpine AS builder-base
