//! The linter: rules over a parsed Dockerfile, configuration, pragmas, findings.
//!
//! Data flows one way: files ([`discover`]) and configuration ([`config`]) → [`engine`] (parse,
//! rules, [`pragma`]s, overrides) → findings, which `report` renders. The command line that wires
//! them together lives above both, in `crate::cli::lint`.

pub mod config;
pub mod discover;
pub mod engine;
pub mod env;
pub mod fix;
pub mod names;
pub mod pragma;
pub mod rule;
pub mod rules;
pub mod secrets;
pub mod shellcheck;

pub use engine::{Finding, LintedFile};
