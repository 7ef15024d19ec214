//! The imgdive terminal UI: state, update (key → state), view (one module per pane).
//!
//! Data flows one way: the analysed [`Image`](crate::image::model::Image) goes into [`State`],
//! events go through [`update`] into the state, and [`view::draw`] turns the state into a frame.
//! On a big image the state asks [`worker`] for new tree rows off the UI thread.
//! [`app`] owns the terminal.

pub mod app;
pub mod config;
pub mod content;
pub mod keys;
pub mod rows;
pub mod state;
pub mod update;
pub mod view;
pub mod worker;

pub use app::{
    Options, load_with_options, load_with_progress, restore_terminal, run, run_loading, run_source,
};
pub use state::State;

#[cfg(test)]
mod tests;
