use super::*;

fn env(name: &str) -> Option<String> {
    match name {
        "A" => Some("alpha".into()),
        "EMPTY" => Some(String::new()),
        "PATH_" => Some("/usr/local/bin/file.tar.gz".into()),
        _ => None,
    }
}

fn ex(word: &str) -> String {
    expand(word, '\\', &env).expect("expands").value
}

#[test]
fn plain_and_braced() {
    assert_eq!(ex("$A"), "alpha");
    assert_eq!(ex("${A}x"), "alphax");
    assert_eq!(ex("$Ax"), "");
    assert_eq!(ex("a$"), "a$");
    assert_eq!(ex("'$A'"), "$A");
    assert_eq!(ex("\"$A b\""), "alpha b");
    assert_eq!(ex("\\$A"), "$A");
    assert_eq!(ex("\"\\$A\""), "$A");
    assert_eq!(ex("\"a\\b\""), "a\\b");
}

#[test]
fn modifiers() {
    assert_eq!(ex("${UNSET:-d}"), "d");
    assert_eq!(ex("${EMPTY:-d}"), "d");
    assert_eq!(ex("${EMPTY-d}"), "");
    assert_eq!(ex("${A:-d}"), "alpha");
    assert_eq!(ex("${A:+set}"), "set");
    assert_eq!(ex("${UNSET:+set}"), "");
    assert_eq!(ex("${EMPTY+set}"), "set");
    assert_eq!(ex("${EMPTY:+set}"), "");
    assert_eq!(ex("${PATH_#*/}"), "usr/local/bin/file.tar.gz");
    assert_eq!(ex("${PATH_##*/}"), "file.tar.gz");
    assert_eq!(ex("${PATH_%.*}"), "/usr/local/bin/file.tar");
    assert_eq!(ex("${PATH_%%.*}"), "/usr/local/bin/file");
    assert_eq!(ex("${A/l/L}"), "aLpha");
    assert_eq!(ex("${A//a/A}"), "AlphA");
    assert!(expand("${UNSET:?boom}", '\\', &env).is_err());
    assert!(expand("${A", '\\', &env).is_err());
    assert!(expand("${}", '\\', &env).is_err());
}

#[test]
fn unresolved_tracking() {
    let r = expand("img:${TAG}", '\\', &env).unwrap();
    assert_eq!(r.unresolved, vec!["TAG".to_string()]);
    let r = expand("img:${TAG:-latest}", '\\', &env).unwrap();
    assert!(r.is_resolved());
    assert_eq!(r.value, "img:latest");
}

#[test]
fn doubling_arguments_stop_at_the_cap() {
    let mut values = std::collections::HashMap::new();
    values.insert("A0".to_string(), "x".repeat(1000));
    for n in 1..64 {
        let word = format!("${{A{}}}${{A{}}}", n - 1, n - 1);
        let lookup = |name: &str| values.get(name).cloned();
        let e = expand(&word, '\\', &lookup).unwrap();
        assert!(e.value.len() <= MAX_EXPANDED_BYTES);
        values.insert(format!("A{n}"), e.value);
    }
    let e = expand("${A7}", '\\', &|n: &str| values.get(n).cloned()).unwrap();
    assert!(
        e.is_resolved() && e.value.is_empty(),
        "A7 overflowed: empty"
    );
    let e = expand("$A6$A6", '\\', &|n: &str| values.get(n).cloned()).unwrap();
    assert_eq!(e.unresolved, vec!["A6".to_string()]);
    // Replacing every character by a long replacement is charged too.
    let e = expand(
        &format!("${{A0//x/{}}}", "y".repeat(200)),
        '\\',
        &|n: &str| values.get(n).cloned(),
    )
    .unwrap();
    assert!(e.value.is_empty() && !e.is_resolved());
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let word = format!("{}x{}", "${A:-".repeat(20_000), "}".repeat(20_000));
    let e = expand(&word, '\\', &env).unwrap_err();
    assert!(e.contains("nested"), "{e}");
    assert!(try_unquote(&word, '\\').is_err());
    let fine = format!("{}x{}", "${U:-".repeat(10), "}".repeat(10));
    assert_eq!(ex(&fine), "x");
}

#[test]
fn backtick_escape() {
    assert_eq!(expand("`$A", '`', &env).unwrap().value, "$A");
    assert_eq!(expand("a\\b", '`', &env).unwrap().value, "a\\b");
}

#[test]
fn unquote_keeps_references() {
    assert_eq!(unquote("\"hello $A world\"", '\\'), "hello $A world");
    assert_eq!(unquote("'a b'c\\ d", '\\'), "a bc d");
    assert_eq!(unquote("${A:-x}", '\\'), "${A:-x}");
    assert_eq!(
        referenced_variables("$A ${B:-$C}", '\\'),
        vec!["A", "B", "C"]
    );
}
