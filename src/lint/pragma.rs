//! Suppression comments: what a Dockerfile says about which findings to drop.
//!
//! - `# imglint ignore=A,B` / `# hadolint ignore=A,B`: the next instruction.
//! - `# imglint global ignore=…` / `# hadolint global ignore=…`: the whole file, wherever it is.
//! - `# imglint stage ignore=…` / `# hadolint stage ignore=…` directly above a FROM: that stage.
//! - BuildKit's `# check=skip=A,B` (or `skip=all`) parser directive: the whole file; the same
//!   text as a comment directly above an instruction: that instruction (above a FROM: the stage).
//!
//! A reason may follow the list after whitespace (`# hadolint ignore=DL3008 # pinned upstream`,
//! `# check=skip=X // why`).

use crate::dockerfile::ast::{Dockerfile, Keyword, Span};

/// One name suppressed over a range of lines, and the pragma that said so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// A rule name as written (`*` for `check=skip=all` above an instruction).
    pub name: String,
    /// Findings starting on `first..=last` are suppressed (the whole file for global forms).
    pub first: u32,
    pub last: u32,
    /// The comment or directive that holds the name.
    pub origin: Span,
}

/// Which findings a file suppresses, and which BuildKit experimental checks it turns on. Names
/// are matched later against a rule's code, name and aliases.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Suppressions {
    pub entries: Vec<Entry>,
    /// `# check=skip=all`: every lint check (parse errors still surface).
    pub skip_all_checks: bool,
    /// `# check=error=true`: BuildKit fails the build on any check.
    pub checks_are_errors: bool,
    /// `# check=experimental=A,B`: opt-in BuildKit checks turned on, with the directive.
    pub experimental: Vec<(String, Span)>,
    /// `# check=experimental=all`.
    pub experimental_all: bool,
}

impl Suppressions {
    /// The entries whose name satisfies `matches` and whose lines include `line`.
    pub fn matching(
        &self,
        line: u32,
        matches: impl Fn(&str) -> bool,
    ) -> impl Iterator<Item = usize> {
        self.entries
            .iter()
            .enumerate()
            .filter(move |(_, e)| (e.first..=e.last).contains(&line) && matches(&e.name))
            .map(|(i, _)| i)
    }

    /// Drops every suppression (`--disable-ignore-pragma`) but keeps what turns checks on.
    pub fn without_suppressions(self) -> Suppressions {
        Suppressions {
            experimental: self.experimental,
            experimental_all: self.experimental_all,
            checks_are_errors: self.checks_are_errors,
            ..Suppressions::default()
        }
    }
}

/// Where a pragma applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    NextInstruction,
    Stage,
    File,
}

/// Reads every pragma of a parsed file. `check_override` is BuildKit's
/// `BUILDKIT_DOCKERFILE_CHECK` value: when given, it replaces the file's `# check=` directive
/// (as BuildKit does), while per-instruction `# check=skip=` comments still apply.
pub fn collect(dockerfile: &Dockerfile, check_override: Option<&str>) -> Suppressions {
    let mut out = Suppressions::default();
    let whole_file = |name: String, origin: Span| Entry {
        name,
        first: 0,
        last: u32::MAX,
        origin,
    };
    let directives = dockerfile
        .directives
        .iter()
        .filter(|d| d.name == "check")
        .map(|d| (d.value.as_str(), d.span));
    let checks: Vec<(&str, Span)> = match check_override {
        Some(value) => vec![(value, Span::default())],
        None => directives.collect(),
    };
    for (value, span) in checks {
        let check = parse_check(value);
        out.entries
            .extend(check.skip.into_iter().map(|n| whole_file(n, span)));
        out.skip_all_checks |= check.skip_all;
        out.checks_are_errors |= check.error;
        out.experimental
            .extend(check.experimental.into_iter().map(|n| (n, span)));
        out.experimental_all |= check.experimental_all;
    }
    for comment in &dockerfile.comments {
        let Some((scope, names, skip_all)) = parse_comment(&comment.text) else {
            continue;
        };
        let line = comment.span.start.line;
        match scope {
            Scope::File => out
                .entries
                .extend(names.into_iter().map(|n| whole_file(n, comment.span))),
            Scope::NextInstruction | Scope::Stage => {
                let Some(next) = dockerfile
                    .instructions
                    .iter()
                    .position(|i| i.span.start.line > line)
                else {
                    continue;
                };
                let instruction = &dockerfile.instructions[next];
                let (first, last) = if instruction.keyword == Keyword::From
                    && (scope == Scope::Stage || skip_all || is_check_comment(&comment.text))
                {
                    stage_lines(dockerfile, next)
                } else if scope == Scope::Stage {
                    // A stage pragma must sit directly above a FROM, as hadolint requires.
                    continue;
                } else {
                    (instruction.span.start.line, last_line(instruction.span))
                };
                let names = if skip_all {
                    vec!["*".to_string()]
                } else {
                    names
                };
                out.entries.extend(names.into_iter().map(|name| Entry {
                    name,
                    first,
                    last,
                    origin: comment.span,
                }));
            }
        }
    }
    out
}

/// The last line an exclusive span touches.
fn last_line(span: Span) -> u32 {
    if span.end.column <= 1 && span.end.line > span.start.line {
        span.end.line - 1
    } else {
        span.end.line.max(span.start.line)
    }
}

/// The lines of the stage whose FROM is instruction `from`.
fn stage_lines(dockerfile: &Dockerfile, from: usize) -> (u32, u32) {
    let first = dockerfile.instructions[from].span.start.line;
    let last = dockerfile.instructions[from + 1..]
        .iter()
        .find(|i| i.keyword == Keyword::From)
        .map(|i| i.span.start.line.saturating_sub(1))
        .unwrap_or(u32::MAX);
    (first, last.max(first))
}

