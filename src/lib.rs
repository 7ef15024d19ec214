//! imgtools: the library behind `imglint` and `imgdive`.
//!
//! Data flows one way:
//! - bytes → [`dockerfile`] (syntax) → [`lint`] (findings) → [`report`]
//! - [`image`] sources → layers → trees → metrics → [`tui`] (view)

pub mod dockerfile;
pub mod image;
pub mod lint;
pub mod report;
pub mod shell;
pub mod tui;
