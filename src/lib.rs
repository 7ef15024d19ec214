//! imgtools: the library behind `imglint` and `imgdive`.
//!
//! Data flows one way; a module imports only modules to its left:
//! - bytes → [`dockerfile`] (syntax) → [`shell`] (RUN scripts) → [`lint`] (findings) → [`report`]
//! - `image` sources → layers → trees → metrics → `tui` (view)
//!
//! [`cli`] sits on top of both chains: it parses the command lines, drives the layers in that
//! order and maps the outcome to exit codes. Nothing below imports it. Leaf modules any layer
//! may use: [`size`] (human sizes), [`text`] (unsafe characters), [`pretty_json`] (the JSON
//! layout both tools write), [`output_format`] (the format names config files and `--format`
//! share).
//!
//! The image half (`image`, `tui`, `cli::dive`) and its dependencies (tar, compression,
//! registry and Docker clients, async runtime, terminal UI) are behind the `imgdive` cargo
//! feature, so the linter builds without them (`cargo install --path .` builds `imglint` only).

pub mod cli;
pub mod dockerfile;
#[cfg(feature = "imgdive")]
pub mod image;
pub mod lint;
pub mod output_format;
pub mod pretty_json;
pub mod report;
pub mod shell;
pub mod size;
pub mod text;
#[cfg(feature = "imgdive")]
pub mod tui;
