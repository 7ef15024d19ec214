FROM scratch
COPY ./tmp/helloworld.txt /helloworld.txt
