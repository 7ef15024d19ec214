//! The engine: one file's bytes → parse → every enabled rule → suppressions and severity
//! overrides → sorted findings. Many files are linted in parallel with rayon; results come back
//! in input order.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::config::{Config, Threshold};
use super::pragma;
use super::rule::{Category, Context, Rule, RuleSettings, Severity, Sink};
use super::rules::il6202::RULE as UNUSED_PRAGMA;
use crate::dockerfile::ast::Span;
use crate::lint::fix::Fix;

/// One problem found in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: &'static str,
    pub name: &'static str,
    pub category: Category,
    /// After configuration overrides.
    pub severity: Severity,
    pub message: String,
    /// The file as the user named it (or `--stdin-filename`, or `-`).
    pub file: String,
    pub span: Span,
    /// The edits that would repair it, when its rule has a fix.
    pub fix: Option<Fix>,
}

/// What decides which rules run and how their findings count, for one file.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// Rule names (code, kebab-case name, alias or category) to drop.
    pub ignored: Vec<String>,
    /// When set, only these rules run.
    pub select: Option<Vec<String>>,
    /// Severity overrides; a later entry wins.
    pub overrides: Vec<(String, Severity)>,
    pub failure_threshold: Threshold,
    /// The threshold was given on the command line, so `# check=error=true` does not change it.
    pub threshold_from_cli: bool,
    pub disable_ignore_pragma: bool,
    pub settings: RuleSettings,
    /// BuildKit's `BUILDKIT_DOCKERFILE_CHECK` (`skip=…;error=…;experimental=…`): replaces each
    /// file's `# check=` directive, as BuildKit does.
    pub buildkit_check: Option<String>,
    /// Also run the installed `shellcheck` for the codes imglint does not check natively
    /// (`--shellcheck`, `shellcheck: true`).
    pub shellcheck: bool,
}

impl Policy {
    /// The defaults: every rule, hadolint's default threshold (`info`).
    pub fn new() -> Policy {
        Policy {
            failure_threshold: Some(Severity::Info),
            ..Policy::default()
        }
    }

    /// A policy from a configuration file (no command-line additions yet).
    pub fn from_config(config: &Config) -> Policy {
        Policy {
            ignored: config.ignored.clone(),
            select: config.select.clone(),
            overrides: config.overrides.clone(),
            failure_threshold: config.failure_threshold.unwrap_or(Some(Severity::Info)),
            threshold_from_cli: false,
            disable_ignore_pragma: config.disable_ignore_pragma,
            settings: config.rule_settings(),
            buildkit_check: None,
            shellcheck: config.shellcheck,
        }
    }

    fn is_enabled(&self, rule: &Rule, suppressions: &pragma::Suppressions) -> bool {
        if rule.opt_in && !self.turns_on(rule, suppressions) {
            return false;
        }
        let selected = self
            .select
            .as_ref()
            .is_none_or(|names| names.iter().any(|n| designates(rule, n)));
        selected && !self.ignored.iter().any(|n| silences(rule, n))
    }

    /// Whether an opt-in rule is named explicitly: in `select`, in a severity override (how
    /// hadolint enables DL3057), or, for a BuildKit check, in `# check=experimental=`.
    fn turns_on(&self, rule: &Rule, suppressions: &pragma::Suppressions) -> bool {
        let named = |name: &String| rule.answers_to(name);
        self.select.iter().flatten().any(named)
            || self.overrides.iter().any(|(n, _)| named(n))
            || suppressions.experimental.iter().any(|(n, _)| named(n))
            || (suppressions.experimental_all && !rule.aliases.is_empty())
    }

    fn severity_of(&self, rule: &Rule) -> Severity {
        self.overrides
            .iter()
            .rev()
            .find(|(name, _)| designates(rule, name))
            .map(|(_, s)| *s)
            .unwrap_or(rule.severity)
    }
}

/// Whether `name` designates `rule`: its code, kebab-case name, an alias, or its category.
pub fn designates(rule: &Rule, name: &str) -> bool {
    rule.answers_to(name) || rule.category.as_str().eq_ignore_ascii_case(name)
}

