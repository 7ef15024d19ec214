//! DL3046: useradd without flag -l and high UID will result in excessively large Image.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::run_commands;

pub static RULE: Rule = Rule {
    code: "DL3046",
    name: "useradd-lastlog",
    category: Category::Correctness,
    severity: Severity::Warning,
    summary: "useradd without flag -l and high UID will result in excessively large Image",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3046.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for (_, _, cmd) in run_commands(ctx) {
        if !cmd.is("useradd") || cmd.has_flag(&["-l", "--no-log-init"]) {
            continue;
        }
        let Some(uid) = cmd.flag_value(&["-u", "--uid"]) else {
            continue;
        };
        if uid.len() > 5 && uid.chars().all(|c| c.is_ascii_digit()) {
            let at = cmd
                .find_flag(&["-u", "--uid"])
                .map(|w| w.span)
                .unwrap_or(cmd.name.span);
            sink.report(at, format!("UID {uid} without `-l` makes /var/log/lastlog a huge sparse file that layers store in full: add `--no-log-init`"));
        }
    }
}
