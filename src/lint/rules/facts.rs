//! Facts derived once per Dockerfile and shared by every rule: the parsed shell script of each
//! RUN/CMD/ENTRYPOINT, which SHELL is in force, and the stage graph.

use crate::dockerfile::ast::{Dockerfile, Form, Instruction, Keyword, SourceText};
use crate::shell::{self, Command, Connector, Script, Word};

/// Per-file facts; built by [`crate::lint::rule::Context::facts`].
#[derive(Debug, Default)]
pub struct Facts {
    /// Indexed like `Dockerfile::instructions`: the parsed commands of RUN, CMD, ENTRYPOINT
    /// and HEALTHCHECK CMD (shell form, exec form and heredoc bodies run by a shell). `None`
    /// for other instructions and for RUNs under a non-POSIX `SHELL` (PowerShell, cmd).
    pub scripts: Vec<Option<Script>>,
    /// Indexed like `Dockerfile::instructions`: the SHELL in force (exec-form words), `None`
    /// meaning the default `/bin/sh -c`.
    pub shells: Vec<Option<Vec<String>>>,
    /// The ShellCheck-class findings of every RUN, computed once for all SC rules.
    pub shell_findings: std::sync::OnceLock<Vec<crate::shell::check::ShellFinding>>,
}

impl Facts {
    pub fn build(dockerfile: &Dockerfile) -> Facts {
        let mut scripts = Vec::with_capacity(dockerfile.instructions.len());
        let mut shells = Vec::with_capacity(dockerfile.instructions.len());
        let mut current_shell: Option<Vec<String>> = None;
        let mut current_stage: Option<usize> = None;
        for instr in &dockerfile.instructions {
            if instr.stage != current_stage {
                // SHELL is per stage, but a stage built FROM another inherits its SHELL.
                current_stage = instr.stage;
                current_shell = instr
                    .stage
                    .and_then(|s| dockerfile.stages.get(s))
                    .and_then(|s| s.parent_stage)
                    .and_then(|p| dockerfile.stages.get(p))
                    .and_then(|p| {
                        dockerfile.instructions[p.instructions.clone()]
                            .iter()
                            .rev()
                            .find(|i| i.keyword == Keyword::Shell)
                    })
                    .map(|i| i.args.iter().map(|a| a.value.clone()).collect());
            }
            if instr.keyword == Keyword::Shell {
                current_shell = Some(instr.args.iter().map(|a| a.value.clone()).collect());
            }
            shells.push(current_shell.clone());
            let posix = current_shell.as_ref().is_none_or(|s| is_posix_shell(s));
            let script = match instr.keyword {
                Keyword::Run if posix || instr.is_exec_form() => Some(script_of(instr)),
                Keyword::Cmd | Keyword::Entrypoint if posix || instr.is_exec_form() => {
                    Some(script_of(instr))
                }
                Keyword::Healthcheck if !instr.healthcheck_none && !instr.args.is_empty() => {
                    Some(script_of(instr))
                }
                // `ONBUILD RUN …` runs in every child image: hadolint lints it like a RUN.
                Keyword::Onbuild => onbuild_run(instr)
                    .filter(|run| posix || run.is_exec_form())
                    .map(script_of),
                _ => None,
            };
            scripts.push(script);
        }
        Facts {
            scripts,
            shells,
            shell_findings: std::sync::OnceLock::new(),
        }
    }

    /// The parsed script of instruction `index`, if it is one that runs commands.
    pub fn script(&self, index: usize) -> Option<&Script> {
        self.scripts.get(index).and_then(|s| s.as_ref())
    }
}

/// The RUN an `ONBUILD RUN …` triggers (the instruction itself for a plain RUN).
pub fn onbuild_run(instr: &Instruction) -> Option<&Instruction> {
    match instr.keyword {
        Keyword::Run => Some(instr),
        Keyword::Onbuild => instr
            .onbuild
            .as_deref()
            .filter(|inner| inner.keyword == Keyword::Run),
        _ => None,
    }
}

/// `["/bin/bash", "-o", "pipefail", "-c"]` is POSIX-like; PowerShell and cmd are not.
pub fn is_posix_shell(shell: &[String]) -> bool {
    shell.first().is_none_or(|p| {
        let name = shell::basename(p).to_ascii_lowercase();
        let name = name.trim_end_matches(".exe");
        shell::shell_program(name).is_some()
    })
}

