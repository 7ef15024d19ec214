//! The linter: rules over a parsed Dockerfile, configuration, pragmas, findings.

pub mod rule;
pub mod rules;
