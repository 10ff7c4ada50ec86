//! The security score of a document: 0 to 100, from its findings weighed by severity and OWASP
//! category, normalised by the size of the API.
//!
//! ```text
//! penalty = Σ over the document's rule findings of  weight(severity) × factor(category)
//!           weight: error 10, warning 3, info 1, hint 0
//!           factor: API1, API2, API5 (who may do what) 1.5; API3, API8 1.2; the others 1.0
//! size    = operations + schemas / 5        (at least 1)
//! score   = round(100 × e^(−penalty / (10 × size)))
//! ```
//!
//! A clean API scores 100; one warning per operation scores about 74; one error per operation
//! about 37. Problems with the input itself (built-in checks) do not count: a file that does not
//! parse has no score worth giving. Findings that an inline suppression silences do not count.

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Owasp, Severity};
use crate::document::model::Document;

/// How many rules the score names as its top contributors.
const TOP: usize = 3;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Score {
    /// The document, as shown.
    pub path: String,
    pub score: u32,
    pub operations: usize,
    pub schemas: usize,
    pub penalty: f64,
    /// The rules that cost the most, with what each cost.
    pub top: Vec<(&'static str, f64)>,
}

pub fn weight(severity: Severity) -> f64 {
    match severity {
        Severity::Error => 10.0,
        Severity::Warning => 3.0,
        Severity::Info => 1.0,
        Severity::Hint => 0.0,
    }
}

pub fn factor(owasp: Owasp) -> f64 {
    match owasp {
        Owasp::Api1BrokenObjectLevelAuthorization
        | Owasp::Api2BrokenAuthentication
        | Owasp::Api5BrokenFunctionLevelAuthorization => 1.5,
        Owasp::Api3BrokenObjectPropertyLevelAuthorization | Owasp::Api8SecurityMisconfiguration => {
            1.2
        }
        _ => 1.0,
    }
}

/// The score of `doc` given the findings its lint produced.
pub fn of(doc: &Document<'_>, findings: &[Diagnostic]) -> Score {
    let operations = doc.operation_count();
    let schemas = doc.schemas().len();
    compute(
        doc.set().file(doc.node.file).path.to_string(),
        operations,
        schemas,
        findings,
    )
}

/// The formula, on counts.
pub fn compute(path: String, operations: usize, schemas: usize, findings: &[Diagnostic]) -> Score {
    let mut by_rule: Vec<(&'static str, f64)> = Vec::new();
    let mut penalty = 0.0;
    for d in findings {
        let Some(owasp) = d.owasp else { continue };
        let p = weight(d.severity) * factor(owasp);
        penalty += p;
        match by_rule.iter_mut().find(|(r, _)| *r == d.rule) {
            Some((_, total)) => *total += p,
            None => by_rule.push((d.rule, p)),
        }
    }
    by_rule.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    by_rule.truncate(TOP);
    let size = (operations as f64 + schemas as f64 / 5.0).max(1.0);
    let score = (100.0 * (-penalty / (10.0 * size)).exp()).round() as u32;
    Score {
        path,
        score,
        operations,
        schemas,
        penalty,
        top: by_rule,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Location;

    fn finding(rule: &'static str, severity: Severity, owasp: Option<Owasp>) -> Diagnostic {
        Diagnostic {
            rule,
            severity,
            message: String::new(),
            help: None,
            location: Location::of_path("api.yaml".into()),
            related: vec![],
            related_more: 0,
            suppressed: None,
            owasp,
            fingerprint: String::new(),
        }
    }

    #[test]
    fn hand_checked_values() {
        // Clean: 100.
        assert_eq!(compute("a".into(), 4, 10, &[]).score, 100);
        // 4 operations, 10 schemas: size 6. One API2 error (15) and two API4 warnings (6):
        // penalty 21, e^(-21/60) = 0.7047 → 70.
        let s = compute(
            "a".into(),
            4,
            10,
            &[
                finding(
                    "security-scheme-missing",
                    Severity::Error,
                    Some(Owasp::Api2BrokenAuthentication),
                ),
                finding(
                    "string-unbounded",
                    Severity::Warning,
                    Some(Owasp::Api4UnrestrictedResourceConsumption),
                ),
                finding(
                    "string-unbounded",
                    Severity::Warning,
                    Some(Owasp::Api4UnrestrictedResourceConsumption),
                ),
                finding("parse-error", Severity::Error, None),
            ],
        );
        assert_eq!(s.penalty, 21.0);
        assert_eq!(s.score, 70);
        assert_eq!(
            s.top,
            [("security-scheme-missing", 15.0), ("string-unbounded", 6.0)]
        );
        // One warning per operation, no schemas: e^(-0.3) = 0.741 → 74.
        let w = finding(
            "array-unbounded",
            Severity::Warning,
            Some(Owasp::Api4UnrestrictedResourceConsumption),
        );
        assert_eq!(compute("b".into(), 2, 0, &[w.clone(), w]).score, 74);
    }
}
