FROM node:22${VARIANT} AS jsbuilder