/// Parses what an instruction runs.
pub fn script_of(instr: &Instruction) -> Script {
    let mut script = if instr.form == Form::Exec {
        exec_script(&instr.args)
    } else {
        match command_text(instr) {
            Some(text) => shell::parse(&text),
            None => Script {
                parsed: true,
                ..Script::default()
            },
        }
    };
    if runs_heredoc_bodies(&script) {
        for heredoc in &instr.heredocs {
            script.append(shell::parse(&heredoc.body));
        }
    }
    script
}

/// A shell-form instruction's command line. Heredoc bodies are not part of this text, so
/// `<<EOF` markers are blanked out (same length, so spans stay exact) for the shell to see
/// just the command.
pub fn command_text(instr: &Instruction) -> Option<std::borrow::Cow<'_, SourceText>> {
    let text = instr.args.first()?;
    if instr.heredocs.is_empty() {
        return Some(std::borrow::Cow::Borrowed(text));
    }
    let mut blanked = text.clone();
    blanked.value = blank_heredoc_markers(&text.value, &instr.heredocs);
    Some(std::borrow::Cow::Owned(blanked))
}

/// Whether the shell runs the heredoc bodies as scripts, given the parsed command line:
/// `RUN <<EOF`, `RUN bash <<EOF`, `RUN sh -e <<EOF` do; `RUN python3 <<EOF` does not, and
/// `RUN cat <<EOF > file` writes data.
pub fn runs_heredoc_bodies(command: &Script) -> bool {
    command.commands.is_empty()
        || (command.commands.len() == 1
            && shell::is_script_shell(command.commands[0].program())
            && !command.commands[0].args.iter().any(|a| a.value == "-c"))
}

/// Exec form `["apt-get", "install", "x"]` is one command; `["sh", "-c", "…"]` is parsed again.
fn exec_script(args: &[SourceText]) -> Script {
    let mut words = args.iter().map(|a| Word {
        value: a.value.clone(),
        raw: a.value.clone(),
        span: a.span,
        value_offset: None,
    });
    let Some(name) = words.next() else {
        return Script {
            parsed: true,
            ..Script::default()
        };
    };
    let command = Command {
        assignments: Vec::new(),
        name,
        args: words.collect(),
        redirect_targets: Vec::new(),
        connector: Connector::Sequence,
        pipeline: usize::MAX,
        pipeline_len: 1,
        depth: 0,
        in_shell_string: false,
    };
    let mut script = Script {
        commands: vec![command],
        parsed: true,
        ..Script::default()
    };
    let c = &script.commands[0];
    if shell::is_script_shell(c.program())
        && let Some(pos) = c.args.iter().position(|a| {
            a.value == "-c"
                || (a.value.starts_with('-') && !a.value.starts_with("--") && a.value.contains('c'))
        })
        && let Some(text) = args.get(pos + 2)
    {
        let mut inner = shell::parse(text);
        for cmd in &mut inner.commands {
            cmd.depth += 1;
            cmd.in_shell_string = true;
        }
        for a in &mut inner.assignments {
            a.in_shell_string = true;
        }
        for f in &mut inner.for_loops {
            f.in_shell_string = true;
        }
        inner.unchecked_negations.clear();
        script.append(inner);
    }
    script
}

/// Replaces each `<<NAME`, `<<-NAME`, `<<'NAME'`, `<<"NAME"` marker of `heredocs` by spaces.
fn blank_heredoc_markers(text: &str, heredocs: &[crate::dockerfile::ast::Heredoc]) -> String {
    let mut out = text.to_string();
    for heredoc in heredocs {
        for dash in ["", "-"] {
            for quote in ["", "'", "\""] {
                let marker = format!("<<{dash}{quote}{}{quote}", heredoc.name);
                let mut from = 0;
                while let Some(at) = out[from..].find(&marker).map(|i| i + from) {
                    let end = at + marker.len();
                    // Not a prefix of a longer name (`<<EOF2` for `EOF`).
                    let longer = out[end..]
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_alphanumeric() || c == '_');
                    if !longer {
                        out.replace_range(at..end, &" ".repeat(marker.len()));
                    }
                    from = end.min(out.len());
                }
            }
        }
    }
    out
}
