//! The shell programs the linter recognises, in one table: which words start a shell (for
//! `sh -c "…"`, `RUN <<EOF` bodies, shebangs, `SHELL [...]`, `curl … | sh`), and what each one
//! supports.

/// A shell (or a multi-call binary that contains one) and what it supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShellProgram {
    pub name: &'static str,
    /// Understands `set -o pipefail` / `-o pipefail` (POSIX sh and dash do not).
    pub pipefail: bool,
    /// A multi-call binary (`busybox sh -c …`): the shell is its first operand, so it does not
    /// run a script file or a here-document itself.
    pub multi_call: bool,
}

const fn shell(name: &'static str, pipefail: bool) -> ShellProgram {
    ShellProgram {
        name,
        pipefail,
        multi_call: false,
    }
}

/// Every shell program, by the basename it is invoked as.
pub const SHELL_PROGRAMS: &[ShellProgram] = &[
    shell("sh", false),
    shell("bash", true),
    shell("ash", true),
    shell("dash", false),
    shell("zsh", true),
    shell("ksh", true),
    shell("mksh", true),
    ShellProgram {
        name: "busybox",
        pipefail: false,
        multi_call: true,
    },
];

/// The table entry for a program's basename (`bash`, not `/bin/bash`).
pub fn shell_program(name: &str) -> Option<&'static ShellProgram> {
    SHELL_PROGRAMS.iter().find(|p| p.name == name)
}

/// Whether `name` starts a shell that reads a script (a file, a here-document or a pipe):
/// every shell of the table except multi-call binaries.
pub fn is_script_shell(name: &str) -> bool {
    shell_program(name).is_some_and(|p| !p.multi_call)
}

#[cfg(test)]
mod tests {
    use super::{is_script_shell, shell_program};

    #[test]
    fn shells_and_what_they_support() {
        for name in ["sh", "bash", "ash", "dash", "zsh", "ksh", "mksh"] {
            assert!(is_script_shell(name), "{name}");
        }
        assert!(shell_program("busybox").is_some());
        assert!(
            !is_script_shell("busybox"),
            "busybox needs its applet name first"
        );
        assert!(!is_script_shell("python3"));
        assert!(shell_program("bash").unwrap().pipefail);
        assert!(!shell_program("sh").unwrap().pipefail);
        assert!(!shell_program("dash").unwrap().pipefail);
    }
}
