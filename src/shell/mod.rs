//! RUN bodies → commands, words, flags (a real shell parser).
