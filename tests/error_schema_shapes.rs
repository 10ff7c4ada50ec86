//! `error-schema-leaks-internals` reads the schema as well as the name: a `line` beside a `column`
//! is a position in the client's input, a list of strings in a map of field errors is a field's
//! messages, and names that are leaks only sometimes (`query`, `file`, `line`) are warnings.

use rampart::{LintRequest, Report, Severity, lint};

fn leaks(report: &Report) -> Vec<(&str, u32, Severity)> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "error-schema-leaks-internals")
        .map(|d| (&*d.location.pointer, d.location.start.line, d.severity))
        .collect()
}

fn dump(report: &Report) -> String {
    report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "error-schema-leaks-internals")
        .map(|d| {
            format!(
                "{}:{} {} {}",
                d.location.path, d.location.start.line, d.severity, d.message
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn error_schemas_are_judged_by_their_shape_as_well_as_their_names() {
    let report = lint(&LintRequest {
        paths: vec!["testdata/leaks/shapes.yaml".into()],
        ..LintRequest::default()
    });
    use Severity::{Error, Warning};
    assert_eq!(
        leaks(&report),
        [
            // A list of strings named `stack` beside other kinds of fields: the frames, one a line.
            (
                "/components/schemas/ServerError/properties/stack",
                127,
                Error
            ),
            (
                "/components/schemas/ServerError/properties/backtrace",
                131,
                Error
            ),
            // Frames with their files, lines and methods; the frame's own fields are not
            // reported again.
            (
                "/components/schemas/ServerError/properties/trace",
                133,
                Error
            ),
            ("/components/schemas/ServerError/properties/sql", 144, Error),
            // Leaks only sometimes: warnings.
            (
                "/components/schemas/ServerError/properties/query",
                146,
                Warning
            ),
            (
                "/components/schemas/ServerError/properties/line",
                148,
                Warning
            ),
            (
                "/components/schemas/ServerError/properties/file",
                150,
                Warning
            ),
            // A structure named `trace` without frames may be a tracing context.
            (
                "/components/schemas/DependencyError/properties/trace",
                157,
                Warning
            ),
            // Frames defined on their own, through `$ref`.
            (
                "/components/schemas/UpstreamError/properties/backtrace",
                167,
                Error
            ),
        ],
        "\n{}",
        dump(&report)
    );
    // Each warning says why it is only a warning.
    for d in report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "error-schema-leaks-internals" && d.severity == Warning)
    {
        assert!(d.message.contains(" or "), "{}", d.message);
    }
}
