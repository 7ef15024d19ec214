//! Shared by the `report_formats` fuzz target and the proptest in tests/report_fuzz.rs: lint
//! arbitrary bytes and check every report format's output.

use imgtools::lint::config::Config;
use imgtools::lint::engine::{Input, Policy, lint_all};
use imgtools::lint::rules::REGISTRY;
use imgtools::report::{self, Format, ReportOptions};

pub const FORMATS: [Format; 7] = [
    Format::Tty,
    Format::Json,
    Format::Sarif,
    Format::Checkstyle,
    Format::Gitlab,
    Format::Github,
    Format::Gnu,
];

/// The first line of `data` is the file's name, the rest its content.
pub fn lint_and_check_every_format(data: &[u8]) {
    let split = data.iter().position(|&b| b == b'\n').unwrap_or(0);
    let name = String::from_utf8_lossy(&data[..split]).into_owned();
    let name = if name.is_empty() {
        "Dockerfile".to_string()
    } else {
        name
    };
    let policy = Policy::from_config(&Config::default());
    let input = Input {
        display_name: name.clone(),
        path: name.into(),
        bytes: data[split..].to_vec(),
        build_context: None,
    };
    let linted = lint_all(&[(input, &policy)], REGISTRY);
    for color in [false, true] {
        let options = ReportOptions {
            color,
            cwd: "/work".into(),
            rules: REGISTRY,
            fix_mode: Default::default(),
        };
        for format in FORMATS {
            if color && format != Format::Tty {
                continue;
            }
            let mut out = Vec::new();
            report::write(format, &linted, &options, &mut out).expect("report writes");
            let text = String::from_utf8(out).expect("reports are UTF-8");
            if let Err(e) = check(format, &text, color) {
                panic!("{format:?}: {e}\n{text}");
            }
        }
    }
}

/// Checks one report: no raw control or bidi character (ESC only in colour codes), JSON that
/// parses, XML that is well-formed.
pub fn check(format: Format, text: &str, color: bool) -> Result<(), String> {
    let plain = if color {
        strip_colour_codes(text)
    } else {
        text.to_string()
    };
    if let Some(c) = plain
        .chars()
        .find(|&c| c != '\n' && imgtools::report::is_unsafe_char(c))
    {
        return Err(format!("raw {c:?}"));
    }
    match format {
        Format::Json | Format::Sarif | Format::Gitlab => {
            serde_json::from_str::<serde_json::Value>(text)
                .map(|_| ())
                .map_err(|e| format!("invalid JSON: {e}"))
        }
        Format::Checkstyle => check_xml(text),
        _ => Ok(()),
    }
}

fn strip_colour_codes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("\x1b[") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let end = after.find('m').map_or(after.len(), |e| e + 1);
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

fn is_xml_char(c: char) -> bool {
    matches!(c as u32, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

/// A small XML 1.0 well-formedness check for the shapes checkstyle output has: a declaration,
/// nested elements with double-quoted attributes, no text content but whitespace, and only the
/// predefined entities or character references of legal characters.
pub fn check_xml(text: &str) -> Result<(), String> {
    if let Some(c) = text.chars().find(|&c| !is_xml_char(c)) {
        return Err(format!("character {c:?} is not allowed in XML 1.0"));
    }
    let body = text
        .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        .ok_or("no XML declaration")?;
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = body;
    let mut seen_root = false;
    loop {
        let trimmed = rest.trim_start();
        if trimmed.is_empty() {
            break;
        }
        let tag = trimmed.strip_prefix('<').ok_or("text outside a tag")?;
        let end = tag.find('>').ok_or("unterminated tag")?;
        let inner = &tag[..end];
        rest = &tag[end + 1..];
        if let Some(name) = inner.strip_prefix('/') {
            if stack.pop() != Some(name) {
                return Err(format!("mismatched </{name}>"));
            }
            continue;
        }
        let (inner, empty) = match inner.strip_suffix('/') {
            Some(i) => (i, true),
            None => (inner, false),
        };
        let name_end = inner.find(' ').unwrap_or(inner.len());
        let name = &inner[..name_end];
        if name.is_empty() || (stack.is_empty() && seen_root) {
            return Err("bad element".into());
        }
        seen_root = true;
        check_attributes(&inner[name_end..])?;
        if !empty {
            stack.push(name);
        }
    }
    if stack.is_empty() && seen_root {
        Ok(())
    } else {
        Err(format!("unclosed {stack:?}"))
    }
}

fn check_attributes(mut attrs: &str) -> Result<(), String> {
    loop {
        attrs = attrs.trim_start();
        if attrs.is_empty() {
            return Ok(());
        }
        let eq = attrs.find("=\"").ok_or("attribute without value")?;
        let value_and_rest = &attrs[eq + 2..];
        let close = value_and_rest.find('"').ok_or("unterminated attribute")?;
        check_escaped(&value_and_rest[..close])?;
        attrs = &value_and_rest[close + 1..];
    }
}

fn check_escaped(value: &str) -> Result<(), String> {
    if value.contains('<') {
        return Err("raw < in an attribute".into());
    }
    let mut rest = value;
    while let Some(i) = rest.find('&') {
        let after = &rest[i + 1..];
        let end = after.find(';').ok_or("unterminated reference")?;
        let reference = &after[..end];
        let ok = match reference {
            "amp" | "lt" | "gt" | "quot" | "apos" => true,
            r => {
                let code = if let Some(hex) = r.strip_prefix("#x") {
                    u32::from_str_radix(hex, 16).ok()
                } else {
                    r.strip_prefix('#').and_then(|d| d.parse().ok())
                };
                code.and_then(char::from_u32).is_some_and(is_xml_char)
            }
        };
        if !ok {
            return Err(format!("bad reference &{reference};"));
        }
        rest = &after[end + 1..];
    }
    Ok(())
}