/// Whether ignoring or suppressing `name` drops `rule`'s findings: `name` designates the rule
/// or its hadolint/BuildKit twin (`--ignore JSONArgsRecommended` also drops DL3025).
pub fn silences(rule: &Rule, name: &str) -> bool {
    designates(rule, name) || super::rules::twin(rule.code).is_some_and(|t| t.answers_to(name))
}

/// One Dockerfile to lint.
#[derive(Debug, Clone)]
pub struct Input {
    /// The name used in reports.
    pub display_name: String,
    /// The path rules see (for messages); the display name for stdin.
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    /// The build context directory, if any.
    pub build_context: Option<PathBuf>,
}

/// One linted file: its text (for snippets) and its findings, sorted.
#[derive(Debug, Clone)]
pub struct LintedFile {
    pub file: String,
    /// The decoded text (BOM removed); span offsets index into it.
    pub source: String,
    pub findings: Vec<Finding>,
    /// Spans of literal secrets in `source`, which reports that show source text mask.
    pub secrets: Vec<Span>,
    /// The threshold in force for this file.
    pub failure_threshold: Threshold,
}

impl LintedFile {
    /// Whether any finding is at or above the file's threshold.
    pub fn fails(&self) -> bool {
        self.failure_threshold
            .is_some_and(|t| self.findings.iter().any(|f| f.severity >= t))
    }
}

/// Decodes a file's bytes the way the parser sees them: a UTF-8 BOM dropped, invalid UTF-8
/// replaced (the parser reports that as an error).
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // Validating first is several times faster than the lossy decoder on valid text (nearly
    // every file), which walks it in chunks looking for bytes to replace.
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// Lints one file with the given rules.
pub fn lint(input: &Input, policy: &Policy, rules: &[&'static Rule]) -> LintedFile {
    let source = decode(&input.bytes);
    let dockerfile = crate::dockerfile::parse_bytes(&input.bytes);
    lint_parsed(input, source, &dockerfile, policy, rules)
}

/// Lints an already parsed file (`source` is its decoded text).
pub fn lint_parsed(
    input: &Input,
    source: String,
    dockerfile: &crate::dockerfile::ast::Dockerfile,
    policy: &Policy,
    rules: &[&'static Rule],
) -> LintedFile {
    let suppressions = pragma::collect(dockerfile, policy.buildkit_check.as_deref());
    let suppressions = if policy.disable_ignore_pragma {
        suppressions.without_suppressions()
    } else {
        suppressions
    };
    let mut used = vec![false; suppressions.entries.len()];
    let ctx = Context::new(
        &input.path,
        &source,
        dockerfile,
        input.build_context.as_deref(),
        &policy.settings,
    );
    let mut findings = Vec::new();
    let enabled: Vec<&Rule> = rules
        .iter()
        .copied()
        .filter(|r| policy.is_enabled(r, &suppressions))
        .collect();
    // Keeps a finding unless a pragma suppresses it (and marks that pragma used).
    let mut record = |rule: &Rule, span: Span, message: String, fix: Option<Fix>| {
        let mut suppressed = false;
        for entry in suppressions.matching(span.start.line, |name| {
            (name == "*" && rule.category != Category::Parse) || silences(rule, name)
        }) {
            used[entry] = true;
            suppressed = true;
        }
        if !suppressed {
            findings.push(Finding {
                code: rule.code,
                name: rule.name,
                category: rule.category,
                severity: policy.severity_of(rule),
                message,
                file: input.display_name.clone(),
                span,
                fix,
            });
        }
    };
    for rule in enabled.iter().copied() {
        if suppressions.skip_all_checks && rule.category != Category::Parse {
            continue;
        }
        let mut sink = Sink::default();
        // A bug in one rule must not take the whole run (and every other file) down with it.
        if catch_unwind(AssertUnwindSafe(|| (rule.check)(&ctx, &mut sink))).is_err() {
            eprintln!(
                "imglint: internal error: rule {} failed on {}; its findings are missing",
                rule.code, input.display_name
            );
            continue;
        }
        for diagnostic in sink.diagnostics {
            record(rule, diagnostic.span, diagnostic.message, diagnostic.fix);
        }
    }
    if policy.shellcheck && !suppressions.skip_all_checks {
        match super::shellcheck::check(&ctx) {
            Ok(bridged) => {
                for f in bridged {
                    if policy.is_enabled(f.rule, &suppressions) {
                        record(f.rule, f.span, f.message, None);
                    }
                }
            }
            Err(e) => eprintln!(
                "imglint: {}: shellcheck: {e}; its findings are missing",
                input.display_name
            ),
        }
    }
    if let Some(rule) = enabled.iter().find(|r| r.code == UNUSED_PRAGMA.code) {
        let unused = suppressions.entries.iter().zip(&used).filter(|(e, u)| {
            // A name from BUILDKIT_DOCKERFILE_CHECK has no place in the file to point at.
            !**u && e.origin != Span::default()
        });
        for (entry, _) in unused.filter(|_| !suppressions.skip_all_checks) {
            findings.push(Finding {
                code: rule.code,
                name: rule.name,
                category: rule.category,
                severity: policy.severity_of(rule),
                message: format!("`{}` suppresses nothing here: remove it", entry.name),
                file: input.display_name.clone(),
                span: entry.origin,
                fix: None,
            });
        }
    }
    sort_findings(&mut findings);
    let failure_threshold = if suppressions.checks_are_errors && !policy.threshold_from_cli {
        Some(Severity::Style)
    } else {
        policy.failure_threshold
    };
    // Found whichever rules are enabled: a report must not show a secret because IL5001 is off.
    let secrets = crate::lint::secrets::literal_secrets(&ctx)
        .into_iter()
        .map(|s| s.value)
        .collect();
    LintedFile {
        file: input.display_name.clone(),
        source,
        findings,
        secrets,
        failure_threshold,
    }
}

/// The deterministic order: position, then code, then message.
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (
            a.span.start.line,
            a.span.start.column,
            a.code,
            &a.message,
            a.span.end,
        )
            .cmp(&(
                b.span.start.line,
                b.span.start.column,
                b.code,
                &b.message,
                b.span.end,
            ))
    });
    // Two rules never share a code, so only exact duplicates from one rule compare equal.
}

