FROM alpine
EXPOSE \
# Port
80
