FROM alpine
EXPOSE 80/tcp