/// Lints many files in parallel; the result is in input order.
pub fn lint_all(inputs: &[(Input, &Policy)], rules: &[&'static Rule]) -> Vec<LintedFile> {
    // One file (the pre-commit and editor case) is linted on this thread: starting rayon's
    // pool would cost more than the lint.
    if let [(input, policy)] = inputs {
        return vec![lint(input, policy, rules)];
    }
    inputs
        .par_iter()
        .map(|(input, policy)| lint(input, policy, rules))
        .collect()
}

/// Lints a string with the default policy and every registered rule (for tests and embedding).
pub fn lint_str(name: &str, text: &str) -> LintedFile {
    let input = Input {
        display_name: name.to_string(),
        path: Path::new(name).to_path_buf(),
        bytes: text.as_bytes().to_vec(),
        build_context: None,
    };
    lint(&input, &Policy::new(), super::rules::REGISTRY)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::ast::Keyword;
    use crate::lint::rule::Context;

    /// Test rule: every FROM instruction.
    fn check_from(ctx: &Context, sink: &mut Sink) {
        for i in &ctx.dockerfile.instructions {
            if i.keyword == Keyword::From {
                sink.report(i.span, "a FROM");
            }
        }
    }

    /// Test rule: every RUN instruction.
    fn check_run(ctx: &Context, sink: &mut Sink) {
        for i in &ctx.dockerfile.instructions {
            if i.keyword == Keyword::Run {
                sink.report(i.span, format!("a RUN on line {}", i.span.start.line));
            }
        }
    }

    /// Test rule: parse errors, as DL1000 does.
    fn check_parse(ctx: &Context, sink: &mut Sink) {
        for e in &ctx.dockerfile.errors {
            sink.report(e.span, e.message.clone());
        }
    }

    fn check_panics(_: &Context, _: &mut Sink) {
        panic!("rule bug");
    }

    static FROM_RULE: Rule = Rule {
        code: "TS0001",
        name: "test-from",
        category: Category::LatestTag,
        severity: Severity::Warning,
        summary: "A FROM",
        aliases: &["TestFromAlias"],
        opt_in: false,
        doc: "# TS0001\n",
        check: check_from,
    };
    static RUN_RULE: Rule = Rule {
        code: "TS0002",
        name: "test-run",
        category: Category::LayerBloat,
        severity: Severity::Info,
        summary: "A RUN",
        aliases: &[],
        opt_in: false,
        doc: "# TS0002\n",
        check: check_run,
    };
    static PARSE_RULE: Rule = Rule {
        code: "TS1000",
        name: "test-parse",
        category: Category::Parse,
        severity: Severity::Error,
        summary: "Parse error",
        aliases: &[],
        opt_in: false,
        doc: "# TS1000\n",
        check: check_parse,
    };
    static PANIC_RULE: Rule = Rule {
        code: "TS9999",
        name: "test-panic",
        category: Category::Style,
        severity: Severity::Error,
        summary: "Panics",
        aliases: &[],
        opt_in: false,
        doc: "# TS9999\n",
        check: check_panics,
    };
    static OPT_IN_RULE: Rule = Rule {
        code: "TS0003",
        name: "test-opt-in",
        category: Category::Style,
        severity: Severity::Info,
        summary: "A FROM, when asked for",
        aliases: &["TestExperimental"],
        opt_in: true,
        doc: "# TS0003\n",
        check: check_from,
    };
    static RULES: &[&Rule] = &[
        &FROM_RULE,
        &RUN_RULE,
        &PARSE_RULE,
        &PANIC_RULE,
        &OPT_IN_RULE,
    ];

    fn run(text: &str, policy: &Policy) -> LintedFile {
        let input = Input {
            display_name: "Dockerfile".into(),
            path: "Dockerfile".into(),
            bytes: text.as_bytes().to_vec(),
            build_context: None,
        };
        lint(&input, policy, RULES)
    }

    fn codes(f: &LintedFile) -> Vec<(&str, u32)> {
        f.findings
            .iter()
            .map(|f| (f.code, f.span.start.line))
            .collect()
    }

    const TWO_STAGES: &str = "FROM a AS b\nRUN x\n\nFROM b\nRUN y\nRUN z\n";

    #[test]
    fn runs_rules_sorted_and_survives_a_panicking_rule() {
        let f = run(TWO_STAGES, &Policy::new());
        assert_eq!(
            codes(&f),
            vec![
                ("TS0001", 1),
                ("TS0002", 2),
                ("TS0001", 4),
                ("TS0002", 5),
                ("TS0002", 6)
            ]
        );
        assert_eq!(f.findings[1].message, "a RUN on line 2");
        assert_eq!(f.findings[0].category, Category::LatestTag);
        assert!(f.fails());
    }

    #[test]
    fn ignore_select_and_overrides_match_code_name_alias_category() {
        let mut p = Policy::new();
        p.ignored = vec!["testfromalias".into()];
        assert!(codes(&run(TWO_STAGES, &p)).iter().all(|c| c.0 == "TS0002"));
        let mut p = Policy::new();
        p.select = Some(vec!["test-from".into()]);
        assert_eq!(
            codes(&run(TWO_STAGES, &p)),
            vec![("TS0001", 1), ("TS0001", 4)]
        );
        let mut p = Policy::new();
        p.ignored = vec!["layer-bloat".into()];
        assert!(codes(&run(TWO_STAGES, &p)).iter().all(|c| c.0 == "TS0001"));
        let mut p = Policy::new();
        p.overrides = vec![
            ("TS0002".into(), Severity::Error),
            ("test-run".into(), Severity::Style),
        ];
        p.select = Some(vec!["TS0002".into()]);
        let f = run(TWO_STAGES, &p);
        assert!(f.findings.iter().all(|f| f.severity == Severity::Style));
        assert!(!f.fails(), "style is below the default info threshold");
        p.failure_threshold = Some(Severity::Style);
        assert!(run(TWO_STAGES, &p).fails());
        p.failure_threshold = None;
        assert!(!run(TWO_STAGES, &p).fails());
    }

    #[test]
    fn next_instruction_global_and_stage_pragmas() {
        let text = "# hadolint ignore=TS0001\nFROM a AS b\n# imglint ignore=test-run, TS0001 # why\nRUN x \\\n  && y\nFROM b\nRUN y\n";
        assert_eq!(
            codes(&run(text, &Policy::new())),
            vec![("TS0001", 6), ("TS0002", 7)]
        );
        let text = "FROM a\nRUN x\n# imglint global ignore=TS0002\n";
        assert_eq!(codes(&run(text, &Policy::new())), vec![("TS0001", 1)]);
        let text = "FROM a\nRUN x\n# hadolint stage ignore=TS0002\nFROM b\nRUN y\n\nRUN z\n";
        assert_eq!(
            codes(&run(text, &Policy::new())),
            vec![("TS0001", 1), ("TS0002", 2), ("TS0001", 4)]
        );
        let mut p = Policy::new();
        p.disable_ignore_pragma = true;
        assert_eq!(run(text, &p).findings.len(), 5);
    }

    #[test]
    fn buildkit_check_directive_and_comment() {
        let text = "# check=skip=TestFromAlias\nFROM a\nRUN x\n";
        assert_eq!(codes(&run(text, &Policy::new())), vec![("TS0002", 3)]);
        let text = "# check=skip=all\nFROM a\nRUN x\n";
        assert!(run(text, &Policy::new()).findings.is_empty());
        let text = "FROM a\n# check=skip=TS0002 // on purpose\nRUN x\nRUN y\n";
        assert_eq!(
            codes(&run(text, &Policy::new())),
            vec![("TS0001", 1), ("TS0002", 4)]
        );
        let text = "# check=error=true\nFROM a\n";
        let mut p = Policy::new();
        p.failure_threshold = None;
        assert!(run(text, &p).fails());
        p.threshold_from_cli = true;
        assert!(!run(text, &p).fails());
    }

    #[test]
    fn opt_in_rules_run_only_when_named() {
        let has = |f: &LintedFile| f.findings.iter().any(|f| f.code == "TS0003");
        assert!(!has(&run(TWO_STAGES, &Policy::new())));
        let mut p = Policy::new();
        p.select = Some(vec!["style".into()]);
        assert!(!has(&run(TWO_STAGES, &p)), "a category does not turn it on");
        p.select = Some(vec!["test-opt-in".into()]);
        assert!(has(&run(TWO_STAGES, &p)));
        let mut p = Policy::new();
        p.overrides = vec![("TS0003".into(), Severity::Warning)];
        let f = run(TWO_STAGES, &p);
        assert!(has(&f) && f.findings.iter().any(|f| f.code == "TS0001"));
        let text = format!("# check=experimental=TestExperimental\n{TWO_STAGES}");
        assert!(has(&run(&text, &Policy::new())));
        let text = format!("# check=experimental=all\n{TWO_STAGES}");
        assert!(has(&run(&text, &Policy::new())));
        // BUILDKIT_DOCKERFILE_CHECK replaces the file's directive.
        let mut p = Policy::new();
        p.buildkit_check = Some("skip=TS0001".into());
        let f = run(&text, &p);
        assert!(!has(&f) && f.findings.iter().all(|f| f.code != "TS0001"));
    }

    #[test]
    fn parse_errors_are_findings_and_the_rest_is_linted() {
        let text = "FROM a\nNOTANINSTRUCTION x\nRUN y\n";
        let f = run(text, &Policy::new());
        let c = codes(&f);
        assert!(c.contains(&("TS1000", 2)), "{c:?}");
        assert!(c.contains(&("TS0002", 3)), "{c:?}");
        // skip=all keeps parse errors.
        let f = run(&format!("# check=skip=all\n{text}"), &Policy::new());
        assert_eq!(codes(&f), vec![("TS1000", 3)]);
    }

    #[test]
    fn parallel_results_keep_input_order() {
        let policy = Policy::new();
        let inputs: Vec<(Input, &Policy)> = (0..64)
            .map(|i| {
                let text = "FROM a\n".repeat(i % 5 + 1);
                (
                    Input {
                        display_name: format!("f{i}"),
                        path: format!("f{i}").into(),
                        bytes: text.into_bytes(),
                        build_context: None,
                    },
                    &policy,
                )
            })
            .collect();
        let out = lint_all(&inputs, RULES);
        for (i, f) in out.iter().enumerate() {
            assert_eq!(f.file, format!("f{i}"));
            assert_eq!(f.findings.len(), i % 5 + 1);
        }
    }
}
