//! The linter: rules over a parsed Dockerfile, configuration, pragmas, findings.
//!
//! Data flows one way: files ([`discover`]) and configuration ([`config`]) → [`engine`] (parse,
//! rules, [`pragma`]s, overrides) → findings → `report`. [`cli`] wires it to the command line.

pub mod cli;
pub mod config;
pub mod discover;
pub mod engine;
pub mod env;
pub mod pragma;
pub mod rule;
pub mod rules;

pub use engine::{Finding, LintedFile};
