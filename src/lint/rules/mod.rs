//! The rule registry: one line per rule, one file per rule.

use super::rule::Rule;

pub mod facts;

/// Every rule, in code order.
pub static REGISTRY: &[&Rule] = &[];
