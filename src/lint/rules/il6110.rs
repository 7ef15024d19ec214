//! IL6110: A variable is used but never defined (BuildKit's UndefinedVar).

use crate::dockerfile::ast::{ImageRef, Keyword};
use crate::dockerfile::stages::{PREDEFINED_ARGS, stage_chain};
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::edit_distance;

pub static RULE: Rule = Rule {
    code: "IL6110",
    name: "undefined-var",
    category: Category::Correctness,
    severity: Severity::Warning,
    summary: "A variable is used but never defined",
    aliases: &["UndefinedVar"],
    opt_in: false,
    doc: include_str!("../../../rules/IL6110.md"),
    check,
};

/// Variables base images commonly define: never reported, since we cannot see the base image.
const BASE_ENV: &[&str] = &[
    "PATH",
    "HOME",
    "USER",
    "HOSTNAME",
    "LANG",
    "LANGUAGE",
    "LC_ALL",
    "TERM",
    "SHELL",
    "PWD",
    "GOPATH",
    "GOROOT",
    "JAVA_HOME",
    "NODE_VERSION",
    "YARN_VERSION",
    "PYTHON_VERSION",
    "PHP_VERSION",
    "RUBY_VERSION",
    "GEM_HOME",
    "BUNDLE_PATH",
    "CARGO_HOME",
    "RUSTUP_HOME",
    "LD_LIBRARY_PATH",
    "PKG_CONFIG_PATH",
    "TZ",
    "DEBIAN_FRONTEND",
    "GOLANG_VERSION",
    "PHP_INI_DIR",
    "NGINX_VERSION",
    "HTTPD_PREFIX",
    "CATALINA_HOME",
    "MAVEN_HOME",
];

/// Whether the external base image may define `name` in its environment, which a linter cannot
/// see: the common variables above, and `<IMAGE>_…` (official images set `PYTHON_VERSION`,
/// `NODE_VERSION`…). `scratch` defines nothing.
fn base_may_define(base: &ImageRef, name: &str) -> bool {
    if base.unresolved {
        return true;
    }
    if base.is_scratch() {
        return false;
    }
    let image = base.repository.rsplit('/').next().unwrap_or("");
    let prefix = format!("{}_", image.to_ascii_uppercase().replace(['-', '.'], "_"));
    BASE_ENV.contains(&name) || (!image.is_empty() && name.starts_with(&prefix))
}

fn check(ctx: &Context, sink: &mut Sink) {
    let df = ctx.dockerfile;
    for stage in &df.stages {
        let chain = stage_chain(df, stage.index);
        let root = chain.last().copied().unwrap_or(stage.index);
        let base = &df.stages[root].image;
        for idx in stage.instructions.clone() {
            let instr = &df.instructions[idx];
            // BuildKit does not check RUN/CMD/ENTRYPOINT/HEALTHCHECK (the shell expands those).
            if matches!(
                instr.keyword,
                Keyword::Run
                    | Keyword::Cmd
                    | Keyword::Entrypoint
                    | Keyword::Healthcheck
                    | Keyword::From
                    | Keyword::Onbuild
                    | Keyword::Shell
                    | Keyword::Unknown
            ) {
                continue;
            }
            let mut words: Vec<&crate::dockerfile::ast::SourceText> = Vec::new();
            for pair in &instr.pairs {
                if let Some(v) = &pair.value {
                    words.push(v);
                }
            }
            if instr.pairs.is_empty() {
                words.extend(instr.args.iter());
            }
            words.extend(instr.flags.iter().filter_map(|f| f.value.as_ref()));
            let used: Vec<(&crate::dockerfile::ast::SourceText, Vec<String>)> = words
                .into_iter()
                .map(|word| {
                    let names =
                        crate::dockerfile::expand::referenced_variables(&word.value, df.escape);
                    (word, names)
                })
                .filter(|(_, names)| !names.is_empty())
                .collect();
            // Most instructions use no variable: the definitions in scope (a walk back over the
            // stage) are gathered only for those that do.
            if used.is_empty() {
                continue;
            }
            let mut defined: Vec<String> = crate::dockerfile::stages::args_in_scope(df, idx)
                .into_iter()
                .map(|(n, _)| n)
                .collect();
            for &s in &chain {
                for j in df.stages[s].instructions.clone().filter(|&j| j < idx) {
                    let i = &df.instructions[j];
                    if matches!(i.keyword, Keyword::Env | Keyword::Arg) {
                        defined.extend(i.pairs.iter().map(|p| p.key.value.clone()));
                    }
                }
            }
            let same_instr: Vec<String> = instr.pairs.iter().map(|p| p.key.value.clone()).collect();
            for (word, names) in used {
                for name in names {
                    let has_default = word.value.contains(&format!("${{{name}:-"))
                        || word.value.contains(&format!("${{{name}-"));
                    if defined.contains(&name)
                        || has_default
                        || same_instr.contains(&name)
                        || PREDEFINED_ARGS.contains(&name.as_str())
                        || base_may_define(base, &name)
                    {
                        continue;
                    }
                    let known = defined
                        .iter()
                        .map(String::as_str)
                        .chain(BASE_ENV.iter().copied().filter(|_| !base.is_scratch()));
                    let close = known
                        .filter(|d| d.len() >= 3)
                        .map(|d| (edit_distance(d, &name), d))
                        .filter(|(dist, _)| *dist <= 2 && *dist * 3 < name.len())
                        .min();
                    let hint = close
                        .map(|(_, d)| format!(" (did you mean ${d}?)"))
                        .unwrap_or_default();
                    sink.report(
                        crate::lint::rules::util::span_in(word, &name),
                        format!("Usage of undefined variable '${name}'{hint}"),
                    );
                }
            }
        }
    }
}
