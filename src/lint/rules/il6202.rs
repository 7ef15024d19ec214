//! IL6202: a pragma suppresses nothing (opt-in, like ruff's unused-noqa).
//!
//! Whether a suppression was used is only known once every other rule has run, so the engine
//! reports this rule's findings itself; the check below has nothing to look at.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "IL6202",
    name: "unused-pragma",
    category: Category::Maintainability,
    severity: Severity::Info,
    summary: "A suppression comment suppresses no finding",
    aliases: &[],
    opt_in: true,
    doc: include_str!("../../../rules/IL6202.md"),
    check,
};

fn check(_: &Context, _: &mut Sink) {}
