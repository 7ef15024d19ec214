//! Reporters: findings → tty, json, sarif, checkstyle, gitlab, github, gnu.
