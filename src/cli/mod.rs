//! The application layer: the two command lines. Each parses arguments, drives the library's
//! layers in order and maps the outcome to an exit code; nothing in the library imports them.

#[cfg(feature = "imgdive")]
pub mod cache;
#[cfg(feature = "imgdive")]
pub mod diff;
#[cfg(feature = "imgdive")]
pub mod dive;
#[cfg(feature = "imgdive")]
pub mod extract;
pub mod lint;
#[cfg(feature = "imgdive")]
pub mod read;
