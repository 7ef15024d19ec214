//! IL6112: a comment right above FROM … AS / ARG does not start with the name it describes
//! (BuildKit's experimental InvalidDefinitionDescription).

use crate::dockerfile::ast::Keyword;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "IL6112",
    name: "invalid-definition-description",
    category: Category::Style,
    severity: Severity::Info,
    summary: "A comment right above a named stage or an ARG should start with its name",
    aliases: &["InvalidDefinitionDescription"],
    opt_in: true,
    doc: include_str!("../../../rules/IL6112.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    let df = ctx.dockerfile;
    for instr in &df.instructions {
        let names: Vec<&str> = match instr.keyword {
            Keyword::Arg => instr.pairs.iter().map(|p| p.key.value.as_str()).collect(),
            Keyword::From => df
                .stages
                .iter()
                .find(|s| df.instructions[s.from_instruction].span == instr.span)
                .and_then(|s| s.name.as_deref())
                .into_iter()
                .collect(),
            _ => continue,
        };
        if names.is_empty() {
            continue;
        }
        // BuildKit reads the comment on the line directly above; an empty `#` line (or a blank
        // line) ends a description block.
        let above = instr.span.start.line.saturating_sub(1);
        let Some(comment) = df.comments.iter().find(|c| c.span.start.line == above) else {
            continue;
        };
        let text = comment.text.trim();
        if text.is_empty() {
            continue;
        }
        let first_word = text.split(' ').next().unwrap_or("");
        if names.contains(&first_word) {
            continue;
        }
        let example = if names.len() > 1 {
            "<arg_key>"
        } else {
            names[0]
        };
        sink.report(
            instr.span,
            format!(
                "Comment for {} should follow the format: `# {example} <description>` (or separate it from the instruction with an empty line)",
                instr.keyword.as_str().to_ascii_uppercase()
            ),
        );
    }
}
