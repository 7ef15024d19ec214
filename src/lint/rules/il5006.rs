//! IL5006: world-writable permissions.

use crate::dockerfile::ast::Keyword;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::run_commands;

pub static RULE: Rule = Rule {
    code: "IL5006",
    name: "world-writable",
    category: Category::Security,
    severity: Severity::Warning,
    summary: "Do not make files world-writable (chmod 777)",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/IL5006.md"),
    check,
};

fn world_writable(mode: &str) -> bool {
    let m = mode.trim_start_matches('0');
    if !m.is_empty() && m.len() <= 4 && m.chars().all(|c| ('0'..='7').contains(&c)) {
        let other = m.chars().last().and_then(|c| c.to_digit(8)).unwrap_or(0);
        return other & 2 != 0 && m.len() >= 3;
    }
    // Symbolic: `a+w`, `o+rwx`, `ugo+w`, `a=rwx`.
    mode.split(',').any(|clause| {
        let (who, perms) = match clause.find(['+', '=']) {
            Some(i) => (&clause[..i], &clause[i + 1..]),
            None => return false,
        };
        (who.contains('a') || who.contains('o')) && perms.contains('w')
    })
}

const MESSAGE: &str = "World-writable files let any process in the container (any UID) replace code or data: give ownership to the runtime user and use 755/644 (or 775 with a shared group)";

fn check(ctx: &Context, sink: &mut Sink) {
    for (_, _, cmd) in run_commands(ctx) {
        if !cmd.is("chmod") {
            continue;
        }
        if let Some(mode) = cmd.positionals(&["--reference"]).first()
            && world_writable(&mode.value)
        {
            // /tmp-like dirs with the sticky bit (1777) are the standard exception.
            if mode.value.trim_start_matches('0').len() == 4
                && mode.value.trim_start_matches('0').starts_with('1')
            {
                continue;
            }
            sink.report(mode.span, MESSAGE);
        }
    }
    for instr in &ctx.dockerfile.instructions {
        if matches!(instr.keyword, Keyword::Copy | Keyword::Add)
            && let Some(flag) = instr.flag("chmod")
        {
            let mode = flag.value.as_ref().map(|v| v.value.as_str()).unwrap_or("");
            if world_writable(mode) {
                sink.report(flag.span, MESSAGE);
            }
        }
    }
}
