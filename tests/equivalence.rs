//! The same API gets the same findings whatever version and layout it is written in.
//!
//! `testdata/equivalence/` holds one small API (list, create, get, update and delete items) five
//! ways: Swagger 2.0 (`v2.yaml`), OpenAPI 3.0 (`v30.yaml`), OpenAPI 3.1 (`v31.yaml`, with type
//! lists, `const`, `examples`, a numeric `exclusiveMaximum`, a `$ref` with a sibling keyword and a
//! `components/pathItems` entry), 3.0 as JSON (`bundled.json`) and 3.0 split over six files
//! (`split/`). Each layout is linted with every rule; each finding is mapped to a logical location
//! (rule id + its message with version words normalised, and rule id + its JSON pointer translated
//! into the bundled 3.0 document) and the sets must be equal. Every finding must also sit in its
//! own source file, at the node its JSON pointer names, and a few key findings at known lines.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rampart::source::{self, LineIndex, Syntax};
use rampart::{Diagnostic, LintRequest, Report};

/// Diagnostics that mean the document was not read as a valid one.
const BROKEN: &[&str] = &[
    "structure",
    "parse-error",
    "not-openapi",
    "io-error",
    "ref-unresolved",
    "ref-cycle",
    "ref-remote",
    "ref-outside-root",
    "duplicate-key",
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Layout {
    V2,
    V30,
    V31,
    Bundled,
    Split,
}

const LAYOUTS: &[Layout] = &[
    Layout::V2,
    Layout::V30,
    Layout::V31,
    Layout::Bundled,
    Layout::Split,
];

impl Layout {
    /// The root document, relative to `testdata/equivalence`.
    fn root(self) -> &'static str {
        match self {
            Layout::V2 => "v2.yaml",
            Layout::V30 => "v30.yaml",
            Layout::V31 => "v31.yaml",
            Layout::Bundled => "bundled.json",
            Layout::Split => "split/openapi.yaml",
        }
    }
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/equivalence")
}

fn lint(layout: Layout) -> Report {
    let path = dir().join(layout.root());
    rampart::lint(&LintRequest {
        paths: vec![path.to_string_lossy().into_owned()],
        ..Default::default()
    })
}

/// A diagnostic's file, relative to `testdata/equivalence` (`split/schemas/item.yaml`).
fn file_of(d: &Diagnostic) -> String {
    file_of_path(&d.location.path)
}

fn file_of_path(path: &str) -> String {
    let p = Path::new(path);
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
    };
    let abs = abs.canonicalize().unwrap_or(abs);
    let base = dir().canonicalize().unwrap_or_else(|_| dir());
    abs.strip_prefix(&base)
        .map(|r| r.to_string_lossy().replace('\\', "/"))
        .unwrap_or_else(|_| abs.to_string_lossy().into_owned())
}

/// The message with the words that differ between versions replaced by their 3.x form.
fn normalise(message: &str) -> String {
    [
        ("`securityDefinitions`", "`components.securitySchemes`"),
        ("`definitions`", "`components.schemas`"),
    ]
    .iter()
    .fold(message.to_string(), |m, (from, to)| m.replace(from, to))
}

