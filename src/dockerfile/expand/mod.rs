//! Variable expansion and quote removal as BuildKit's shell lexer (`shell/lex.go`) does it:
//! `$VAR`, `${VAR}`, `${VAR:-x}`, `${VAR-x}`, `${VAR:+x}`, `${VAR+x}`, `${VAR:?x}`, `${VAR?x}`,
//! `${VAR#p}`, `${VAR##p}`, `${VAR%p}`, `${VAR%%p}`, `${VAR/p/r}`, `${VAR//p/r}`, single and
//! double quotes, and the escape character.

mod pattern;

use pattern::{replace, trim_prefix, trim_suffix};

/// The result of expanding one word.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Expanded {
    pub value: String,
    /// Variables that were referenced without a value and without a default that would decide
    /// the result: the value depends on build arguments we do not know.
    pub unresolved: Vec<String>,
}

impl Expanded {
    pub fn is_resolved(&self) -> bool {
        self.unresolved.is_empty()
    }
}

/// An expansion longer than this many bytes is not computed: the word counts as unresolved
/// (64 lines of `ARG An=${An-1}${An-1}` would otherwise double to exabytes).
pub const MAX_EXPANDED_BYTES: usize = 64 * 1024;

/// `${…}` nested deeper than this is an error rather than a deeper recursion (20,000 nested
/// `${A:-` overflowed the stack). No real Dockerfile nests more than a few levels.
pub const MAX_NESTING: usize = 64;

/// Pattern operations (`#`, `%`, `/`) match in polynomial time: values or patterns longer than
/// this many characters are left unresolved instead.
const MAX_PATTERN_SUBJECT: usize = 256;

