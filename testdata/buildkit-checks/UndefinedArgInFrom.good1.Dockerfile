ARG VARIANT="-alpine3.20"
FROM node:22${VARIANT} AS jsbuilder