fn split_pointer(p: &str) -> Vec<String> {
    p.split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

fn join_pointer(segs: &[String]) -> String {
    segs.iter()
        .map(|s| format!("/{}", s.replace('~', "~0").replace('/', "~1")))
        .collect()
}

/// Keys of a 2.0 parameter that belong to the parameter, not to its inline schema.
const PARAM_FIELDS: &[&str] = &[
    "name",
    "in",
    "required",
    "description",
    "allowEmptyValue",
    "collectionFormat",
];

/// Translates a finding's (file, pointer) into the pointer of the same node in the bundled 3.0
/// document (`v30.yaml`): the map a bundler would follow.
fn logical_pointer(layout: Layout, file: &str, pointer: &str, report: &Report) -> String {
    let mut segs = split_pointer(pointer);
    let mt = "application/json".to_string();
    match layout {
        Layout::V30 | Layout::Bundled => {}
        Layout::V31 => {
            if segs.starts_with(&["components".into(), "pathItems".into(), "ItemById".into()]) {
                segs.splice(0..3, ["paths".to_string(), "/items/{id}".to_string()]);
            }
        }
        Layout::Split => {
            let prefix: &[&str] = match file {
                "split/openapi.yaml" => &[],
                "split/paths/items.yaml" => &["paths", "/items"],
                "split/paths/item.yaml" => &["paths", "/items/{id}"],
                "split/schemas/item.yaml" => &["components", "schemas", "Item"],
                "split/schemas/error.yaml" => &["components", "schemas", "Error"],
                "split/responses/errors.yaml" => &["components", "responses"],
                other => panic!("a finding in an unexpected file: {other}"),
            };
            segs.splice(0..0, prefix.iter().map(|s| s.to_string()));
        }
        Layout::V2 => {
            let text = report
                .source(&report_path(report, file))
                .cloned()
                .unwrap_or_else(|| Arc::from(""));
            let top = |name: &str| -> &str {
                match name {
                    "definitions" => "schemas",
                    "parameters" => "parameters",
                    "responses" => "responses",
                    "securityDefinitions" => "securitySchemes",
                    _ => "",
                }
            };
            // The one `host` is the first server's URL.
            if segs == ["host"] {
                segs = vec!["servers".into(), "0".into(), "url".into()];
            }
            // Reusable definitions move under `components`.
            if let Some(first) = segs.first().cloned()
                && !top(&first).is_empty()
            {
                segs.splice(0..1, ["components".to_string(), top(&first).to_string()]);
            }
            let mut out: Vec<String> = Vec::new();
            let mut i = 0;
            while i < segs.len() {
                let s = segs[i].clone();
                out.push(s.clone());
                let in_op = out.len() >= 3 && out[0] == "paths";
                if s == "parameters" && i + 1 < segs.len() && (in_op || out.len() == 2) {
                    // `parameters/<i>` of an operation, or `components/parameters/<name>`.
                    let index = segs[i + 1].clone();
                    let param_ptr = join_pointer(&segs[..i + 2]);
                    let location = v2_param_in(&text, &param_ptr);
                    if location.as_deref() == Some("body") && in_op {
                        out.pop();
                        out.extend(["requestBody".into(), "content".into(), mt.clone()]);
                        // Skip `<i>`; `schema` follows as it is.
                        i += 2;
                        continue;
                    }
                    out.push(index);
                    i += 2;
                    if i < segs.len() && !PARAM_FIELDS.contains(&segs[i].as_str()) {
                        out.push("schema".into());
                    }
                    continue;
                }
                if s == "headers" && i + 1 < segs.len() {
                    out.push(segs[i + 1].clone());
                    i += 2;
                    if i < segs.len() && segs[i] != "description" {
                        out.push("schema".into());
                    }
                    continue;
                }
                if s == "schema" && out.len() >= 2 && {
                    let owner = &out[out.len() - 3.min(out.len())..];
                    owner.first().is_some_and(|o| o == "responses")
                } {
                    out.pop();
                    out.extend(["content".into(), mt.clone(), "schema".into()]);
                }
                i += 1;
            }
            segs = out;
        }
    }
    join_pointer(&segs)
}

/// The path a report uses for a file of this layout.
fn report_path(report: &Report, file: &str) -> String {
    report
        .files
        .iter()
        .map(|f| f.path.to_string())
        .find(|p| p.replace('\\', "/").ends_with(file))
        .unwrap_or_default()
}

/// `in` of the 2.0 parameter at `pointer` (following a local `$ref`).
fn v2_param_in(text: &str, pointer: &str) -> Option<String> {
    let (tree, _) = source::parse(
        Arc::from(text),
        Syntax::guess("v2.yaml", text),
        &Default::default(),
    )
    .ok()?;
    let root = tree.root()?;
    let mut node = tree.pointer(root, pointer)?;
    if let Some(r) = tree.get(node, "$ref").and_then(|r| tree.str(r)) {
        node = tree.pointer(root, r.trim_start_matches('#'))?;
    }
    tree.get(node, "in")
        .and_then(|v| tree.str(v))
        .map(str::to_string)
}

/// Every finding as `(rule, normalised message)` and as `(rule, logical pointer)`; every related
/// location as `(rule, "finding's logical pointer → related message at its logical pointer")`.
struct Keys {
    messages: BTreeSet<(String, String)>,
    pointers: BTreeSet<(String, String)>,
    related: BTreeSet<(String, String)>,
}

fn keys(layout: Layout, report: &Report) -> Keys {
    let mut k = Keys {
        messages: BTreeSet::new(),
        pointers: BTreeSet::new(),
        related: BTreeSet::new(),
    };
    for d in &report.diagnostics {
        k.messages
            .insert((d.rule.to_string(), normalise(&d.message)));
        let file = file_of(d);
        let at = logical_pointer(layout, &file, &d.location.pointer, report);
        for r in &d.related {
            let rel_file = file_of_path(&r.location.path);
            let rel_at = logical_pointer(layout, &rel_file, &r.location.pointer, report);
            k.related.insert((
                d.rule.to_string(),
                format!("{at} → {} at {rel_at}", normalise(&r.message)),
            ));
        }
        k.pointers.insert((d.rule.to_string(), at));
    }
    k
}

fn show(set: &BTreeSet<(String, String)>) -> String {
    set.iter().map(|(r, m)| format!("  [{r}] {m}\n")).collect()
}

/// What the API is expected to yield, in every layout.
const EXPECTED: &[(&str, &str)] = &[
    (
        "error-401-missing",
        "no operation of the API defines a `401` response (none of its 4 secured operations), so clients are not told how a missing or invalid credential is answered",
    ),
    (
        "error-403-missing",
        "no operation of the API defines a `403` response (none of its 4 secured operations), so clients are not told how a request without the needed permission is refused",
    ),
    (
        "error-500-missing",
        "`GET /items` defines no `500`, `5XX` or `default` response, so clients are not told what an unexpected failure looks like",
    ),
    (
        "error-500-missing",
        "`POST /items` defines no `500`, `5XX` or `default` response, so clients are not told what an unexpected failure looks like",
    ),
    (
        "error-500-missing",
        "`GET /items/{id}` defines no `500`, `5XX` or `default` response, so clients are not told what an unexpected failure looks like",
    ),
    (
        "error-500-missing",
        "`PATCH /items/{id}` defines no `500`, `5XX` or `default` response, so clients are not told what an unexpected failure looks like",
    ),
    (
        "error-schema-leaks-internals",
        "property `stackTrace` of schema `Error` is returned in error responses and exposes implementation details",
    ),
    (
        "error-schema-missing",
        "the `429` response of `POST /items` has no body schema, so clients and gateways cannot rely on the error's shape",
    ),
    (
        "error-schema-missing",
        "the `default` response of `DELETE /items/{id}` has no body schema, so clients and gateways cannot rely on the error's shape",
    ),
    (
        "error-validation-missing",
        "`GET /items/{id}` takes input but defines no `400`, `422` or `4XX` response, so clients are not told how invalid requests are rejected",
    ),
    (
        "error-validation-missing",
        "`PATCH /items/{id}` takes input but defines no `400`, `422` or `4XX` response, so clients are not told how invalid requests are rejected",
    ),
    (
        "error-validation-missing",
        "`DELETE /items/{id}` takes input but defines no `400`, `422` or `4XX` response, so clients are not told how invalid requests are rejected",
    ),
    (
        "integer-format",
        "parameter `limit` of `GET /items` is an integer without `format: int32` or `int64`, so its size is left to each implementation",
    ),
    (
        "integer-unbounded",
        "parameter `limit` of `GET /items` is an integer without `minimum`, so requests may carry any value",
    ),
    (
        "rate-limit-429-missing",
        "`DELETE /items/{id}` defines no `429` response, so clients are not told how rate limiting is signalled",
    ),
    (
        "rate-limit-headers-missing",
        "the `200` response of `GET /items/{id}` declares no rate-limit headers, so clients cannot see or respect the limit",
    ),
    (
        "rate-limit-headers-missing",
        "the `201` response of `POST /items` declares no rate-limit headers, so clients cannot see or respect the limit",
    ),
    (
        "rate-limit-headers-missing",
        "the `204` response of `DELETE /items/{id}` declares no rate-limit headers, so clients cannot see or respect the limit",
    ),
    (
        "rate-limit-headers-missing",
        "the shared response `BadRequest` (used in 2 places) declares no rate-limit headers, so clients cannot see or respect the limit",
    ),
    (
        "rate-limit-headers-missing",
        "the shared response `NotFound` (used in 3 places) declares no rate-limit headers, so clients cannot see or respect the limit",
    ),
    (
        "rate-limit-headers-missing",
        "the shared response `TooManyRequests` (used in 3 places) declares no rate-limit headers, so clients cannot see or respect the limit",
    ),
    (
        "retry-after-missing",
        "the shared response `TooManyRequests` (used in 3 places) has no `Retry-After` header, so clients cannot tell when to retry",
    ),
    (
        "security-scheme-missing",
        "`GET /items/{id}` has no security requirement: neither the operation nor the document declares `security`",
    ),
    (
        "server-example-host",
        "server `https://api.example.com/v1` is on a reserved example domain, so the contract names no real deployment",
    ),
    (
        "string-unbounded",
        "parameter `q` of `GET /items` is a string without `maxLength`, so requests may carry unbounded data",
    ),
    (
        "string-unbounded",
        "property `name` of schema `Item` is a string without `maxLength`, so requests may carry unbounded data",
    ),
    (
        "string-unbounded",
        "property `note` of request body (application/json) of `PATCH /items/{id}` is a string without `maxLength`, so requests may carry unbounded data",
    ),
    (
        "string-unrestricted",
        "parameter `q` of `GET /items` is a string without `format`, `pattern`, `enum` or `const`, so any text is accepted",
    ),
    (
        "string-unrestricted",
        "property `name` of request body (application/json) of `PATCH /items/{id}` is a string without `format`, `pattern`, `enum` or `const`, so any text is accepted",
    ),
    (
        "string-unrestricted",
        "property `note` of request body (application/json) of `PATCH /items/{id}` is a string without `format`, `pattern`, `enum` or `const`, so any text is accepted",
    ),
    (
        "string-unrestricted",
        "property `name` of schema `Item` is a string without `format`, `pattern`, `enum` or `const`, so any text is accepted",
    ),
    (
        "string-unrestricted",
        "items of property `tags` of schema `Item` is a string without `format`, `pattern`, `enum` or `const`, so any text is accepted",
    ),
];

#[test]
fn every_version_and_layout_yields_the_same_findings() {
    let expected: BTreeSet<(String, String)> = EXPECTED
        .iter()
        .map(|(r, m)| (r.to_string(), m.to_string()))
        .collect();
    let reference = keys(Layout::V30, &lint(Layout::V30));
    let mut problems = String::new();
    for &layout in LAYOUTS {
        let report = lint(layout);
        assert_eq!(report.documents(), 1, "{layout:?}: one document is linted");
        for d in &report.diagnostics {
            if BROKEN.contains(&d.rule) {
                problems.push_str(&format!(
                    "{layout:?}: [{}] {}:{}: {}\n",
                    d.rule, d.location.path, d.location.start.line, d.message
                ));
            }
        }
        assert_eq!(
            report.diagnostics.len(),
            expected.len(),
            "{layout:?}: one diagnostic per expected finding, none merged or doubled"
        );
        let k = keys(layout, &report);
        for (what, got, want) in [
            ("findings by message", &k.messages, &expected),
            (
                "findings by logical pointer (against v30.yaml)",
                &k.pointers,
                &reference.pointers,
            ),
            (
                "related locations (against v30.yaml)",
                &k.related,
                &reference.related,
            ),
        ] {
            if got != want {
                problems.push_str(&format!(
                    "{layout:?}: {what} differ\n missing:\n{} unexpected:\n{}",
                    show(&want.difference(got).cloned().collect()),
                    show(&got.difference(want).cloned().collect()),
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{problems}");
}

/// Every finding sits in its own source file, on the line of the node its JSON pointer names (or
/// of the key that node is written under).
#[test]
fn every_finding_points_at_its_source_node() {
    let mut problems = String::new();
    for &layout in LAYOUTS {
        let report = lint(layout);
        for d in &report.diagnostics {
            let Some(text) = report.source(&d.location.path) else {
                problems.push_str(&format!("{layout:?}: no source for {}\n", d.location.path));
                continue;
            };
            let syntax = Syntax::guess(&d.location.path, text);
            let Ok((tree, _)) = source::parse(text.clone(), syntax, &Default::default()) else {
                problems.push_str(&format!("{layout:?}: {} does not parse\n", d.location.path));
                continue;
            };
            let lines = LineIndex::new(text);
            let root = tree.root().expect("a parsed file has a root");
            let Some(node) = tree.pointer(root, &d.location.pointer) else {
                problems.push_str(&format!(
                    "{layout:?}: [{}] pointer `{}` names nothing in {}\n",
                    d.rule, d.location.pointer, d.location.path
                ));
                continue;
            };
            let line_of = |n| lines.line_col(text, tree.span(n).start).line;
            let mut allowed = vec![line_of(node)];
            allowed.extend(tree.key_of(node).map(line_of));
            if !allowed.contains(&d.location.start.line) {
                problems.push_str(&format!(
                    "{layout:?}: [{}] at {}:{} but its pointer `{}` is on line(s) {allowed:?}\n",
                    d.rule, d.location.path, d.location.start.line, d.location.pointer
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{problems}");
}

/// The 1-based line of the last needle, each searched for after the line of the one before; a
/// needle starting with `^` must start the line.
fn locate(text: &str, needles: &[&str]) -> u32 {
    let lines: Vec<&str> = text.lines().collect();
    let mut at = 0;
    for (k, needle) in needles.iter().enumerate() {
        let from = if k == 0 { 0 } else { at + 1 };
        at = (from..lines.len())
            .find(|&i| match needle.strip_prefix('^') {
                Some(start) => lines[i].starts_with(start),
                None => lines[i].contains(needle),
            })
            .unwrap_or_else(|| panic!("{needle:?} not found after line {}", from + 1));
    }
    at as u32 + 1
}

/// Where a finding must be: the rule, a substring of its message, the file and the needles that
/// lead to its line.
struct Expect {
    rule: &'static str,
    message: &'static str,
    file: &'static str,
    needles: &'static [&'static str],
}

fn check_lines(layout: Layout, expects: &[Expect]) {
    let report = lint(layout);
    let mut problems = String::new();
    for e in expects {
        let text = std::fs::read_to_string(dir().join(e.file)).expect("the fixture exists");
        let line = locate(&text, e.needles);
        let found: Vec<&Diagnostic> = report
            .diagnostics
            .iter()
            .filter(|d| d.rule == e.rule && d.message.contains(e.message))
            .collect();
        match found.as_slice() {
            [d] if file_of(d) == e.file && d.location.start.line == line => {}
            [d] => problems.push_str(&format!(
                "{layout:?}: [{}] {}: expected at {}:{line}, found at {}:{}\n",
                e.rule,
                e.message,
                e.file,
                file_of(d),
                d.location.start.line
            )),
            other => problems.push_str(&format!(
                "{layout:?}: [{}] {}: expected one finding, found {}\n",
                e.rule,
                e.message,
                other.len()
            )),
        }
    }
    assert!(problems.is_empty(), "{problems}");
}

#[test]
fn swagger_2_findings_are_at_their_2_0_lines() {
    check_lines(
        Layout::V2,
        &[
            Expect {
                rule: "string-unbounded",
                message: "property `name` of schema `Item`",
                file: "v2.yaml",
                needles: &["^definitions:", "  Item:", "      name:"],
            },
            Expect {
                rule: "string-unbounded",
                message: "property `note` of request body",
                file: "v2.yaml",
                needles: &["    patch:", "in: body", "              note:"],
            },
            Expect {
                rule: "string-unbounded",
                message: "parameter `q`",
                file: "v2.yaml",
                needles: &["- name: q", "type: string"],
            },
            Expect {
                rule: "error-schema-leaks-internals",
                message: "stackTrace",
                file: "v2.yaml",
                needles: &["^definitions:", "  Error:", "stackTrace:"],
            },
            Expect {
                rule: "retry-after-missing",
                message: "`TooManyRequests`",
                file: "v2.yaml",
                needles: &["^responses:", "  TooManyRequests:"],
            },
            Expect {
                rule: "rate-limit-headers-missing",
                message: "the shared response `NotFound` (used in 3 places) declares",
                file: "v2.yaml",
                needles: &["^responses:", "  NotFound:"],
            },
            Expect {
                rule: "error-schema-missing",
                message: "`default` response",
                file: "v2.yaml",
                needles: &["    delete:", "        default:"],
            },
        ],
    );
}

#[test]
fn openapi_3_1_findings_are_at_their_3_1_lines() {
    check_lines(
        Layout::V31,
        &[
            Expect {
                rule: "security-scheme-missing",
                message: "`GET /items/{id}`",
                file: "v31.yaml",
                needles: &["  pathItems:", "    ItemById:", "      get:"],
            },
            Expect {
                rule: "string-unbounded",
                message: "property `note` of request body",
                file: "v31.yaml",
                needles: &["  pathItems:", "      patch:", "                  note:"],
            },
            Expect {
                rule: "string-unbounded",
                message: "property `name` of schema `Item`",
                file: "v31.yaml",
                needles: &["  schemas:", "    Item:", "        name:"],
            },
        ],
    );
}

#[test]
fn json_findings_are_at_their_json_lines() {
    check_lines(
        Layout::Bundled,
        &[
            Expect {
                rule: "string-unbounded",
                message: "property `name` of schema `Item`",
                file: "bundled.json",
                needles: &["\"schemas\": {", "\"Item\": {", "\"name\": {"],
            },
            Expect {
                rule: "error-schema-leaks-internals",
                message: "stackTrace",
                file: "bundled.json",
                needles: &["\"Error\": {", "\"stackTrace\": {"],
            },
        ],
    );
}

#[test]
fn split_findings_are_in_the_files_that_define_them() {
    check_lines(
        Layout::Split,
        &[
            Expect {
                rule: "string-unbounded",
                message: "property `name` of schema `Item`",
                file: "split/schemas/item.yaml",
                needles: &["  name:"],
            },
            Expect {
                rule: "error-schema-leaks-internals",
                message: "stackTrace",
                file: "split/schemas/error.yaml",
                needles: &["  stackTrace:"],
            },
            Expect {
                rule: "string-unbounded",
                message: "property `note` of request body",
                file: "split/paths/item.yaml",
                needles: &["patch:", "            note:"],
            },
            Expect {
                rule: "string-unbounded",
                message: "parameter `q`",
                file: "split/paths/items.yaml",
                needles: &["- name: q", "type: string"],
            },
            Expect {
                rule: "retry-after-missing",
                message: "`TooManyRequests`",
                file: "split/responses/errors.yaml",
                needles: &["TooManyRequests:"],
            },
            Expect {
                rule: "security-scheme-missing",
                message: "`GET /items/{id}`",
                file: "split/paths/item.yaml",
                needles: &["get:"],
            },
        ],
    );
}
