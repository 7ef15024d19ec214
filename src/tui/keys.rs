//! The keymap: which key triggers which action, with dive's names and defaults, overridable from
//! a config file (`$XDG_CONFIG_HOME/imgdive/config.yaml`, key `keybinding:` as in dive).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Everything a key can do. Names (`as_str`) are dive's config keys where dive has the action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    ToggleView,
    FilterFiles,
    CloseFilterFiles,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    CompareAll,
    CompareLayer,
    CompareBase,
    ToggleCollapseDir,
    ToggleCollapseAllDir,
    ToggleAddedFiles,
    ToggleRemovedFiles,
    ToggleModifiedFiles,
    ToggleUnmodifiedFiles,
    ToggleFiletreeAttributes,
    ToggleSortOrder,
    ToggleWrapTree,
    OpenFile,
    ViewerDiff,
    ExtractFile,
    ImageConfig,
    LargestFiles,
    Help,
}

/// Where an action applies: dive overloads `ctrl+a` (aggregated view in the layers pane, hide
/// added files in the tree), so a key resolves to the first of its actions valid in the pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Global,
    Layers,
    Tree,
}

impl Action {
    pub const ALL: [Action; 30] = [
        Action::Quit,
        Action::ToggleView,
        Action::FilterFiles,
        Action::CloseFilterFiles,
        Action::Up,
        Action::Down,
        Action::Left,
        Action::Right,
        Action::PageUp,
        Action::PageDown,
        Action::Home,
        Action::End,
        Action::CompareAll,
        Action::CompareLayer,
        Action::CompareBase,
        Action::ToggleCollapseDir,
        Action::ToggleCollapseAllDir,
        Action::ToggleAddedFiles,
        Action::ToggleRemovedFiles,
        Action::ToggleModifiedFiles,
        Action::ToggleUnmodifiedFiles,
        Action::ToggleFiletreeAttributes,
        Action::ToggleSortOrder,
        Action::ToggleWrapTree,
        Action::OpenFile,
        Action::ViewerDiff,
        Action::ExtractFile,
        Action::ImageConfig,
        Action::LargestFiles,
        Action::Help,
    ];

