from debian:latest as deb-builder
