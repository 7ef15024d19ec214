FROM alpine
ENTRYPOINT ["echo", "Hello, Norway!\nHello, Sweden!"]
