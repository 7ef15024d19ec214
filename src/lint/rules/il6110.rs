//! IL6110: A variable is used but never defined (probably a typo).

use crate::dockerfile::ast::Keyword;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::*;

pub static RULE: Rule = Rule {
    code: "IL6110",
    name: "undefined-var",
    category: Category::Correctness,
    severity: Severity::Warning,
    summary: "A variable is used but never defined (probably a typo)",
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

fn check(ctx: &Context, sink: &mut Sink) {
    let df = ctx.dockerfile;
    for stage in &df.stages {
        let chain = stage_chain(df, stage.index);
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
                    | Keyword::Unknown
            ) {
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
            let same_instr: Vec<String> = instr.pairs.iter().map(|p| p.key.value.clone()).collect();
            for word in words {
                for name in crate::dockerfile::expand::referenced_variables(&word.value, df.escape)
                {
                    if defined.contains(&name)
                        || same_instr.contains(&name)
                        || BASE_ENV.contains(&name.as_str())
                        || PREDEFINED_ARGS.contains(&name.as_str())
                        || name.len() < 4
                    {
                        continue;
                    }
                    // Only a near-miss of a defined name is reported: anything else may come
                    // from the base image's environment, which we cannot see.
                    let Some(close) = defined
                        .iter()
                        .filter(|d| d.len() >= 3)
                        .min_by_key(|d| edit_distance(d, &name))
                        .filter(|d| {
                            edit_distance(d, &name) <= 2 && edit_distance(d, &name) * 3 < name.len()
                        })
                    else {
                        continue;
                    };
                    sink.report(
                        crate::lint::rules::util::span_in(word, &name),
                        format!("Usage of undefined variable '${name}' (did you mean ${close}?)"),
                    );
                }
            }
        }
    }
}
