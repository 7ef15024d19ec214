//! DL3026: Use only an allowed registry in the FROM image (and in `COPY --from=`/`--mount=from=`
//! images, as hadolint).

use crate::dockerfile::ast::ImageRef;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::mount_options;

pub static RULE: Rule = Rule {
    code: "DL3026",
    name: "trusted-registry",
    category: Category::Security,
    severity: Severity::Error,
    summary: "Use only an allowed registry in the FROM image",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3026.md"),
    check,
};

fn allowed(registry: &str, pattern: &str) -> bool {
    let (r, p) = (registry.to_ascii_lowercase(), pattern.to_ascii_lowercase());
    match p.strip_prefix("*.") {
        Some(suffix) => r.ends_with(&format!(".{suffix}")),
        None if p == "*" => true,
        None => {
            r == p || (p == "docker.io" && (r == "index.docker.io" || r == "registry-1.docker.io"))
        }
    }
}

fn check(ctx: &Context, sink: &mut Sink) {
    let trusted = &ctx.settings.trusted_registries;
    if trusted.is_empty() {
        return;
    }
    let df = ctx.dockerfile;
    for stage in &df.stages {
        let image = &stage.image;
        if stage.parent_stage.is_some() || image.is_scratch() || image.unresolved {
            continue;
        }
        let registry = image
            .registry
            .clone()
            .unwrap_or_else(|| "docker.io".to_string());
        if trusted.iter().any(|t| allowed(&registry, t)) {
            continue;
        }
        if let Some(arg) = df.instructions[stage.from_instruction].args.first() {
            sink.report(
                arg.span,
                format!(
                    "`{}` comes from registry `{registry}`, which is not in trustedRegistries ({})",
                    image.raw,
                    trusted.join(", ")
                ),
            );
        }
    } // Images pulled by `COPY --from=IMAGE` and `RUN --mount=…,from=IMAGE` (not stage names).
    for instr in &df.instructions {
        let sources = instr
            .flags
            .iter()
            .filter(|f| f.name == "from")
            .filter_map(|f| f.value.as_ref().map(|v| (v.value.clone(), f.span)))
            .chain(
                instr
                    .flags
                    .iter()
                    .filter(|f| f.name == "mount")
                    .flat_map(|f| {
                        mount_options(f)
                            .into_iter()
                            .filter(|(k, _)| k == "from")
                            .map(move |(_, v)| (v, f.span))
                    }),
            );
        for (source, span) in sources {
            let image_like = source.contains(['/', ':', '@']) && !source.contains('$');
            if !image_like || df.stage_by_ref(&source).is_some() {
                continue;
            }
            let image = ImageRef::split(&source);
            let registry = image.registry_or_default();
            if !trusted.iter().any(|t| allowed(registry, t)) {
                sink.report(
                    span,
                    format!(
                        "`{source}` comes from registry `{registry}`, which is not in trustedRegistries ({})",
                        trusted.join(", ")
                    ),
                );
            }
        }
    }
}
