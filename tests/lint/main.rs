//! The linter's integration tests, one test binary (each test crate is a separate link):
//! the Dockerfile front-end (`parser_*`), the rules (`rules_*`), and the real `imglint` binary
//! (`cli`, `sarif_schema`, `precommit`, `snapshots`).

mod buildkit_checks;
mod cli;
mod dropin;
mod fix;
mod hardening;
mod image_flag;
mod parser_buildkit;
mod parser_corpus;
mod parser_fuzz;
mod parser_oracle;
mod parser_scale;
mod parser_units;
mod precommit;
mod report_fuzz;
mod rules_cases;
mod rules_corpus;
mod rules_docs;
mod rules_hadolint;
mod rules_pragmas;
mod rules_shell_fuzz;
mod rules_shellcheck_recall;
#[path = "../shared/sarif.rs"]
mod sarif;
mod sarif_schema;
mod shellcheck_oracle;
mod snapshots;
