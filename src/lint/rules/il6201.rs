//! IL6201: a pragma names a rule that does not exist.

use crate::lint::names::{is_known, suggest};
use crate::lint::pragma;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "IL6201",
    name: "unknown-rule-in-pragma",
    category: Category::Maintainability,
    severity: Severity::Warning,
    summary: "A suppression comment names a rule that does not exist",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/IL6201.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    let pragmas = pragma::collect(ctx.dockerfile, None);
    let names = pragmas
        .entries
        .iter()
        .map(|e| (e.name.as_str(), e.origin))
        .chain(pragmas.experimental.iter().map(|(n, s)| (n.as_str(), *s)));
    for (name, origin) in names {
        if name == "*" || is_known(name) {
            continue;
        }
        let hint = suggest(name)
            .map(|s| format!(" (did you mean {s}?)"))
            .unwrap_or_default();
        sink.report(
            origin,
            format!("Unknown rule `{name}`{hint}: this pragma suppresses nothing"),
        );
    }
}
