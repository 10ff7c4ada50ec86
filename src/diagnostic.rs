//! Findings: what, where (file, span, line/column, JSON pointer), how bad, how to fix.

use std::fmt;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;

use crate::source::{LineCol, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;

    fn from_str(s: &str) -> Result<Severity, String> {
        match s {
            "error" => Ok(Severity::Error),
            "warning" | "warn" => Ok(Severity::Warning),
            "info" => Ok(Severity::Info),
            "hint" => Ok(Severity::Hint),
            _ => Err(format!(
                "unknown severity `{s}` (expected error, warning, info or hint)"
            )),
        }
    }
}

/// The OWASP API Security Top 10 (2023) categories.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Owasp {
    Api1BrokenObjectLevelAuthorization,
    Api2BrokenAuthentication,
    Api3BrokenObjectPropertyLevelAuthorization,
    Api4UnrestrictedResourceConsumption,
    Api5BrokenFunctionLevelAuthorization,
    Api6UnrestrictedAccessToSensitiveBusinessFlows,
    Api7ServerSideRequestForgery,
    Api8SecurityMisconfiguration,
    Api9ImproperInventoryManagement,
    Api10UnsafeConsumptionOfApis,
}

impl Owasp {
    /// The short code, e.g. `API4:2023`.
    pub fn code(self) -> &'static str {
        match self {
            Owasp::Api1BrokenObjectLevelAuthorization => "API1:2023",
            Owasp::Api2BrokenAuthentication => "API2:2023",
            Owasp::Api3BrokenObjectPropertyLevelAuthorization => "API3:2023",
            Owasp::Api4UnrestrictedResourceConsumption => "API4:2023",
            Owasp::Api5BrokenFunctionLevelAuthorization => "API5:2023",
            Owasp::Api6UnrestrictedAccessToSensitiveBusinessFlows => "API6:2023",
            Owasp::Api7ServerSideRequestForgery => "API7:2023",
            Owasp::Api8SecurityMisconfiguration => "API8:2023",
            Owasp::Api9ImproperInventoryManagement => "API9:2023",
            Owasp::Api10UnsafeConsumptionOfApis => "API10:2023",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Owasp::Api1BrokenObjectLevelAuthorization => "Broken Object Level Authorization",
            Owasp::Api2BrokenAuthentication => "Broken Authentication",
            Owasp::Api3BrokenObjectPropertyLevelAuthorization => {
                "Broken Object Property Level Authorization"
            }
            Owasp::Api4UnrestrictedResourceConsumption => "Unrestricted Resource Consumption",
            Owasp::Api5BrokenFunctionLevelAuthorization => "Broken Function Level Authorization",
            Owasp::Api6UnrestrictedAccessToSensitiveBusinessFlows => {
                "Unrestricted Access to Sensitive Business Flows"
            }
            Owasp::Api7ServerSideRequestForgery => "Server Side Request Forgery",
            Owasp::Api8SecurityMisconfiguration => "Security Misconfiguration",
            Owasp::Api9ImproperInventoryManagement => "Improper Inventory Management",
            Owasp::Api10UnsafeConsumptionOfApis => "Unsafe Consumption of APIs",
        }
    }
}

impl fmt::Display for Owasp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code(), self.title())
    }
}

/// A place in a source file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The file as it was named or found (relative paths stay relative).
    pub path: Arc<str>,
    /// The file's absolute path (for `file://` URIs and project-relative paths).
    pub abs: Arc<Path>,
    /// Byte range in the file.
    pub span: Span,
    pub start: LineCol,
    pub end: LineCol,
    /// JSON pointer of the node in its file (`""` for the root, or for a file that did not parse).
    /// Shared by the findings and related sites that name the same node.
    pub pointer: Arc<str>,
}

impl Location {
    /// The start of a file known only by its path (it could not be read).
    pub fn of_path(path: Arc<str>) -> Location {
        let start = LineCol {
            line: 1,
            column: 1,
            utf16_column: 0,
        };
        let abs = std::path::absolute(Path::new(&*path))
            .unwrap_or_else(|_| Path::new(&*path).to_path_buf());
        Location {
            path,
            abs: Arc::from(abs),
            span: Span::default(),
            start,
            end: start,
            pointer: Arc::from(""),
        }
    }
}

/// A secondary location that helps explain a finding (a `$ref` that uses the definition, ...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub location: Location,
    /// Shared by the findings that name the same related site the same way.
    pub message: Arc<str>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Rule id (`string-unbounded`) or the id of a document problem (`parse-error`, `ref-unresolved`...).
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    /// One imperative sentence saying how to fix it.
    pub help: Option<Arc<str>>,
    pub location: Location,
    pub related: Vec<Related>,
    /// Related locations left out of `related` (past its cap).
    pub related_more: usize,
    /// Silenced by an inline suppression, with its reason (empty when it gives none).
    pub suppressed: Option<String>,
    pub owasp: Option<Owasp>,
    /// Identifies the finding, not the run: the rule, the file's path relative to the project root,
    /// the JSON pointer and a narrow key of the offending content. Stable when lines are inserted
    /// above, when unrelated siblings change and whatever directory rampart runs from.
    pub fingerprint: String,
}

impl Diagnostic {
    /// Orders findings by file, position, then rule.
    pub fn sort_key(&self) -> (&str, u32, u32, &str) {
        (
            &self.location.path,
            self.location.span.start,
            self.location.span.end,
            self.rule,
        )
    }
}

/// FNV-1a, 64 bits: small, stable across platforms and releases (unlike `DefaultHasher`).
pub fn fingerprint(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0xff)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    let mut out = String::with_capacity(16);
    push_hex(&mut out, h);
    out
}

/// `h` as 16 lower-case hex digits (what `{h:016x}` writes, without the formatting machinery).
pub(crate) fn push_hex(out: &mut String, h: u64) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for shift in (0..16).rev() {
        out.push(char::from(DIGITS[(h >> (shift * 4)) as usize & 0xf]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_what_the_formatter_writes() {
        for h in [
            0,
            1,
            0xf,
            0x10,
            0xdead_beef,
            u64::MAX,
            0x0123_4567_89ab_cdef,
        ] {
            let mut out = String::new();
            push_hex(&mut out, h);
            assert_eq!(out, format!("{h:016x}"));
        }
        // Fingerprints are kept in baselines: they must not change.
        assert_eq!(fingerprint(&["a", "b"]), "d2b371819297f98a");
    }
}