/// Expands `word` (quotes removed, escapes processed) with variables from `lookup`.
///
/// `escape` is the Dockerfile's escape character (`\` or `` ` ``). Errors are BuildKit's
/// (`syntax error: missing '}'`, `bad substitution`, `${X:?msg}` on an unset X…). A result
/// that would exceed [`MAX_EXPANDED_BYTES`] is returned empty with the variable that overflowed
/// as unresolved.
pub fn expand(
    word: &str,
    escape: char,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Expanded, String> {
    // Nothing to expand, unquote or unescape (most words): the word is its own value.
    if !word.contains(['$', '\'', '"', escape]) {
        return Ok(Expanded {
            value: word.to_string(),
            unresolved: Vec::new(),
        });
    }
    let mut lexer = Lexer {
        chars: word.chars().collect(),
        pos: 0,
        escape,
        lookup: Some(lookup),
        unresolved: Vec::new(),
        depth: 0,
        substituted: 0,
        overflow: None,
    };
    let value = lexer.process_stop_on(None, false)?;
    if let Some(name) = lexer.overflow {
        return Ok(Expanded {
            value: String::new(),
            unresolved: vec![name],
        });
    }
    Ok(Expanded {
        value,
        unresolved: lexer.unresolved,
    })
}

/// Removes quotes and processes escapes but leaves every `$` reference as written: the value
/// BuildKit would see before variable substitution. An unterminated quote keeps the word as
/// written (use [`try_unquote`] to see the error).
pub fn unquote(word: &str, escape: char) -> String {
    try_unquote(word, escape).unwrap_or_else(|_| word.to_string())
}

/// [`unquote`], reporting an unterminated quote or a malformed `${…}` as BuildKit does.
pub fn try_unquote(word: &str, escape: char) -> Result<String, String> {
    let mut lexer = Lexer {
        chars: word.chars().collect(),
        pos: 0,
        escape,
        lookup: None,
        unresolved: Vec::new(),
        depth: 0,
        substituted: 0,
        overflow: None,
    };
    lexer.process_stop_on(None, false)
}

/// The names of variable references in `word` (`$A`, `${B:-x}` → `A`, `B`), sorted.
pub fn referenced_variables(word: &str, escape: char) -> Vec<String> {
    // Every reference starts with `$`; most words have none, and the lexer costs a decode.
    if !word.contains('$') {
        return Vec::new();
    }
    let names = std::cell::RefCell::new(Vec::new());
    let lookup = |name: &str| {
        names.borrow_mut().push(name.to_string());
        None
    };
    let _ = expand(word, escape, &lookup);
    let mut names = names.into_inner();
    names.sort();
    names.dedup();
    names
}

/// How the lexer looks up a variable: `None` when it has no value.
type Lookup<'a> = &'a dyn Fn(&str) -> Option<String>;

struct Lexer<'a> {
    chars: Vec<char>,
    pos: usize,
    escape: char,
    /// `None`: keep references literally (quote removal only).
    lookup: Option<Lookup<'a>>,
    unresolved: Vec<String>,
    /// `${…}` levels currently open.
    depth: usize,
    /// Bytes of variable values and pattern results produced so far.
    substituted: usize,
    /// The variable whose value pushed the result past [`MAX_EXPANDED_BYTES`].
    overflow: Option<String>,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.chars.get(self.pos).copied();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    /// Reads up to `stop` (consumed) or the end. `raw_escapes` keeps escape characters (for
    /// `#`/`%` patterns, where they matter to the pattern matcher).
    fn process_stop_on(&mut self, stop: Option<char>, raw_escapes: bool) -> Result<String, String> {
        let mut result = String::new();
        loop {
            let Some(c) = self.peek() else {
                if stop.is_some() {
                    return Err("unexpected end of statement".to_string());
                }
                return Ok(result);
            };
            if Some(c) == stop {
                self.next();
                return Ok(result);
            }
            match c {
                '\'' => result.push_str(&self.process_single_quote()?),
                '"' => result.push_str(&self.process_double_quote()?),
                '$' => result.push_str(&self.process_dollar()?),
                _ => {
                    self.next();
                    if c == self.escape {
                        if raw_escapes {
                            result.push(c);
                        }
                        match self.next() {
                            Some(n) => result.push(n),
                            None => return Ok(result),
                        }
                    } else {
                        result.push(c);
                    }
                }
            }
        }
    }

    fn process_single_quote(&mut self) -> Result<String, String> {
        self.next();
        let mut result = String::new();
        loop {
            match self.next() {
                None => {
                    return Err(
                        "unexpected end of statement while looking for matching single-quote"
                            .to_string(),
                    );
                }
                Some('\'') => return Ok(result),
                Some(c) => result.push(c),
            }
        }
    }

    fn process_double_quote(&mut self) -> Result<String, String> {
        self.next();
        let mut result = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(
                    "unexpected end of statement while looking for matching double-quote"
                        .to_string(),
                );
            };
            match c {
                '"' => {
                    self.next();
                    return Ok(result);
                }
                '$' => result.push_str(&self.process_dollar()?),
                _ => {
                    self.next();
                    if c == self.escape {
                        match self.peek() {
                            None => continue,
                            Some(n) if n == '"' || n == '$' || n == self.escape => {
                                self.next();
                                result.push(n);
                                continue;
                            }
                            Some(_) => {}
                        }
                    }
                    result.push(c);
                }
            }
        }
    }

    fn get_env(&mut self, name: &str) -> Option<String> {
        let value = self.lookup.and_then(|f| f(name))?;
        Some(self.charge(name, value))
    }

    /// Counts `produced` against the expansion budget; past it, records the overflow and
    /// yields nothing more.
    fn charge(&mut self, name: &str, produced: String) -> String {
        if self.overflow.is_some() {
            return String::new();
        }
        self.substituted = self.substituted.saturating_add(produced.len());
        if self.substituted > MAX_EXPANDED_BYTES {
            self.overflow = Some(name.to_string());
            return String::new();
        }
        produced
    }

    fn process_dollar(&mut self) -> Result<String, String> {
        if self.depth >= MAX_NESTING {
            return Err(format!(
                "syntax error: substitutions nested more than {MAX_NESTING} deep"
            ));
        }
        self.depth += 1;
        let result = self.process_dollar_inner();
        self.depth -= 1;
        result
    }

    fn process_dollar_inner(&mut self) -> Result<String, String> {
        let start = self.pos;
        self.next();
        if self.peek() != Some('{') {
            let name = self.process_name();
            if name.is_empty() {
                return Ok("$".to_string());
            }
            if self.lookup.is_none() {
                return Ok(self.chars[start..self.pos].iter().collect());
            }
            return Ok(match self.get_env(&name) {
                Some(v) => v,
                None => {
                    self.unresolved.push(name);
                    String::new()
                }
            });
        }
        self.next();
        match self.peek() {
            None => return Err("syntax error: missing '}'".to_string()),
            Some('{' | '}' | ':') => return Err("syntax error: bad substitution".to_string()),
            _ => {}
        }
        let name = self.process_name();
        let Some(mut modifier) = self.next() else {
            return Err("syntax error: missing '}'".to_string());
        };
        let literal = |lexer: &Self| -> String { lexer.chars[start..lexer.pos].iter().collect() };
        match modifier {
            '}' => {
                if self.lookup.is_none() {
                    return Ok(literal(self));
                }
                Ok(match self.get_env(&name) {
                    Some(v) => v,
                    None => {
                        self.unresolved.push(name);
                        String::new()
                    }
                })
            }
            ':' | '+' | '-' | '?' | '#' | '%' => {
                let null_is_unset = modifier == ':';
                if null_is_unset {
                    modifier = self.next().ok_or("syntax error: missing '}'")?;
                }
                let raw_escapes = modifier == '#' || modifier == '%';
                if null_is_unset && (raw_escapes || !matches!(modifier, '+' | '-' | '?')) {
                    return Err(format!(
                        "unsupported modifier (:{modifier}) in substitution"
                    ));
                }
                let unresolved_before = self.unresolved.len();
                let word = match self.process_stop_on(Some('}'), raw_escapes) {
                    Ok(w) => w,
                    Err(_) if self.peek().is_none() => {
                        return Err("syntax error: missing '}'".to_string());
                    }
                    Err(e) => return Err(e),
                };
                if self.lookup.is_none() {
                    return Ok(literal(self));
                }
                let value = self.get_env(&name);
                let set = value.is_some();
                let value = value.unwrap_or_default();
                let empty_or_unset = !set || (null_is_unset && value.is_empty());
                match modifier {
                    '-' => {
                        if empty_or_unset {
                            Ok(word)
                        } else {
                            self.unresolved.truncate(unresolved_before);
                            Ok(value)
                        }
                    }
                    '+' => {
                        if empty_or_unset {
                            self.unresolved.truncate(unresolved_before);
                            Ok(String::new())
                        } else {
                            Ok(word)
                        }
                    }
                    '?' => {
                        if !set {
                            let msg = if word.is_empty() {
                                "is not allowed to be unset"
                            } else {
                                &word
                            };
                            return Err(format!("{name}: {msg}"));
                        }
                        if null_is_unset && value.is_empty() {
                            let msg = if word.is_empty() {
                                "is not allowed to be empty"
                            } else {
                                &word
                            };
                            return Err(format!("{name}: {msg}"));
                        }
                        Ok(value)
                    }
                    _ => {
                        let (greedy, pattern) = match word.strip_prefix(modifier) {
                            Some(p) => (true, p.to_string()),
                            None => (false, word),
                        };
                        let too_long = value.len() > MAX_PATTERN_SUBJECT
                            || pattern.len() > MAX_PATTERN_SUBJECT;
                        if !set || too_long {
                            self.unresolved.push(name);
                        }
                        if too_long {
                            return Ok(String::new());
                        }
                        let pattern: Vec<char> = pattern.chars().collect();
                        Ok(if modifier == '%' {
                            trim_suffix(&pattern, &value, greedy, self.escape)
                        } else {
                            trim_prefix(&pattern, &value, greedy, self.escape)
                        })
                    }
                }
            }
            '/' => {
                let replace_all = self.peek() == Some('/');
                if replace_all {
                    self.next();
                }
                let pattern = self
                    .process_stop_on(Some('/'), true)
                    .map_err(|_| "syntax error: missing '/' in ${}".to_string())?;
                let replacement = self
                    .process_stop_on(Some('}'), true)
                    .map_err(|_| "syntax error: missing '}'".to_string())?;
                if self.lookup.is_none() {
                    return Ok(literal(self));
                }
                let Some(value) = self.get_env(&name) else {
                    self.unresolved.push(name);
                    return Ok(String::new());
                };
                if value.len() > MAX_PATTERN_SUBJECT || pattern.len() > MAX_PATTERN_SUBJECT {
                    self.unresolved.push(name);
                    return Ok(String::new());
                }
                let pattern: Vec<char> = pattern.chars().collect();
                let replaced = replace(&pattern, &value, &replacement, replace_all, self.escape);
                Ok(self.charge(&name, replaced))
            }
            other => Err(format!("unsupported modifier ({other}) in substitution")),
        }
    }

    fn process_name(&mut self) -> String {
        let mut name = String::new();
        while let Some(c) = self.peek() {
            if name.is_empty() && c.is_ascii_digit() {
                while let Some(d) = self.peek() {
                    if !d.is_ascii_digit() {
                        break;
                    }
                    name.push(d);
                    self.next();
                }
                return name;
            }
            if name.is_empty() && matches!(c, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0') {
                self.next();
                return c.to_string();
            }
            if !c.is_alphanumeric() && c != '_' {
                break;
            }
            name.push(c);
            self.next();
        }
        name
    }
}

#[cfg(test)]
mod tests;
