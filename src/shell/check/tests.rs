use std::collections::HashSet;

use super::*;
use crate::shell::parse_str;

fn codes_in(script: &str, dialect: Dialect, known: &[&str]) -> Vec<(&'static str, u32)> {
    let script = parse_str(script);
    let known: HashSet<String> = known.iter().map(|s| s.to_string()).collect();
    let pass = Pass::new(&script, dialect, &known);
    let mut found: Vec<_> = analyze(&pass, |_| true)
        .into_iter()
        .map(|f| (f.code, f.span.start.column))
        .collect();
    found.sort();
    found
}

fn codes(script: &str) -> Vec<&'static str> {
    codes_in(script, Dialect::Sh, &[])
        .into_iter()
        .map(|f| f.0)
        .collect()
}

#[test]
fn unquoted_variables_follow_the_data_flow() {
    // Known from ARG/ENV, or assigned a plain literal earlier: safe.
    assert!(codes_in("mkdir -p $DIR", Dialect::Sh, &["DIR"]).is_empty());
    assert!(codes("V=1.2 && curl -o /tmp/x https://e.com/$V").is_empty());
    // Unknown, or from a command substitution: reported, at the `$`.
    assert_eq!(codes_in("echo $X", Dialect::Sh, &[]), [("SC2086", 6)]);
    assert_eq!(codes("V=$(cat f) && echo $V"), ["SC2086"]);
    assert_eq!(codes("V='a b'; echo ${V}"), ["SC2086"]);
    // Quoted, lengths, specials: not reported.
    assert!(codes("V=$(cat f); echo \"$V\" ${#V} $? $$").is_empty());
    // A later literal assignment makes it safe again.
    assert!(codes("V=$(cat f); V=x; echo $V").is_empty());
}

#[test]
fn declarations_split_in_sh_but_not_in_bash() {
    assert_eq!(codes("export A=$(uname -m)"), ["SC2046", "SC2155"]);
    let bash: Vec<_> = codes_in("export A=$(uname -m)", Dialect::Bash, &[])
        .into_iter()
        .map(|f| f.0)
        .collect();
    assert_eq!(bash, ["SC2155"]);
}

#[test]
fn bashisms_only_in_posix_sh() {
    let script = "source /etc/profile; echo -n x; set -o pipefail; [ a == a ]; A=(1 2)";
    assert_eq!(
        codes(script),
        ["SC3014", "SC3030", "SC3037", "SC3040", "SC3046"]
    );
    assert!(codes_in(script, Dialect::Bash, &[]).is_empty());
    // BusyBox ash has these except arrays.
    let ash: Vec<_> = codes_in(script, Dialect::Ash, &[])
        .into_iter()
        .map(|f| f.0)
        .collect();
    assert_eq!(ash, ["SC3030"]);
}

#[test]
fn sh_c_strings_are_not_checked() {
    assert!(codes("sh -c 'echo $X'").is_empty());
}

#[test]
fn negation_matters_only_with_errexit() {
    assert_eq!(codes("set -e; ! grep -q x f; echo"), ["SC2251"]);
    assert!(codes("! grep -q x f; echo").is_empty());
    assert!(codes("set -e; if ! grep -q x f; then echo; fi").is_empty());
    assert!(codes("set -e; echo; ! grep -q x f").is_empty());
    // The last command of an `if` body: the `if` is not what the script returns.
    assert_eq!(
        codes("set -e; if true; then ! grep -q x f; fi; echo"),
        ["SC2251"]
    );
    assert!(codes("set -e; f() { ! grep -q x f; }; ( ! true )").is_empty());
}

#[test]
fn loops_over_one_constant() {
    assert_eq!(codes("for v in 3.11; do echo \"$v\"; done"), ["SC2043"]);
    assert!(codes("for v in 3.11 3.12; do echo \"$v\"; done").is_empty());
    assert!(codes("for f in *.txt; do echo \"$f\"; done").is_empty());
}

#[test]
fn commands_that_want_dollar_in_single_quotes() {
    assert!(codes("awk '{print $1}' f; sed -i '$d' f; jq '$x'").is_empty());
    assert_eq!(codes("echo '$HOME'"), ["SC2016"]);
}

#[test]
fn every_check_has_a_unique_sorted_code() {
    for pair in CHECKS.windows(2) {
        assert!(pair[0].code < pair[1].code, "{}", pair[1].code);
    }
    assert!(CHECKS.len() >= 27);
}