fn is_check_comment(text: &str) -> bool {
    text.trim_start().to_ascii_lowercase().starts_with("check=")
}

/// Whether a comment is a next-instruction `hadolint ignore=` / `imglint ignore=` pragma (not the
/// `global`/`stage` forms, not BuildKit's `check=skip=`): what DL1001 reports.
pub fn is_inline_ignore(text: &str) -> bool {
    !is_check_comment(text)
        && matches!(
            parse_comment(text),
            Some((Scope::NextInstruction, _, false))
        )
}

/// Parses one comment's text (after `#`). Returns the scope, the names, and whether it is a
/// `check=skip=all`.
fn parse_comment(text: &str) -> Option<(Scope, Vec<String>, bool)> {
    let text = text.trim();
    if is_check_comment(text) {
        let check = parse_check(text.split_once('=').map(|x| x.1).unwrap_or(""));
        if check.skip.is_empty() && !check.skip_all {
            return None;
        }
        return Some((Scope::NextInstruction, check.skip, check.skip_all));
    }
    let mut words = text.splitn(2, char::is_whitespace);
    let tool = words.next()?.to_ascii_lowercase();
    if tool != "imglint" && tool != "hadolint" {
        return None;
    }
    let rest = words.next()?.trim_start();
    let (scope, rest) = if let Some(r) = strip_word(rest, "global") {
        (Scope::File, r)
    } else if let Some(r) = strip_word(rest, "stage") {
        (Scope::Stage, r)
    } else {
        (Scope::NextInstruction, rest)
    };
    let list = strip_prefix_ci(rest.trim_start(), "ignore")?.trim_start();
    let list = list.strip_prefix('=')?;
    let names = split_names(list);
    if names.is_empty() {
        return None;
    }
    Some((scope, names, false))
}

fn strip_word<'a>(text: &'a str, word: &str) -> Option<&'a str> {
    let rest = strip_prefix_ci(text, word)?;
    rest.starts_with(char::is_whitespace).then_some(rest)
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// `A, B,C # reason` → [A, B, C]: commas separate names (spaces around them allowed); the first
/// word that does not follow a comma starts the reason.
fn split_names(list: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = list.trim_start();
    loop {
        let end = rest
            .find(|c: char| c == ',' || c.is_whitespace())
            .unwrap_or(rest.len());
        let name = &rest[..end];
        if !name.is_empty() && !name.starts_with('#') && !name.starts_with("//") {
            names.push(name.to_string());
        }
        let after = rest[end..].trim_start();
        match after.strip_prefix(',') {
            Some(next) => rest = next.trim_start(),
            None => break,
        }
    }
    names
}

/// BuildKit's `check` directive value: `skip=A,B;error=true;experimental=…`.
#[derive(Debug, Default, PartialEq, Eq)]
struct Check {
    skip: Vec<String>,
    skip_all: bool,
    error: bool,
    experimental: Vec<String>,
    experimental_all: bool,
}

fn parse_check(value: &str) -> Check {
    let mut check = Check::default();
    // BuildKit ignores the text after the first space (`// reason`).
    let value = value.trim().split(char::is_whitespace).next().unwrap_or("");
    for part in value.split(';') {
        let Some((key, val)) = part.split_once('=') else {
            continue;
        };
        match key.trim().to_ascii_lowercase().as_str() {
            "skip" => {
                for name in val.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                    if name.eq_ignore_ascii_case("all") {
                        check.skip_all = true;
                    } else {
                        check.skip.push(name.to_string());
                    }
                }
            }
            "experimental" => {
                for name in val.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                    if name.eq_ignore_ascii_case("all") {
                        check.experimental_all = true;
                    } else {
                        check.experimental.push(name.to_string());
                    }
                }
            }
            "error" => check.error = val.trim().eq_ignore_ascii_case("true"),
            _ => {}
        }
    }
    check
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_pragma_comments() {
        assert_eq!(
            parse_comment(" hadolint ignore=DL3008, SC2086 # pinned upstream"),
            Some((
                Scope::NextInstruction,
                vec!["DL3008".into(), "SC2086".into()],
                false
            ))
        );
        assert_eq!(
            parse_comment(" imglint global ignore=latest-tag"),
            Some((Scope::File, vec!["latest-tag".into()], false))
        );
        assert_eq!(
            parse_comment(" Hadolint stage ignore=DL3002"),
            Some((Scope::Stage, vec!["DL3002".into()], false))
        );
        assert_eq!(
            parse_comment(" check=skip=JSONArgsRecommended // shell on purpose"),
            Some((
                Scope::NextInstruction,
                vec!["JSONArgsRecommended".into()],
                false
            ))
        );
        assert_eq!(
            parse_comment(" check=skip=all"),
            Some((Scope::NextInstruction, vec![], true))
        );
        assert_eq!(parse_comment(" just a comment about hadolint"), None);
        assert_eq!(parse_comment(" imglint ignore="), None);
        assert_eq!(parse_comment(" imglintignore=DL3008"), None);
    }

    #[test]
    fn parses_check_directive() {
        assert_eq!(
            parse_check("skip=A,B;error=true"),
            Check {
                skip: vec!["A".into(), "B".into()],
                skip_all: false,
                error: true,
                experimental: vec![],
                experimental_all: false,
            }
        );
        assert!(parse_check("skip=all").skip_all);
        let check = parse_check("experimental=InvalidDefinitionDescription;skip=all");
        assert_eq!(check.experimental, ["InvalidDefinitionDescription"]);
        assert!(check.skip_all && parse_check("experimental=all").experimental_all);
    }
}
