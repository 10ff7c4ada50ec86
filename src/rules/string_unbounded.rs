use crate::diagnostic::{Owasp, Severity};
use crate::document::model::{Edge, Schema, Types};
use crate::engine::{Context, OptionKind, OptionSpec, Rule, RuleMeta, SchemaUsage};
use crate::pattern;
use crate::rules::common::request_limits::report_request;

#[doc = include_str!("../../rules/string-unbounded.md")]
pub struct StringUnbounded;

static META: RuleMeta = RuleMeta {
    id: "string-unbounded",
    aliases: &[
        "owasp:api4:2023-string-limit",
        "owasp:api4:2019-string-limit",
        "owasp-string-limit",
    ],
    summary: "a string in a request has no maxLength, enum or const",
    severity: Severity::Warning,
    default_enabled: true,
    owasp: Some(Owasp::Api4UnrestrictedResourceConsumption),
    docs: include_str!("../../rules/string-unbounded.md"),
};

/// Formats whose values have a maximum length by construction: a fixed layout (dates, times,
/// UUIDs, IP addresses) or the text of a fixed-size number. `rules/string-unbounded.md` gives the
/// reason for each.
const BOUNDED_FORMATS: &[&str] = &[
    "date",
    "date-time",
    "time",
    "uuid",
    "guid",
    "ipv4",
    "ipv6",
    "datetime",
    "dateTime",
    "google-datetime",
    "date-time-rfc1123",
    "google-duration",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float",
    "double",
    "decimal",
];

/// How deep bounds are looked for through `allOf`/`anyOf`/`oneOf` (cycles stop here too).
const MAX_DEPTH: usize = 8;

/// True when the schema's own keywords bound the length of a string.
fn bounded_here(schema: &Schema<'_>) -> bool {
    schema.max_length().is_some()
        || schema.has_enum()
        || schema.has_const()
        || schema
            .format()
            .is_some_and(|f| BOUNDED_FORMATS.contains(&f))
        || schema
            .pattern()
            .is_some_and(|p| pattern::max_len(p).is_some())
}

/// True when every string the schema accepts is bounded: by its own keywords, by any member of its
/// `allOf`, or by every branch of its `anyOf` or `oneOf` (a branch that admits no string counts).
fn bounded(schema: &Schema<'_>, depth: usize) -> bool {
    if bounded_here(schema) {
        return true;
    }
    if depth >= MAX_DEPTH {
        return false;
    }
    let cx = schema.cx;
    let mut any_of = Vec::new();
    let mut one_of = Vec::new();
    for (edge, site) in schema.members() {
        let Some(sub) = Schema::at(cx, site) else {
            continue;
        };
        match edge {
            Edge::AllOf(_) if bounded(&sub, depth + 1) => return true,
            Edge::AnyOf(_) => any_of.push(sub),
            Edge::OneOf(_) => one_of.push(sub),
            _ => {}
        }
    }
    let all_bounded = |branches: &[Schema<'_>]| {
        !branches.is_empty()
            && branches.iter().all(|b| {
                let t = b.types();
                (!t.is_empty() && !t.contains(Types::STRING)) || bounded(b, depth + 1)
            })
    };
    all_bounded(&any_of) || all_bounded(&one_of)
}

