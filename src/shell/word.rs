//! Shell words: the [`Word`] type and quote removal.

use crate::dockerfile::ast::Span;

/// One shell word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// With quotes and backslash escapes removed (variables are NOT expanded).
    pub value: String,
    /// As written.
    pub raw: String,
    pub span: Span,
    /// Byte offset of the raw word in the parsed [`SourceText`]'s value, when known exactly.
    pub value_offset: Option<usize>,
}

impl Word {
    /// The word names a flag (`-y`, `--yes`, `--opt=value`); `-` alone and `--` do not count.
    pub fn is_flag(&self) -> bool {
        self.value.starts_with('-') && self.value != "-" && self.value != "--"
    }

    /// Contains a parameter expansion or command substitution, so its value is unknown.
    pub fn is_dynamic(&self) -> bool {
        self.raw.contains('$') || self.raw.contains('`')
    }
}

/// The last path component (`/usr/bin/apt-get` → `apt-get`; `dir/` → ``).
///
/// Every rule asks for command names, about a million times over the corpus: a plain byte scan
/// of these short strings costs a fraction of `rsplit`'s reverse searcher.
pub fn basename(path: &str) -> &str {
    match path.bytes().rposition(|b| b == b'/') {
        Some(slash) => &path[slash + 1..],
        None => path,
    }
}

/// Removes shell quoting: `'…'` verbatim, `"…"` with `\"`, `\\`, `\$`, `` \` `` escapes,
/// backslash escapes outside quotes. Expansions are left as written.
pub fn unquote(raw: &str) -> String {
    // Most words carry no quoting at all (command names, flags, package names).
    if !raw.bytes().any(|b| matches!(b, b'\'' | b'"' | b'\\')) {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    let mut in_double = false;
    while let Some(c) = chars.next() {
        match c {
            '\'' if !in_double => {
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    out.push(c);
                }
            }
            '"' => in_double = !in_double,
            '\\' => match chars.next() {
                Some(n) if !in_double || matches!(n, '"' | '\\' | '$' | '`') => out.push(n),
                Some('\n') => {}
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push('\\'),
            },
            '$' if !in_double && chars.peek() == Some(&'\'') => {
                // $'…' ANSI-C quoting: keep the content, escapes undecoded.
                chars.next();
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    out.push(c);
                }
            }
            _ => out.push(c),
        }
    }
    out
}
