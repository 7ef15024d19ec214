ENV DEPS="\
    curl \
    git \
    make"
