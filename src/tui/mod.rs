//! The imgdive terminal UI: state, update (key → state), view (one module per pane).
