//! The config file (`$XDG_CONFIG_HOME/imgdive/config.yaml`): dive's `keybinding:` section (see
//! [`KeyMap::apply_config`]) and dive's view preferences.
//!
//! ```yaml
//! filetree: {collapse-dir: false, show-attributes: true, pane-width: 0.5}
//! layer: {show-aggregated-changes: false}
//! diff: {hide: [unmodified]}
//! ```

use std::path::Path;

use super::keys::{KeyMap, config_path};
use super::rows::HiddenKinds;

/// How the view starts, as dive's config keys set it.
#[derive(Debug, Clone, PartialEq)]
pub struct Preferences {
    pub show_attributes: bool,
    /// Start with every directory collapsed.
    pub collapse_dirs: bool,
    /// Start in the aggregated view.
    pub aggregated: bool,
    pub hidden: HiddenKinds,
    /// Share of the width the file tree takes (0 < w < 1; dive resets anything else to 0.5).
    pub tree_width: f64,
    /// Start with the tree sorted by size, biggest first (`filetree.sort: size`, imgdive's).
    pub sort_by_size: bool,
}

impl Default for Preferences {
    fn default() -> Self {
        Preferences {
            show_attributes: true,
            collapse_dirs: false,
            aggregated: false,
            hidden: HiddenKinds::default(),
            tree_width: 0.5,
            sort_by_size: false,
        }
    }
}

fn flag(
    doc: &serde_norway::Value,
    section: &str,
    key: &str,
    origin: &Path,
) -> Result<Option<bool>, String> {
    match doc.get(section).and_then(|s| s.get(key)) {
        None => Ok(None),
        Some(v) => v.as_bool().map(Some).ok_or_else(|| {
            format!(
                "{}: `{section}.{key}` must be true or false",
                origin.display()
            )
        }),
    }
}

impl Preferences {
    pub fn parse(text: &str, origin: &Path) -> Result<Preferences, String> {
        let doc: serde_norway::Value = serde_norway::from_str(text)
            .map_err(|e| format!("{}: not valid YAML: {e}", origin.display()))?;
        let mut prefs = Preferences::default();
        if let Some(v) = flag(&doc, "filetree", "show-attributes", origin)? {
            prefs.show_attributes = v;
        }
        if let Some(v) = flag(&doc, "filetree", "collapse-dir", origin)? {
            prefs.collapse_dirs = v;
        }
        if let Some(v) = flag(&doc, "layer", "show-aggregated-changes", origin)? {
            prefs.aggregated = v;
        }
        if let Some(width) = doc.get("filetree").and_then(|s| s.get("pane-width")) {
            let width = width.as_f64().ok_or_else(|| {
                format!(
                    "{}: `filetree.pane-width` must be a number",
                    origin.display()
                )
            })?;
            if width > 0.0 && width < 1.0 {
                prefs.tree_width = width;
            }
        }
        if let Some(sort) = doc.get("filetree").and_then(|s| s.get("sort")) {
            prefs.sort_by_size = match sort.as_str() {
                Some("size") => true,
                Some("name") => false,
                _ => {
                    return Err(format!(
                        "{}: `filetree.sort` takes name or size",
                        origin.display()
                    ));
                }
            };
        }
        if let Some(hide) = doc.get("diff").and_then(|d| d.get("hide")) {
            let list = hide
                .as_sequence()
                .ok_or_else(|| format!("{}: `diff.hide` must be a list", origin.display()))?;
            for kind in list {
                match kind.as_str() {
                    Some("added") => prefs.hidden.added = true,
                    Some("removed") => prefs.hidden.removed = true,
                    Some("modified") => prefs.hidden.modified = true,
                    Some("unmodified") => prefs.hidden.unchanged = true,
                    _ => {
                        return Err(format!(
                            "{}: `diff.hide` takes added, removed, modified, unmodified",
                            origin.display()
                        ));
                    }
                }
            }
        }
        Ok(prefs)
    }
}

/// Keys and preferences from the user's config file, or the defaults when there is none.
pub fn load() -> Result<(KeyMap, Preferences), String> {
    let mut keys = KeyMap::default();
    let Some(path) = config_path() else {
        return Ok((keys, Preferences::default()));
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    keys.apply_config(&text, &path)?;
    let prefs = Preferences::parse(&text, &path)?;
    Ok((keys, prefs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_dives_view_settings() {
        let text = "filetree:\n  collapse-dir: true\n  show-attributes: false\n  pane-width: 0.6\n\
                    layer:\n  show-aggregated-changes: true\ndiff:\n  hide: [unmodified, removed]\n";
        let prefs = Preferences::parse(text, Path::new("c.yaml")).unwrap();
        assert!(prefs.collapse_dirs && !prefs.show_attributes && prefs.aggregated);
        assert_eq!(prefs.tree_width, 0.6);
        assert!(prefs.hidden.unchanged && prefs.hidden.removed && !prefs.hidden.added);
        // Out-of-range widths fall back to dive's 0.5.
        let prefs =
            Preferences::parse("filetree: {pane-width: 1.5}\n", Path::new("c.yaml")).unwrap();
        assert_eq!(prefs.tree_width, 0.5);
        let sorted = Preferences::parse("filetree: {sort: size}\n", Path::new("c.yaml")).unwrap();
        assert!(sorted.sort_by_size);
        assert!(Preferences::parse("filetree: {sort: age}\n", Path::new("c.yaml")).is_err());
        let err =
            Preferences::parse("diff: {hide: [everything]}\n", Path::new("c.yaml")).unwrap_err();
        assert!(err.contains("diff.hide"), "{err}");
    }
}
