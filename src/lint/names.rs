//! Rule names as users write them (command line, config files, pragmas): whether one is known,
//! and the closest known name for a "did you mean …?" hint.

use super::engine::designates;
use super::rules::REGISTRY;
use super::rules::util::edit_distance;

/// A rule's code, name or alias, a category, or a ShellCheck code (`SC2086`: hadolint users name
/// them in pragmas and configuration).
pub fn is_known(name: &str) -> bool {
    REGISTRY.iter().any(|r| designates(r, name)) || is_shellcheck_code(name)
}

/// `SC` followed by four digits.
pub fn is_shellcheck_code(name: &str) -> bool {
    name.len() == 6
        && name[..2].eq_ignore_ascii_case("SC")
        && name[2..].bytes().all(|b| b.is_ascii_digit())
}

/// The known name closest to `name` (case-insensitive edit distance of at most 2, and at most a
/// third of its length), for `unknown rule DL3O25 (did you mean DL3025?)`.
pub fn suggest(name: &str) -> Option<&'static str> {
    let wanted = name.to_ascii_lowercase();
    REGISTRY
        .iter()
        .flat_map(|r| {
            [r.code, r.name, r.category.as_str()]
                .into_iter()
                .chain(r.aliases.iter().copied())
        })
        .map(|known| (edit_distance(&known.to_ascii_lowercase(), &wanted), known))
        .filter(|(d, _)| *d <= 2 && *d * 3 <= wanted.len())
        .min_by_key(|(d, known)| (*d, *known))
        .map(|(_, known)| known)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_names_and_suggestions() {
        assert!(is_known("DL3025") && is_known("jsonargsrecommended") && is_known("SC2086"));
        assert!(is_known("layer-bloat") && !is_known("DL3O25"));
        assert_eq!(suggest("DL3O25"), Some("DL3025"));
        assert_eq!(suggest("JSONArgsRecommend"), Some("JSONArgsRecommended"));
        assert_eq!(suggest("layer-blot"), Some("layer-bloat"));
        assert_eq!(suggest("nonsense-name-xyz"), None);
    }
}
