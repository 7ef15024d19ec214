//! Which variables may hold blanks or glob characters where they are read (ShellCheck's
//! "spacefulness"): a variable assigned a plain literal earlier in the script, or known from
//! the Dockerfile (ARG, ENV), is safe to leave unquoted; one assigned from `$(…)`, a loop
//! over globs, `read`, or never assigned at all is not.

use std::collections::{HashMap, HashSet};

use super::lex::{Param, Token, lex};
use crate::shell::Script;

/// The spacefulness of every variable as each command of the script sees it.
pub struct Flow<'k> {
    /// Per variable: `(first command index from which it holds, may contain blanks)`, in
    /// source order.
    states: HashMap<String, Vec<(usize, bool)>>,
    known: &'k HashSet<String>,
}

impl<'k> Flow<'k> {
    pub fn new(script: &Script, known: &'k HashSet<String>) -> Flow<'k> {
        let mut flow = Flow {
            states: HashMap::new(),
            known,
        };
        let mut events: Vec<(usize, String, Value)> = Vec::new();
        for a in script.assignments.iter().filter(|a| !a.in_shell_string) {
            events.push((
                a.before_command,
                a.name.clone(),
                Value::Raw(a.raw_value.clone()),
            ));
        }
        for l in script.for_loops.iter().filter(|l| !l.in_shell_string) {
            let all_plain = !l.values.is_empty()
                && l.values
                    .iter()
                    .all(|w| !w.is_dynamic() && !has_blank_or_glob(&w.value));
            events.push((
                l.before_command,
                l.variable.clone(),
                Value::Known(!all_plain),
            ));
        }
        for (i, c) in script.commands.iter().enumerate() {
            if c.in_shell_string {
                continue;
            }
            match c.program() {
                "read" | "getopts" => {
                    for a in c.args.iter().filter(|a| !a.is_flag()) {
                        events.push((i + 1, a.value.clone(), Value::Known(true)));
                    }
                }
                "export" | "local" | "declare" | "readonly" | "typeset" => {
                    for a in &c.args {
                        if let Some((name, value)) = a.raw.split_once('=')
                            && is_name(name)
                        {
                            events.push((i + 1, name.to_string(), Value::Raw(value.into())));
                        }
                    }
                }
                _ => {}
            }
        }
        events.sort_by_key(|e| e.0);
        for (at, name, value) in events {
            let spaceful = match value {
                Value::Known(s) => s,
                Value::Raw(raw) => flow.value_is_spaceful(&raw, at),
            };
            flow.states.entry(name).or_default().push((at, spaceful));
        }
        flow
    }

    /// Whether `$name`, read by command `at`, may contain blanks or globs.
    pub fn spaceful(&self, name: &str, at: usize) -> bool {
        match self
            .states
            .get(name)
            .and_then(|s| s.iter().rev().find(|(from, _)| *from <= at))
        {
            Some((_, spaceful)) => *spaceful,
            None => !self.known.contains(name),
        }
    }

    /// Whether a variable was assigned anywhere in the script or is known from outside.
    pub fn is_set(&self, name: &str) -> bool {
        self.states.contains_key(name) || self.known.contains(name)
    }

    fn value_is_spaceful(&self, raw: &str, at: usize) -> bool {
        if raw.starts_with('(') {
            // An array: its elements are read with `${a[@]}`, which other checks cover.
            return true;
        }
        lex(raw).iter().any(|t| match t {
            Token::Text { range, .. } => has_blank_or_glob(&raw[range.clone()]),
            Token::Param { param, .. } => match param {
                Param::Named(n) => self.spaceful(n, at),
                Param::Safe => false,
                _ => true,
            },
            Token::Command { .. } => true,
            Token::Arithmetic { .. } => false,
        })
    }
}

enum Value {
    Raw(String),
    Known(bool),
}

fn has_blank_or_glob(text: &str) -> bool {
    text.bytes()
        .any(|c| matches!(c, b' ' | b'\t' | b'\n' | b'*' | b'?' | b'['))
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with(|c: char| c.is_ascii_digit())
        && s.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
}