    /// The config key (dive's name where dive has one).
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::ToggleView => "toggle-view",
            Action::FilterFiles => "filter-files",
            Action::CloseFilterFiles => "close-filter-files",
            Action::Up => "up",
            Action::Down => "down",
            Action::Left => "left",
            Action::Right => "right",
            Action::PageUp => "page-up",
            Action::PageDown => "page-down",
            Action::Home => "home",
            Action::End => "end",
            Action::CompareAll => "compare-all",
            Action::CompareLayer => "compare-layer",
            Action::CompareBase => "compare-base",
            Action::ToggleCollapseDir => "toggle-collapse-dir",
            Action::ToggleCollapseAllDir => "toggle-collapse-all-dir",
            Action::ToggleAddedFiles => "toggle-added-files",
            Action::ToggleRemovedFiles => "toggle-removed-files",
            Action::ToggleModifiedFiles => "toggle-modified-files",
            Action::ToggleUnmodifiedFiles => "toggle-unmodified-files",
            Action::ToggleFiletreeAttributes => "toggle-filetree-attributes",
            Action::ToggleSortOrder => "toggle-sort-order",
            Action::ToggleWrapTree => "toggle-wrap-tree",
            Action::OpenFile => "open-file",
            Action::ViewerDiff => "viewer-diff",
            Action::ExtractFile => "extract-file",
            Action::ImageConfig => "image-config",
            Action::LargestFiles => "largest-files",
            Action::Help => "help",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::ToggleView => "switch between the layers and the file tree",
            Action::FilterFiles => "filter paths by regex",
            Action::CloseFilterFiles => "close the filter, viewer or help",
            Action::Up => "move up",
            Action::Down => "move down",
            Action::Left => "previous left pane / parent directory",
            Action::Right => "next left pane / expand directory",
            Action::PageUp => "page up",
            Action::PageDown => "page down",
            Action::Home => "first row",
            Action::End => "last row",
            Action::CompareAll => "show aggregated changes (layers pane)",
            Action::CompareLayer => "show this layer's changes (layers pane)",
            Action::CompareBase => "mark this layer as the compare base / unmark (layers pane)",
            Action::ToggleCollapseDir => "collapse / expand directory",
            Action::ToggleCollapseAllDir => "collapse / expand all directories",
            Action::ToggleAddedFiles => "hide / show added files (tree)",
            Action::ToggleRemovedFiles => "hide / show removed files",
            Action::ToggleModifiedFiles => "hide / show modified files",
            Action::ToggleUnmodifiedFiles => "hide / show unmodified files",
            Action::ToggleFiletreeAttributes => "hide / show file attributes",
            Action::ToggleSortOrder => "sort by name / size",
            Action::ToggleWrapTree => "wrap long names in the tree",
            Action::OpenFile => "open file viewer and path history",
            Action::ViewerDiff => "file viewer: text diff against the version before",
            Action::ExtractFile => "write the selected file or directory to the working directory",
            Action::ImageConfig => "image config: user, command, env, labels, annotations",
            Action::LargestFiles => "largest files: in the image at this layer, and stored by it",
            Action::Help => "this help",
        }
    }

    pub fn scope(self) -> Scope {
        match self {
            Action::CompareAll | Action::CompareLayer | Action::CompareBase => Scope::Layers,
            Action::ToggleCollapseDir
            | Action::ToggleCollapseAllDir
            | Action::ToggleAddedFiles
            | Action::ToggleRemovedFiles
            | Action::ToggleModifiedFiles
            | Action::ToggleUnmodifiedFiles
            | Action::ToggleFiletreeAttributes
            | Action::ToggleSortOrder
            | Action::ToggleWrapTree
            | Action::ExtractFile => Scope::Tree,
            _ => Scope::Global,
        }
    }

    /// dive's defaults (v0.13.1, which also quits on `q`), plus the keys dive lacks.
    pub fn default_keys(self) -> &'static str {
        match self {
            Action::Quit => "q,ctrl+c",
            Action::ToggleView => "tab,backtab",
            Action::FilterFiles => "ctrl+f,ctrl+slash,/",
            Action::CloseFilterFiles => "esc",
            Action::Up => "up,k",
            Action::Down => "down,j",
            Action::Left => "left,h",
            Action::Right => "right,l",
            Action::PageUp => "pgup,u",
            Action::PageDown => "pgdn,d",
            Action::Home => "home,g",
            Action::End => "end,G",
            Action::CompareAll => "ctrl+a",
            Action::CompareLayer => "ctrl+l",
            Action::CompareBase => "b",
            Action::ToggleCollapseDir => "space",
            Action::ToggleCollapseAllDir => "ctrl+space",
            Action::ToggleAddedFiles => "ctrl+a",
            Action::ToggleRemovedFiles => "ctrl+r",
            // ctrl+m is the same byte as Enter in most terminals; `M` is the portable spelling.
            Action::ToggleModifiedFiles => "ctrl+m,M",
            Action::ToggleUnmodifiedFiles => "ctrl+u",
            Action::ToggleFiletreeAttributes => "ctrl+b",
            Action::ToggleSortOrder => "ctrl+o",
            Action::ToggleWrapTree => "ctrl+p",
            Action::OpenFile => "enter,o",
            Action::ViewerDiff => "D",
            Action::ExtractFile => "ctrl+e",
            Action::ImageConfig => "i",
            Action::LargestFiles => "L",
            Action::Help => "?,f1",
        }
    }

    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == name)
    }
}

/// A key as the keymap stores it: code plus the modifiers that matter (ctrl, alt).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl Key {
    pub fn from_event(ev: &KeyEvent) -> Key {
        // Shift is folded into the character itself (`G`, `?`), so it is not part of the key.
        let code = match ev.code {
            KeyCode::Char(c) if ev.modifiers.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            c => c,
        };
        Key {
            code,
            ctrl: ev.modifiers.contains(KeyModifiers::CONTROL),
            alt: ev.modifiers.contains(KeyModifiers::ALT),
        }
    }

    /// Parses one dive-style key: `ctrl+a`, `tab`, `pgup`, `space`, `ctrl+slash`, `?`, `G`.
    pub fn parse(text: &str) -> Result<Key, String> {
        let text = text.trim();
        let mut ctrl = false;
        let mut alt = false;
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            if lower.starts_with("ctrl+") && rest.len() > 5 {
                ctrl = true;
                rest = &rest[5..];
            } else if lower.starts_with("alt+") && rest.len() > 4 {
                alt = true;
                rest = &rest[4..];
            } else {
                break;
            }
        }
        let code = match rest.to_ascii_lowercase().as_str() {
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "esc" | "escape" => KeyCode::Esc,
            "enter" | "return" => KeyCode::Enter,
            "space" => KeyCode::Char(' '),
            "slash" => KeyCode::Char('/'),
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pgup" | "pageup" => KeyCode::PageUp,
            "pgdn" | "pagedown" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "backspace" => KeyCode::Backspace,
            "delete" => KeyCode::Delete,
            f if f.len() >= 2 && f.starts_with('f') && f[1..].parse::<u8>().is_ok() => {
                KeyCode::F(f[1..].parse().unwrap_or(1))
            }
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) if ctrl => KeyCode::Char(c.to_ascii_lowercase()),
                    (Some(c), None) => KeyCode::Char(c),
                    _ => return Err(format!("unknown key `{text}`")),
                }
            }
        };
        Ok(Key { code, ctrl, alt })
    }

    /// How the help and status bar spell the key.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Tab => "Tab".to_string(),
            KeyCode::BackTab => "S-Tab".to_string(),
            KeyCode::Esc => "Esc".to_string(),
            KeyCode::Enter => "Enter".to_string(),
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Up => "↑".to_string(),
            KeyCode::Down => "↓".to_string(),
            KeyCode::Left => "←".to_string(),
            KeyCode::Right => "→".to_string(),
            KeyCode::PageUp => "PgUp".to_string(),
            KeyCode::PageDown => "PgDn".to_string(),
            KeyCode::Home => "Home".to_string(),
            KeyCode::End => "End".to_string(),
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::Char(c) if self.ctrl => c.to_ascii_uppercase().to_string(),
            KeyCode::Char(c) => c.to_string(),
            other => format!("{other:?}"),
        };
        let mut out = String::new();
        if self.alt {
            out.push_str("M-");
        }
        if self.ctrl {
            out.push('^');
        }
        out.push_str(&base);
        out
    }
}

