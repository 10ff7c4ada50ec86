//! Small helpers on names: edit distance for "did you mean" suggestions, normalised matching.

/// Edit distance counting a swap of two neighbours as one edit (optimal string alignment).
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

/// Names longer than this are never suggested (the distance table is quadratic in length).
const MAX_COMPARED: usize = 128;

/// Close enough to suggest: at most a third of the longer name differs (and at least one edit is allowed).
pub fn similar(candidate: &str, wanted: &str) -> bool {
    let (a, b) = (candidate.chars().count(), wanted.chars().count());
    let longest = a.max(b);
    // Cheap rejections first: lengths too far apart for the allowance, or names too long to be
    // worth an edit-distance table.
    if a.abs_diff(b) > (longest / 3).max(1) || longest > MAX_COMPARED {
        return false;
    }
    let d = distance(&candidate.to_lowercase(), &wanted.to_lowercase());
    d <= (longest / 3).max(1)
}

/// Lower-cases and drops `_`, `-`, `.` and spaces: `stack_trace`, `StackTrace` and `stack-trace` agree.
pub fn squash(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '_' | '-' | '.' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The words of a name, lower-cased: split at anything that is not a letter or digit and at
/// camel-case boundaries. `access_token`, `accessToken`, `Access-Token` and `ACCESS_TOKEN` all give
/// `["access", "token"]`; `APIKey` gives `["api", "key"]`; `uuid` and `UUID` stay one word.
pub fn words(name: &str) -> Vec<String> {
    if name.is_ascii() {
        return ascii_words(name.as_bytes());
    }
    unicode_words(name)
}

/// [`words`] of an ASCII name (most names), on its bytes.
fn ascii_words(name: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let letter_or_digit = |i: usize| name.get(i).copied().filter(u8::is_ascii_alphanumeric);
    for (i, &c) in name.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            continue;
        }
        let prev = i.checked_sub(1).and_then(letter_or_digit);
        let next = letter_or_digit(i + 1);
        let boundary = c.is_ascii_uppercase()
            && prev.is_some_and(|p| {
                p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
            });
        if boundary && !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        word.push(char::from(c.to_ascii_lowercase()));
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

fn unicode_words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in name.split(|c: char| !c.is_alphanumeric()) {
        let chars: Vec<char> = part.chars().collect();
        let mut word = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let prev = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1).copied();
            // A capital starts a word after a small letter or digit (`accessToken`), and ends an
            // acronym when a small letter follows it (`APIKey`: `API`, `Key`).
            let boundary = c.is_uppercase()
                && prev.is_some_and(|p| {
                    p.is_lowercase()
                        || p.is_ascii_digit()
                        || (p.is_uppercase() && next.is_some_and(char::is_lowercase))
                });
            if boundary && !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            word.extend(c.to_lowercase());
        }
        if !word.is_empty() {
            out.push(word);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert!(similar("User", "Usre"));
        assert!(!similar("User", "Order"));
        assert_eq!(squash("Stack_Trace"), "stacktrace");
    }

    #[test]
    fn ascii_names_split_as_any_name_does() {
        for name in [
            "",
            "_",
            "a",
            "A",
            "id",
            "ID",
            "userId",
            "user_id",
            "UserID",
            "APIKey",
            "apiKEY",
            "x-api-key",
            "X-API-Key",
            "ACCESS_TOKEN",
            "access.token",
            "v2Token",
            "token2FA",
            "a1B2c3",
            "HTTPServer2",
            "__proto__",
            "$ref",
            "@type",
            "odata.nextLink",
            "ABC",
            "aBC",
            "AbC",
            "9lives",
            "camelCaseWithHTTPAndIDs",
            " spaced out ",
            "end-",
            "-start",
        ] {
            assert_eq!(
                ascii_words(name.as_bytes()),
                unicode_words(name),
                "{name:?}"
            );
        }
    }

    #[test]
    fn words_split_at_separators_and_case() {
        let w = |s: &str| words(s).join(" ");
        assert_eq!(w("access_token"), "access token");
        assert_eq!(w("accessToken"), "access token");
        assert_eq!(w("ACCESS_TOKEN"), "access token");
        assert_eq!(w("X-API-Key"), "x api key");
        assert_eq!(w("APIKey"), "api key");
        assert_eq!(w("userID"), "user id");
        assert_eq!(w("UUID"), "uuid");
        assert_eq!(w("page2Token"), "page2 token");
        assert_eq!(w("items:read"), "items read");
        assert_eq!(w(""), "");
    }
}
