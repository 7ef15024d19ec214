//! DL3045: COPY to a relative destination without WORKDIR set.

use crate::dockerfile::ast::Keyword;
use crate::dockerfile::stages::stage_chain;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "DL3045",
    name: "copy-relative-no-workdir",
    category: Category::Correctness,
    severity: Severity::Warning,
    summary: "COPY to a relative destination without WORKDIR set",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3045.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    let df = ctx.dockerfile;
    for stage in &df.stages {
        let chain = stage_chain(df, stage.index);
        let parent_has_workdir = chain[1..].iter().any(|&s| {
            df.stage_instructions(&df.stages[s])
                .iter()
                .any(|i| i.keyword == Keyword::Workdir)
        });
        let mut workdir = parent_has_workdir;
        for instr in df.stage_instructions(stage) {
            match instr.keyword {
                Keyword::Workdir => workdir = true,
                Keyword::Copy if !workdir => {
                    let Some(dest) = instr.args.last() else {
                        continue;
                    };
                    let v = dest.value.trim_matches('"');
                    let absolute = v.starts_with('/')
                        || v.starts_with('$')
                        || (v.len() >= 2 && v.as_bytes()[1] == b':');
                    if !absolute && instr.args.len() >= 2 {
                        sink.report(dest.span, format!("`{v}` is relative to the base image's WORKDIR, which may change: set WORKDIR first or use an absolute path"));
                    }
                }
                _ => {}
            }
        }
    }
}
