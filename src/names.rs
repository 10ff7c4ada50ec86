//! Small helpers on names: edit distance for "did you mean" suggestions, normalised matching.

use smallvec::SmallVec;

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

/// The words of a name, lower-cased, one after another in one buffer (see [`words`]). A name of
/// up to 32 bytes in up to 8 words needs no allocation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Words {
    /// The words, glued together.
    text: SmallVec<[u8; 32]>,
    /// Where each word ends in `text`.
    ends: SmallVec<[u32; 8]>,
}

impl Words {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    fn start(&self, i: usize) -> usize {
        i.checked_sub(1).map_or(0, |p| self.ends[p] as usize)
    }

    fn text(&self, from: usize, to: usize) -> &str {
        // Words are whole characters, so every word boundary is one.
        std::str::from_utf8(&self.text[from..to]).unwrap_or_default()
    }

    /// The `i`th word.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        Some(self.text(self.start(i), end))
    }

    pub fn first(&self) -> Option<&str> {
        self.get(0)
    }

    pub fn last(&self) -> Option<&str> {
        self.get(self.len().checked_sub(1)?)
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator + Clone {
        (0..self.len()).map(|i| self.text(self.start(i), self.ends[i] as usize))
    }

    /// The words from the `i`th on, glued together: of `date_of_birth`, from 1, `ofbirth`.
    pub fn joined_from(&self, i: usize) -> &str {
        self.text(self.start(i.min(self.len())), self.text.len())
    }

    /// All the words glued together: `dateofbirth`.
    pub fn joined(&self) -> &str {
        self.joined_from(0)
    }

    /// True when the words are these.
    pub fn are(&self, words: &[&str]) -> bool {
        self.len() == words.len() && self.iter().zip(words).all(|(a, b)| a == *b)
    }

    /// Closes the word being written, if it has anything.
    fn end_word(&mut self) {
        let written = self.text.len() as u32;
        if written > self.ends.last().copied().unwrap_or(0) {
            self.ends.push(written);
        }
    }
}

/// The words of a name, lower-cased: split at anything that is not a letter or digit and at
/// camel-case boundaries. `access_token`, `accessToken`, `Access-Token` and `ACCESS_TOKEN` all give
/// `["access", "token"]`; `APIKey` gives `["api", "key"]`; `uuid` and `UUID` stay one word.
pub fn words(name: &str) -> Words {
    if name.is_ascii() {
        return ascii_words(name.as_bytes());
    }
    unicode_words(name)
}

/// What an ASCII byte is, for splitting names into words.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Other,
    Lower,
    Upper,
    Digit,
}

fn class(b: u8) -> Class {
    match b {
        b'a'..=b'z' => Class::Lower,
        b'A'..=b'Z' => Class::Upper,
        b'0'..=b'9' => Class::Digit,
        _ => Class::Other,
    }
}

/// [`words`] of an ASCII name (most names), on its bytes, each byte classed once.
fn ascii_words(name: &[u8]) -> Words {
    let mut out = Words::default();
    let mut prev = Class::Other;
    let mut classes = name.iter().map(|&b| class(b)).peekable();
    for &c in name {
        let Some(this) = classes.next() else { break };
        match this {
            Class::Other => out.end_word(),
            // A capital starts a word after a small letter or digit (`accessToken`), and ends an
            // acronym when a small letter follows it (`APIKey`: `API`, `Key`).
            Class::Upper
                if matches!(prev, Class::Lower | Class::Digit)
                    || (prev == Class::Upper && classes.peek() == Some(&Class::Lower)) =>
            {
                out.end_word();
            }
            _ => {}
        }
        if this != Class::Other {
            out.text.push(c.to_ascii_lowercase());
        }
        prev = this;
    }
    out.end_word();
    out
}

fn unicode_words(name: &str) -> Words {
    let mut out = Words::default();
    for part in name.split(|c: char| !c.is_alphanumeric()) {
        let chars: Vec<char> = part.chars().collect();
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
            if boundary {
                out.end_word();
            }
            for lower in c.to_lowercase() {
                let mut buf = [0; 4];
                out.text
                    .extend_from_slice(lower.encode_utf8(&mut buf).as_bytes());
            }
        }
        out.end_word();
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
        let w = |s: &str| words(s).iter().collect::<Vec<_>>().join(" ");
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
        assert_eq!(w("Straße_ÉTAT"), "straße état");
    }

    #[test]
    fn words_are_read_one_by_one_or_glued() {
        let w = words("user_date_of_birth");
        assert_eq!(w.len(), 4);
        assert_eq!(w.first(), Some("user"));
        assert_eq!(w.last(), Some("birth"));
        assert_eq!(w.get(2), Some("of"));
        assert_eq!(w.get(4), None);
        assert_eq!(w.joined(), "userdateofbirth");
        assert_eq!(w.joined_from(1), "dateofbirth");
        assert_eq!(w.joined_from(9), "");
        assert!(w.are(&["user", "date", "of", "birth"]));
        assert!(!w.are(&["user", "date"]));
        let empty = words("__");
        assert!(empty.is_empty());
        assert_eq!(empty.last(), None);
        assert_eq!(empty.joined(), "");
        // Longer than the inline buffer: the same words.
        let long = "a_very_long_parameter_name_with_many_words_in_it_beyond_the_inline_room";
        assert_eq!(words(long).iter().collect::<Vec<_>>().join("_"), long);
    }
}
