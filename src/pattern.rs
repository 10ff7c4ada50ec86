//! What a schema's `pattern` says about the length of a string.
//!
//! OpenAPI patterns are ECMA-262 regular expressions, matched anywhere in the value unless they are
//! anchored. They are read here with `regex-syntax`, whose syntax covers the patterns real documents
//! write; one it cannot read, or one whose meaning differs between the two dialects, is simply not
//! a bound.

use regex_syntax::hir::{Hir, HirKind, Look};

/// Patterns longer than this are not analysed (no real length limit is written that way).
const MAX_PATTERN: usize = 4096;

/// The greatest length, in UTF-8 bytes, of a string that matches `pattern` as a whole: `Some` only
/// when the pattern is anchored at both ends (`^…$`, or an alternation whose every branch is) and
/// nothing in it repeats without an upper bound (`*`, `+`, `{n,}`). A character never takes more
/// bytes than one, so this bounds the length in characters too.
pub fn max_len(pattern: &str) -> Option<usize> {
    if pattern.len() > MAX_PATTERN || !ecma_compatible(pattern) {
        return None;
    }
    let hir = regex_syntax::ParserBuilder::new()
        .nest_limit(64)
        .build()
        .parse(pattern)
        .ok()?;
    if !anchored(&hir) {
        return None;
    }
    hir.properties().maximum_len()
}

/// False for escapes that are anchors to `regex-syntax` but plain letters to ECMA-262 (`\A`, `\z`,
/// `\Z`), so that `\Aabc\z` is never taken for an anchored pattern.
fn ecma_compatible(pattern: &str) -> bool {
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c == '\\' && matches!(chars.next(), Some('A' | 'z' | 'Z')) {
            return false;
        }
    }
    true
}

/// True when every match must span the whole string.
fn anchored(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Alternation(branches) => branches.iter().all(anchored),
        HirKind::Capture(c) => anchored(&c.sub),
        HirKind::Concat(items) => match (items.first(), items.last()) {
            (Some(first), Some(last)) => starts(first) && ends(last),
            _ => false,
        },
        _ => false,
    }
}

/// True when every match of `hir` begins at the start of the string.
fn starts(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Look(Look::Start) => true,
        HirKind::Capture(c) => starts(&c.sub),
        HirKind::Concat(items) => items.first().is_some_and(starts),
        HirKind::Alternation(branches) => branches.iter().all(starts),
        _ => false,
    }
}

/// True when every match of `hir` ends at the end of the string.
fn ends(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Look(Look::End) => true,
        HirKind::Capture(c) => ends(&c.sub),
        HirKind::Concat(items) => items.last().is_some_and(ends),
        HirKind::Alternation(branches) => branches.iter().all(ends),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::max_len;

    #[test]
    fn anchored_patterns_without_open_repetition_are_bounded() {
        let uuid = "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$";
        assert_eq!(max_len(uuid), Some(36));
        assert_eq!(max_len("^[a-z]{1,32}$"), Some(32));
        assert_eq!(max_len("^(a|bc)$"), Some(2));
        assert_eq!(max_len("^a$|^bcd$"), Some(3));
        assert_eq!(max_len("(^a$)"), Some(1));
        assert_eq!(max_len("(?:^a|^bb)c$"), Some(3));
        assert_eq!(max_len("^$"), Some(0));
        // ECMA-262 spellings: `\d`, escaped `/`, `\uXXXX`, named groups.
        assert_eq!(max_len(r"^\d{4}\/\d{2}$"), Some(4 * 4 + 1 + 2 * 4));
        assert_eq!(max_len(r"^\u0041{3}$"), Some(3));
        assert_eq!(max_len(r"^(?<year>[0-9]{4})$"), Some(4));
    }

    #[test]
    fn open_repetition_is_not_a_bound() {
        for p in ["^[a-z]+$", "^a*$", "^a{2,}$", "^(ab|c+)$", "^a$|^b+$"] {
            assert_eq!(max_len(p), None, "{p}");
        }
    }

    #[test]
    fn a_pattern_that_may_match_part_of_the_string_is_not_a_bound() {
        for p in [
            "[0-9]{8}",
            "^[0-9]{8}",
            "[0-9]{8}$",
            "^a|b$",
            "^a$|b",
            "^(a|b$)",
            r"\A[a-z]{3}\z",
            "(?m)^a$",
        ] {
            assert_eq!(max_len(p), None, "{p}");
        }
    }

    #[test]
    fn patterns_regex_syntax_cannot_read_are_not_a_bound() {
        for p in [
            "^(?=a)[a-z]{3}$",
            r"^(a)\1$",
            "^[^]$",
            r"^\cA$",
            "^(",
            "[",
            "",
        ] {
            assert_eq!(max_len(p), None, "{p}");
        }
        let deep = format!("^{}a{}$", "(".repeat(500), ")".repeat(500));
        assert_eq!(max_len(&deep), None);
        assert_eq!(max_len(&format!("^{}$", "a".repeat(5000))), None);
    }
}