impl Rule for StringUnbounded {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn options(&self) -> &'static [OptionSpec] {
        &[OptionSpec {
            name: "formats",
            kind: OptionKind::Strings,
            doc: "more `format` names that bound a string's length in this organisation (besides the built-in list)",
        }]
    }

    fn check_schema(&self, schema: &Schema<'_>, usage: &SchemaUsage<'_>, cx: &mut Context<'_>) {
        if !usage.is_request() || !schema.is_string() || bounded(schema, 0) {
            return;
        }
        let own = cx.option_strings("formats").unwrap_or_default();
        if schema.format().is_some_and(|f| own.contains(&f)) {
            return;
        }
        report_request(
            schema,
            usage,
            cx,
            &|s| bounded(s, 0),
            &|what| {
                format!(
                    "{what} is a string without `maxLength`, so requests may carry unbounded data"
                )
            },
            "add a `maxLength` that fits the data (or an `enum`, or a bounded `format` such as `uuid` or `date-time`)",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::StringUnbounded;
    use crate::LintRequest;

    /// `(line, JSON pointer, related lines)` of every finding of the rule in `yaml`.
    fn lint(yaml: &str) -> Vec<(u32, String, Vec<u32>)> {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("openapi.yaml");
        std::fs::write(&path, yaml).expect("write");
        let report = crate::lint_with(
            &LintRequest {
                paths: vec![path.to_string_lossy().into_owned()],
                ..Default::default()
            },
            &[&StringUnbounded],
        );
        assert_eq!(report.documents(), 1);
        report
            .diagnostics
            .iter()
            .map(|d| {
                assert_eq!(d.rule, "string-unbounded", "{}", d.message);
                (
                    d.location.start.line,
                    d.location.pointer.to_string(),
                    d.related.iter().map(|r| r.location.start.line).collect(),
                )
            })
            .collect()
    }

    /// A 3.0 document whose one operation takes a JSON body with the given properties (indented
    /// for `properties:`), and with the given named schemas (indented for `schemas:`).
    fn body(properties: &str, schemas: &str) -> String {
        format!(
            "openapi: 3.0.3
info:
  title: t
  version: \"1\"
paths:
  /things:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
{properties}      responses:
        \"204\":
          description: done
components:
  schemas:
    Unused:
      type: object
{schemas}"
        )
    }

    const BODY_LINES: u32 = 13;

    /// The lines of `(line, pointer)` for findings, dropping related locations.
    fn at(found: &[(u32, String, Vec<u32>)]) -> Vec<(u32, &str)> {
        found.iter().map(|(l, p, _)| (*l, p.as_str())).collect()
    }

    #[test]
    fn an_anchored_pattern_without_open_repetition_bounds_the_string() {
        let props = r#"                uuid:
                  type: string
                  pattern: "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"
                code:
                  type: string
                  pattern: "^(AB|CD)[0-9]{1,6}$"
                open:
                  type: string
                  pattern: "^[a-z]+$"
                unanchored:
                  type: string
                  pattern: "[0-9]{8}"
                lookahead:
                  type: string
                  pattern: "^(?=a)[a-z]{3}$"
"#;
        let base = "/paths/~1things/post/requestBody/content/application~1json/schema/properties";
        assert_eq!(
            at(&lint(&body(props, ""))),
            [
                (BODY_LINES + 7, &*format!("{base}/open")),
                (BODY_LINES + 10, &*format!("{base}/unanchored")),
                (BODY_LINES + 13, &*format!("{base}/lookahead")),
            ]
        );
    }

    #[test]
    fn formats_bounded_by_construction_bound_the_string() {
        let mut props = String::new();
        for f in [
            "int32",
            "int64",
            "uint32",
            "uint64",
            "double",
            "float",
            "decimal",
            "google-datetime",
            "datetime",
            "dateTime",
            "date-time-rfc1123",
            "google-duration",
            "guid",
        ] {
            props.push_str(&format!(
                "                {f}:\n                  type: string\n                  format: {f}\n"
            ));
        }
        assert_eq!(lint(&body(&props, "")), []);
        let props = "                a:\n                  type: string\n                  format: email\n                b:\n                  type: string\n                  format: byte\n                c:\n                  type: string\n                  format: duration\n";
        assert_eq!(lint(&body(props, "")).len(), 3);
    }

    #[test]
    fn a_bound_beside_a_reference_in_all_of_bounds_that_use() {
        let props = "                code:
                  allOf:
                    - $ref: \"#/components/schemas/Code\"
                    - maxLength: 10
";
        let schemas = "    Code:
      type: string
";
        assert_eq!(lint(&body(props, schemas)), []);
    }

    #[test]
    fn a_shared_schema_is_reported_with_only_its_unbounded_uses() {
        let props = "                code:
                  allOf:
                    - $ref: \"#/components/schemas/Code\"
                    - maxLength: 10
                other:
                  $ref: \"#/components/schemas/Code\"
                third:
                  allOf:
                    - $ref: \"#/components/schemas/Code\"
                    - pattern: \"^[A-Z]{3}$\"
";
        let schemas = "    Code:
      type: string
";
        let found = lint(&body(props, schemas));
        let code_line = BODY_LINES + 10 + 8;
        assert_eq!(
            found,
            [(
                code_line,
                "/components/schemas/Code".to_string(),
                vec![BODY_LINES + 6]
            )]
        );
    }

    #[test]
    fn an_owner_bounded_through_all_of_is_not_reported() {
        let props = "                typed:
                  type: string
                  allOf:
                    - $ref: \"#/components/schemas/Code\"
                    - maxLength: 10
                through:
                  type: string
                  allOf:
                    - $ref: \"#/components/schemas/Short\"
                inline:
                  allOf:
                    - type: string
                    - maxLength: 10
                either:
                  maxLength: 10
                  anyOf:
                    - $ref: \"#/components/schemas/Code\"
                    - type: integer
";
        let schemas = "    Code:
      type: string
    Short:
      type: string
      maxLength: 5
";
        assert_eq!(lint(&body(props, schemas)), []);
        // Without the bound, the owner and the inline member are reported.
        let props = "                typed:
                  type: string
                  allOf:
                    - $ref: \"#/components/schemas/Short\"
                    - format: email
                inline:
                  allOf:
                    - type: string
                    - format: email
";
        let schemas = "    Short:
      type: string
";
        let base = "/paths/~1things/post/requestBody/content/application~1json/schema/properties";
        assert_eq!(
            at(&lint(&body(props, schemas))),
            [
                (BODY_LINES + 1, &*format!("{base}/typed")),
                (BODY_LINES + 8, &*format!("{base}/inline/allOf/0/type")),
                (BODY_LINES + 17, "/components/schemas/Short"),
            ]
        );
    }

    #[test]
    fn a_v31_sibling_bound_bounds_that_use() {
        let doc = "openapi: 3.1.0
info:
  title: t
  version: \"1\"
paths:
  /things:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                code:
                  $ref: \"#/components/schemas/Code\"
                  maxLength: 10
      responses:
        \"204\":
          description: done
components:
  schemas:
    Code:
      type: string
";
        assert_eq!(lint(doc), []);
    }
}
