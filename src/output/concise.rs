//! One line per finding: `path:line:col: severity[rule] message`, the shape editors and CI logs link.

use std::io::{self, Write};

use super::{RenderOptions, escape, paint, severity_style};
use crate::Report;
use crate::diagnostic::Diagnostic;

/// Writes one line per finding (no summary: the caller prints that where it will not mix with the lines).
pub fn render(report: &Report, out: &mut dyn Write, opts: &RenderOptions) -> io::Result<()> {
    for d in report
        .diagnostics
        .iter()
        .filter(|d| !super::unreadable(report, d))
    {
        writeln!(out, "{}", line(d, opts))?;
    }
    Ok(())
}

/// A finding as one line, its path and message escaped for the terminal.
pub(crate) fn line(d: &Diagnostic, opts: &RenderOptions) -> String {
    let start = d.location.start;
    let path = escape(&d.location.path);
    let place = if start.line == 0 {
        path.into_owned()
    } else {
        format!("{path}:{}:{}", start.line, start.column)
    };
    let tag = paint(
        &format!("{}[{}]", d.severity, d.rule),
        severity_style(d.severity),
        opts.color,
    );
    let message = escape(&one_line(&d.message)).into_owned();
    format!("{}: {tag} {message}", paint(&place, "1", opts.color))
}

/// Keeps a finding on its line even if its message spans several.
fn one_line(message: &str) -> std::borrow::Cow<'_, str> {
    if message.contains(['\n', '\r']) {
        message
            .split(['\n', '\r'])
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
            .into()
    } else {
        message.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::tests::report;

    fn rendered(opts: &RenderOptions) -> String {
        let mut out = Vec::new();
        render(&report(), &mut out, opts).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn one_line_per_finding() {
        assert_eq!(
            rendered(&RenderOptions::default()),
            "api.yaml:6:9: warning[string-unbounded] string property `name` of `Pet` has no maxLength\n\
             api.yaml:1:1: info[info-contact] the document names no contact\n"
        );
    }

    #[test]
    fn colour_only_when_asked() {
        let opts = RenderOptions {
            color: true,
            ..RenderOptions::default()
        };
        let text = rendered(&opts);
        assert!(
            text.contains("\x1b[1;33mwarning[string-unbounded]\x1b[0m"),
            "{text}"
        );
        assert!(!rendered(&RenderOptions::default()).contains('\x1b'));
    }

    #[test]
    fn paths_and_messages_are_escaped() {
        let mut report = report();
        report.diagnostics[0].location.path = "a\nb\x1b[2J.yaml".into();
        report.diagnostics[0].message = "key `\u{202e}x\x07` here".to_string();
        let mut out = Vec::new();
        render(&report, &mut out, &RenderOptions::default()).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.starts_with(
                "a\\nb\\e[2J.yaml:6:9: warning[string-unbounded] key `\\u{202e}x\\a` here\n"
            ),
            "{text}"
        );
        assert_eq!(text.lines().count(), 2);
    }

    #[test]
    fn multi_line_messages_are_joined() {
        assert_eq!(one_line("a\nb\r\nc"), "a b c");
        assert_eq!(one_line("abc"), "abc");
    }
}
