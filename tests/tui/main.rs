//! The TUI's integration tests, one test binary: state and keys on the committed demo image
//! (`demo`) and the real binary in a real terminal under tmux (`e2e`).

mod bridge;
mod demo;
mod e2e;
mod format_metadata;
mod frames;
#[path = "../shared/planted.rs"]
mod planted;