/// Key → actions (in priority order) and action → keys (for help texts).
#[derive(Debug, Clone)]
pub struct KeyMap {
    by_key: HashMap<Key, Vec<Action>>,
    by_action: HashMap<Action, Vec<Key>>,
}

impl Default for KeyMap {
    fn default() -> Self {
        let mut map = KeyMap {
            by_key: HashMap::new(),
            by_action: HashMap::new(),
        };
        for action in Action::ALL {
            map.bind(action, action.default_keys())
                .expect("default keys parse");
        }
        map
    }
}

impl KeyMap {
    /// Replaces the keys of `action` with the comma-separated `keys`.
    pub fn bind(&mut self, action: Action, keys: &str) -> Result<(), String> {
        let parsed = keys
            .split(',')
            .filter(|k| !k.trim().is_empty())
            .map(Key::parse)
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(old) = self.by_action.remove(&action) {
            for key in old {
                if let Some(list) = self.by_key.get_mut(&key) {
                    list.retain(|a| *a != action);
                }
            }
        }
        for key in &parsed {
            self.by_key.entry(*key).or_default().push(action);
        }
        self.by_action.insert(action, parsed);
        Ok(())
    }

    /// The actions a key triggers, in binding order.
    pub fn actions(&self, ev: &KeyEvent) -> &[Action] {
        self.by_key
            .get(&Key::from_event(ev))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    pub fn keys(&self, action: Action) -> &[Key] {
        self.by_action
            .get(&action)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The first key of an action, for the status bar (`^A`).
    pub fn first_label(&self, action: Action) -> String {
        self.keys(action)
            .first()
            .map(Key::label)
            .unwrap_or_else(|| "-".to_string())
    }

    /// All keys of an action, for the help overlay.
    pub fn labels(&self, action: Action) -> String {
        let keys = self.keys(action);
        if keys.is_empty() {
            return "(unbound)".to_string();
        }
        keys.iter().map(Key::label).collect::<Vec<_>>().join(", ")
    }

    /// Applies a config file's `keybinding:` section (dive's format: action name → keys).
    pub fn apply_config(&mut self, text: &str, origin: &Path) -> Result<(), String> {
        let doc: serde_norway::Value = serde_norway::from_str(text)
            .map_err(|e| format!("{}: not valid YAML: {e}", origin.display()))?;
        let Some(section) = doc.get("keybinding") else {
            return Ok(());
        };
        let serde_norway::Value::Mapping(entries) = section else {
            return Err(format!(
                "{}: `keybinding` must be a mapping",
                origin.display()
            ));
        };
        for (name, keys) in entries {
            let name = name.as_str().unwrap_or_default();
            let Some(action) = Action::from_name(name) else {
                return Err(format!(
                    "{}: unknown keybinding `{name}` (known: {})",
                    origin.display(),
                    Action::ALL.map(Action::as_str).join(", ")
                ));
            };
            let keys = keys.as_str().ok_or_else(|| {
                format!(
                    "{}: keybinding `{name}` must be a string like \"ctrl+a,k\"",
                    origin.display()
                )
            })?;
            self.bind(action, keys)
                .map_err(|e| format!("{}: keybinding `{name}`: {e}", origin.display()))?;
        }
        Ok(())
    }

    /// The default map with the user's config applied, if one exists.
    pub fn load() -> Result<KeyMap, String> {
        let mut map = KeyMap::default();
        if let Some(path) = config_path() {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
            map.apply_config(&text, &path)?;
        }
        Ok(map)
    }
}

/// `$IMGDIVE_CONFIG`, else `$XDG_CONFIG_HOME/imgdive/config.yaml` (or `.yml`), else
/// `~/.config/imgdive/config.yaml`; only if the file exists.
pub fn config_path() -> Option<PathBuf> {
    if let Some(explicit) = std::env::var_os("IMGDIVE_CONFIG") {
        return Some(PathBuf::from(explicit));
    }
    let mut dirs_to_try = Vec::new();
    if let Some(xdg) = std::env::var_os("XDG_CONFIG_HOME").filter(|v| !v.is_empty()) {
        dirs_to_try.push(PathBuf::from(xdg));
    }
    if let Some(home) = dirs::home_dir() {
        dirs_to_try.push(home.join(".config"));
    }
    dirs_to_try
        .into_iter()
        .flat_map(|d| ["config.yaml", "config.yml"].map(|f| d.join("imgdive").join(f)))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn defaults_follow_dive() {
        let map = KeyMap::default();
        assert_eq!(
            map.actions(&ev(KeyCode::Char('a'), KeyModifiers::CONTROL)),
            &[Action::CompareAll, Action::ToggleAddedFiles]
        );
        assert_eq!(
            map.actions(&ev(KeyCode::Tab, KeyModifiers::NONE)),
            &[Action::ToggleView]
        );
        assert_eq!(
            map.actions(&ev(KeyCode::Char('j'), KeyModifiers::NONE)),
            &[Action::Down]
        );
        assert_eq!(
            map.actions(&ev(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            &[Action::End]
        );
        assert_eq!(
            map.actions(&ev(KeyCode::Char('?'), KeyModifiers::SHIFT)),
            &[Action::Help]
        );
        assert_eq!(map.first_label(Action::ToggleSortOrder), "^O");
    }

    #[test]
    fn every_dive_keybinding_name_is_accepted() {
        // dive v0.13's keybinding section, as `dive` writes it (cmd/dive/cli/internal/options).
        let dive = "keybinding:\n  quit: ctrl+c\n  toggle-view: tab\n  filter-files: ctrl+f\n  \
            close-filter-files: esc\n  up: up,k\n  down: down,j\n  left: left,h\n  \
            right: right,l\n  page-up: pgup\n  page-down: pgdn\n  compare-all: ctrl+a\n  \
            compare-layer: ctrl+l\n  toggle-collapse-dir: space\n  \
            toggle-collapse-all-dir: ctrl+space\n  toggle-added-files: ctrl+a\n  \
            toggle-removed-files: ctrl+r\n  toggle-modified-files: ctrl+m\n  \
            toggle-unmodified-files: ctrl+u\n  toggle-filetree-attributes: ctrl+b\n  \
            toggle-sort-order: ctrl+o\n  toggle-wrap-tree: ctrl+p\n  extract-file: ctrl+e\n";
        let mut map = KeyMap::default();
        map.apply_config(dive, Path::new("dive.yaml")).unwrap();
        assert_eq!(
            map.actions(&ev(KeyCode::Char('e'), KeyModifiers::CONTROL)),
            &[Action::ExtractFile]
        );
        assert_eq!(
            map.actions(&ev(KeyCode::Char('p'), KeyModifiers::CONTROL)),
            &[Action::ToggleWrapTree]
        );
    }

    #[test]
    fn config_rebinds_and_rejects_unknown_names() {
        let mut map = KeyMap::default();
        map.apply_config(
            "keybinding:\n  quit: ctrl+x\n  down: n,down\n",
            Path::new("c.yaml"),
        )
        .unwrap();
        assert!(
            map.actions(&ev(KeyCode::Char('q'), KeyModifiers::NONE))
                .is_empty()
        );
        assert_eq!(
            map.actions(&ev(KeyCode::Char('x'), KeyModifiers::CONTROL)),
            &[Action::Quit]
        );
        assert_eq!(
            map.actions(&ev(KeyCode::Char('n'), KeyModifiers::NONE)),
            &[Action::Down]
        );
        assert!(
            map.actions(&ev(KeyCode::Char('j'), KeyModifiers::NONE))
                .is_empty()
        );
        let err = map
            .apply_config("keybinding:\n  jump: x\n", Path::new("c.yaml"))
            .unwrap_err();
        assert!(err.contains("unknown keybinding `jump`"), "{err}");
        let err = map
            .apply_config("keybinding:\n  quit: ctrl+nope\n", Path::new("c.yaml"))
            .unwrap_err();
        assert!(err.contains("unknown key"), "{err}");
    }
}
