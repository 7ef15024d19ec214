//! The `--diff` preview: a unified diff (`diff -u`, three lines of context) of one file.

/// The unified diff turning `before` into `after`, headed `--- a/<name>` / `+++ b/<name>`; empty
/// when they are equal. A missing final newline is marked as `diff` marks it.
pub fn unified(name: &str, before: &str, after: &str) -> String {
    if before == after {
        return String::new();
    }
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunks_with_context_and_missing_newline() {
        let d = unified("Dockerfile", "FROM a\nADD x /x\n", "FROM a\nCOPY x /x\n");
        assert_eq!(
            d,
            "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,2 +1,2 @@\n FROM a\n-ADD x /x\n+COPY x /x\n"
        );
        let d = unified("D", "FROM a\nADD x /x", "FROM a\nCOPY x /x");
        assert!(d.contains("\\ No newline at end of file"), "{d}");
        assert_eq!(unified("D", "same", "same"), "");
    }
}
