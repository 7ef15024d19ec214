//! IL5005: TLS certificate or package signature verification is turned off.

use crate::dockerfile::ast::Keyword;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::packages::is_pip_install;
use crate::lint::rules::util::run_commands;

pub static RULE: Rule = Rule {
    code: "IL5005",
    name: "verification-disabled",
    category: Category::Security,
    severity: Severity::Warning,
    summary: "Do not disable TLS certificate or package signature verification",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/IL5005.md"),
    check,
};

/// Environment variables that turn verification off, and the values that do it.
fn disabling_env(key: &str, value: &str) -> bool {
    let v = value.to_ascii_lowercase();
    match key {
        "GIT_SSL_NO_VERIFY" => !matches!(v.as_str(), "" | "0" | "false"),
        "NODE_TLS_REJECT_UNAUTHORIZED" | "PYTHONHTTPSVERIFY" => v == "0",
        "CURL_INSECURE" => v == "1" || v == "true",
        "NPM_CONFIG_STRICT_SSL" | "npm_config_strict_ssl" => v == "false",
        // pip then accepts any certificate (or plain HTTP) from these hosts.
        "PIP_TRUSTED_HOST" => !v.is_empty(),
        _ => false,
    }
}

fn check(ctx: &Context, sink: &mut Sink) {
    for instr in &ctx.dockerfile.instructions {
        if matches!(instr.keyword, Keyword::Env | Keyword::Arg) {
            for pair in &instr.pairs {
                let value = pair.value.as_ref().map(|v| v.value.as_str()).unwrap_or("");
                if disabling_env(&pair.key.value, value) {
                    sink.report(
                        pair.key.span,
                        format!(
                            "`{}={value}` turns off TLS verification for everything after it",
                            pair.key.value
                        ),
                    );
                }
            }
        }
    }
    for (_, _, cmd) in run_commands(ctx) {
        let mut report = |span, what: &str| {
            sink.report(span, format!("{what} turns off verification: a man-in-the-middle can inject code into the image. Install the CA certificate instead"));
        };
        for (k, v) in &cmd.assignments {
            if disabling_env(k, v) {
                report(cmd.name.span, &format!("`{k}={v}`"));
            }
        }
        let flag = match cmd.program() {
            "wget" => cmd.find_flag(&["--no-check-certificate"]),
            "curl" => cmd.find_flag(&["-k", "--insecure"]),
            "yum" | "dnf" | "microdnf" | "tdnf" | "rpm" => cmd
                .find_flag(&["--nogpgcheck", "--nosignature", "--nodigest"])
                .or_else(|| {
                    cmd.args.iter().find(|a| {
                        let v = a.value.to_ascii_lowercase();
                        v.contains("sslverify=0")
                            || v.contains("sslverify=false")
                            || v.contains("gpgcheck=0")
                            || v.contains("gpgcheck=false")
                    })
                }),
            "apt-get" | "apt" => cmd.find_flag(&[
                "--allow-unauthenticated",
                "--allow-insecure-repositories",
                "--force-yes",
            ]),
            "apk" => cmd.find_flag(&["--allow-untrusted"]),
            "git" => cmd
                .args
                .iter()
                .find(|a| a.value.to_ascii_lowercase().replace(' ', "") == "http.sslverify=false"),
            "npm" | "yarn" | "pnpm" => {
                let words: Vec<&str> = cmd.args.iter().map(|a| a.value.as_str()).collect();
                let set = words
                    .windows(3)
                    .position(|w| w[0] == "set" && w[1] == "strict-ssl" && w[2] == "false");
                set.map(|i| &cmd.args[i + 1])
                    .or_else(|| cmd.args.iter().find(|a| a.value == "--strict-ssl=false"))
            }
            _ if is_pip_install(cmd) => cmd.find_flag(&["--trusted-host"]),
            _ => None,
        };
        if let Some(w) = flag {
            report(w.span, &format!("`{}`", w.value));
        }
        if cmd.is("git") {
            let words: Vec<&str> = cmd.args.iter().map(|a| a.value.as_str()).collect();
            if let Some(i) = words
                .windows(2)
                .position(|w| w[0].eq_ignore_ascii_case("http.sslVerify") && w[1] == "false")
            {
                report(cmd.args[i].span, "`git config http.sslVerify false`");
            }
        }
    }
}
