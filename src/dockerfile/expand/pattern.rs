//! Shell patterns in `${VAR#p}`, `${VAR%p}` and `${VAR/p/r}`: matching (`*`, `?` and
//! the escape character) and the trims and replacements built on it.

/// Shell pattern matching of a whole string as BuildKit does it: `*`, `?` and escaped
/// characters; brackets are literal (BuildKit's pattern converter has no bracket expressions).
fn glob_match(pattern: &[char], text: &[char], escape: char) -> bool {
    let (mut p, mut t) = (0, 0);
    let (mut star_p, mut star_t) = (usize::MAX, 0);
    while t < text.len() {
        if p < pattern.len() {
            match pattern[p] {
                '*' => {
                    star_p = p;
                    star_t = t;
                    p += 1;
                    continue;
                }
                '?' => {
                    p += 1;
                    t += 1;
                    continue;
                }
                c => {
                    let (lit, next) = if c == escape && p + 1 < pattern.len() {
                        (pattern[p + 1], p + 2)
                    } else {
                        (c, p + 1)
                    };
                    if lit == text[t] {
                        p = next;
                        t += 1;
                        continue;
                    }
                }
            }
        }
        if star_p != usize::MAX {
            p = star_p + 1;
            star_t += 1;
            t = star_t;
            continue;
        }
        return false;
    }
    while p < pattern.len() && pattern[p] == '*' {
        p += 1;
    }
    p == pattern.len()
}

pub(super) fn trim_prefix(pattern: &[char], value: &str, greedy: bool, escape: char) -> String {
    let chars: Vec<char> = value.chars().collect();
    let mut lengths: Vec<usize> = (0..=chars.len()).collect();
    if greedy {
        lengths.reverse();
    }
    for n in lengths {
        if glob_match(pattern, &chars[..n], escape) {
            return chars[n..].iter().collect();
        }
    }
    value.to_string()
}

pub(super) fn trim_suffix(pattern: &[char], value: &str, greedy: bool, escape: char) -> String {
    let chars: Vec<char> = value.chars().collect();
    let mut starts: Vec<usize> = (0..=chars.len()).rev().collect();
    if greedy {
        starts.reverse();
    }
    for s in starts {
        if glob_match(pattern, &chars[s..], escape) {
            return chars[..s].iter().collect();
        }
    }
    value.to_string()
}

pub(super) fn replace(
    pattern: &[char],
    value: &str,
    replacement: &str,
    all: bool,
    escape: char,
) -> String {
    let chars: Vec<char> = value.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let mut replaced = false;
    while i < chars.len() {
        if !replaced || all {
            // Longest match starting at i.
            if let Some(end) = (i + 1..=chars.len())
                .rev()
                .find(|&e| glob_match(pattern, &chars[i..e], escape))
            {
                out.push_str(replacement);
                i = end;
                replaced = true;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}
