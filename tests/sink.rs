//! The finding sink: every producer reports through it; it decides enablement and severity, honours
//! inline suppressions, de-duplicates, and materialises locations and stable fingerprints.

use std::path::Path;
use std::process::Command;

use rampart::engine::{Context, Policy, Rule, RuleMeta};
use rampart::{LintRequest, Report, Severity};

/// Writes `files` into a fresh project (a folder with `.git`, so it is the project root).
fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join(".git")).expect(".git");
    for (name, text) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("folders");
        }
        std::fs::write(path, text).expect("written");
    }
    dir
}

/// Rules that add a whole-API finding to nearly every document (no error response, no server); these tests are about the sink,
/// not about them (`tests/config_rules.rs` pins them).
const NOT_PINNED_HERE: &[&str] = &[
    "error-401-missing",
    "error-403-missing",
    "error-500-missing",
    "error-validation-missing",
    "servers-missing",
];

fn lint_path(path: &Path) -> Report {
    let mut request = LintRequest {
        paths: vec![path.to_string_lossy().into_owned()],
        ..LintRequest::default()
    };
    for id in NOT_PINNED_HERE {
        request.policy.severities.insert(id, None);
    }
    rampart::lint(&request)
}

/// `(rule, pointer, line)` of every finding.
fn findings(report: &Report) -> Vec<(&str, &str, u32)> {
    report
        .diagnostics
        .iter()
        .map(|d| (d.rule, &*d.location.pointer, d.location.start.line))
        .collect()
}

fn fingerprints(report: &Report, rule: &str) -> Vec<String> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule)
        .map(|d| d.fingerprint.clone())
        .collect()
}

const API: &str = r#"openapi: 3.0.3
info:
  title: Orders
  version: 1.0.0
security:
  - key: []
paths:
  /orders:
    get:
      parameters:
        - name: q
          in: query
          schema:
            type: string
      responses:
        "200":
          description: The orders.
        "429":
          description: Slow down.
          headers:
            Retry-After:
              schema:
                type: integer
                minimum: 0
                maximum: 3600
            RateLimit:
              schema:
                type: string
                maxLength: 100
    post:
      responses:
        "201":
          description: Created.
components:
  securitySchemes:
    key:
      type: apiKey
      in: header
      name: X-Key
"#;

// ---------------------------------------------------------------------------------------------
// Fingerprints

#[test]
fn fingerprints_do_not_depend_on_how_the_file_is_named_or_where_rampart_runs() {
    let dir = project(&[("specs/api.yaml", API)]);
    let abs = dir.path().join("specs/api.yaml");
    let run = |cwd: &Path, arg: &str| -> serde_json::Value {
        let out = Command::new(env!("CARGO_BIN_EXE_rampart"))
            .args(["lint", "--format", "json", arg])
            .current_dir(cwd)
            .output()
            .expect("rampart runs");
        serde_json::from_slice(&out.stdout).expect("JSON output")
    };
    let prints = |v: &serde_json::Value| -> Vec<String> {
        v["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .map(|d| d["fingerprint"].as_str().expect("fingerprint").to_string())
            .collect()
    };
    let relative = run(dir.path(), "specs/api.yaml");
    let absolute = run(Path::new("/"), abs.to_str().expect("UTF-8"));
    let from_inside = run(&dir.path().join("specs"), "api.yaml");
    assert!(!prints(&relative).is_empty());
    assert_eq!(prints(&relative), prints(&absolute));
    assert_eq!(prints(&relative), prints(&from_inside));
    // The paths shown differ; the identities do not.
    assert_eq!(
        relative["diagnostics"][0]["location"]["path"],
        "specs/api.yaml"
    );
}

#[test]
fn fingerprints_survive_inserted_lines_and_sibling_edits_and_follow_the_offending_node() {
    let before = project(&[("api.yaml", API)]);
    let report = lint_path(&before.path().join("api.yaml"));
    assert_eq!(
        findings(&report),
        [
            (
                "string-unbounded",
                "/paths/~1orders/get/parameters/0/schema/type",
                14
            ),
            (
                "string-unrestricted",
                "/paths/~1orders/get/parameters/0/schema/type",
                14
            ),
            (
                "rate-limit-headers-missing",
                "/paths/~1orders/get/responses/200",
                16
            ),
            (
                "error-schema-missing",
                "/paths/~1orders/get/responses/429",
                18
            ),
            (
                "rate-limit-429-missing",
                "/paths/~1orders/post/responses",
                31
            ),
            (
                "rate-limit-headers-missing",
                "/paths/~1orders/post/responses/201",
                32
            ),
        ]
    );

    // Lines inserted above, and the 200's description edited: nothing changes identity.
    let moved = API
        .replace(
            "info:\n",
            "info:\n  description: |\n    A long\n    story.\n",
        )
        .replace(
            "description: The orders.",
            "description: Every order, newest first.",
        );
    let after = project(&[("api.yaml", &moved)]);
    let report2 = lint_path(&after.path().join("api.yaml"));
    assert_eq!(report2.diagnostics[0].location.start.line, 17);
    for rule in [
        "string-unbounded",
        "rate-limit-headers-missing",
        "rate-limit-429-missing",
    ] {
        assert_eq!(
            fingerprints(&report, rule),
            fingerprints(&report2, rule),
            "{rule}"
        );
    }

    // The offending parameter changes: its finding is a new one.
    let edited = API.replace(
        "in: query\n          schema:\n            type: string\n",
        "in: query\n          schema:\n            type: string\n            format: email\n",
    );
    let changed = project(&[("api.yaml", &edited)]);
    let report3 = lint_path(&changed.path().join("api.yaml"));
    assert_ne!(
        fingerprints(&report, "string-unbounded"),
        fingerprints(&report3, "string-unbounded")
    );
    assert_eq!(
        fingerprints(&report, "rate-limit-429-missing"),
        fingerprints(&report3, "rate-limit-429-missing")
    );
}

#[test]
fn line_numbers_do_not_feed_fingerprints() {
    // A duplicate key's related location is the line of the first key: inserting lines above
    // moves both, not the identity.
    let text = "openapi: 3.0.3\ninfo:\n  title: A\n  title: B\n  version: 1.0.0\npaths: {}\n";
    let a = project(&[("api.yaml", text)]);
    let b = project(&[("api.yaml", &format!("# a comment\n\n{text}"))]);
    let ra = lint_path(&a.path().join("api.yaml"));
    let rb = lint_path(&b.path().join("api.yaml"));
    let da = ra
        .diagnostics
        .iter()
        .find(|d| d.rule == "duplicate-key")
        .expect("found");
    let db = rb
        .diagnostics
        .iter()
        .find(|d| d.rule == "duplicate-key")
        .expect("found");
    assert_ne!(
        da.related[0].location.start.line,
        db.related[0].location.start.line
    );
    assert_eq!(da.fingerprint, db.fingerprint);
}

#[test]
fn diagnostics_carry_the_absolute_path_and_the_report_its_project_root() {
    let dir = project(&[("api.yaml", API)]);
    let report = lint_path(&dir.path().join("api.yaml"));
    let root = std::fs::canonicalize(dir.path()).expect("canonical");
    assert_eq!(report.root, root);
    for d in &report.diagnostics {
        assert_eq!(&*d.location.abs, root.join("api.yaml"));
    }
}

// ---------------------------------------------------------------------------------------------
// Enablement and severity

#[test]
fn with_no_rules_input_and_structure_problems_are_still_reported() {
    let report = rampart::lint_with(
        &LintRequest {
            paths: vec!["testdata/bad/structure.yaml".to_string()],
            ..LintRequest::default()
        },
        &[],
    );
    assert!(report.rules.is_empty());
    assert!(
        report.diagnostics.iter().any(|d| d.rule == "structure"),
        "{:?}",
        findings(&report)
    );
    assert!(report.diagnostics.iter().all(|d| d.owasp.is_none()));
}

#[test]
fn the_policy_turns_rules_off_and_sets_severities() {
    let dir = project(&[("api.yaml", API)]);
    let path = dir.path().join("api.yaml");
    let mut policy = Policy::default();
    policy.severities.insert("rate-limit-headers-missing", None);
    policy
        .severities
        .insert("string-unbounded", Some(Severity::Error));
    let report = rampart::lint(&LintRequest {
        paths: vec![path.to_string_lossy().into_owned()],
        policy,
        ..LintRequest::default()
    });
    assert!(!report.rules.contains(&"rate-limit-headers-missing"));
    assert!(report.rules.contains(&"string-unbounded"));
    assert!(
        !report
            .diagnostics
            .iter()
            .any(|d| d.rule == "rate-limit-headers-missing")
    );
    let s = report
        .diagnostics
        .iter()
        .find(|d| d.rule == "string-unbounded")
        .expect("reported");
    assert_eq!(s.severity, Severity::Error);
}

// ---------------------------------------------------------------------------------------------
// Inline suppressions

#[test]
fn x_rampart_ignore_silences_its_rules_at_the_node_and_below() {
    let suppressed = API
        .replace(
            "        - name: q\n",
            "        - name: q\n          x-rampart-ignore: { string-unbounded: \"bounded by the gateway\", string-unrestricted: \"free text\" }\n",
        )
        .replace(
            "    post:\n",
            "    post:\n      x-rampart-ignore: [owasp:api4:2023-rate-limit-responses-429, rate-limit-headers-missing]\n",
        );
    let dir = project(&[("api.yaml", &suppressed)]);
    let report = lint_path(&dir.path().join("api.yaml"));
    assert_eq!(
        findings(&report),
        [
            (
                "rate-limit-headers-missing",
                "/paths/~1orders/get/responses/200",
                17
            ),
            (
                "error-schema-missing",
                "/paths/~1orders/get/responses/429",
                19
            ),
        ]
    );
    // The string form, and `--no-inline-ignore`-style audits.
    let one = API.replace("paths:\n", "x-rampart-ignore: string-unbounded\npaths:\n");
    let dir = project(&[("api.yaml", &one)]);
    let path = dir.path().join("api.yaml");
    assert!(
        !lint_path(&path)
            .diagnostics
            .iter()
            .any(|d| d.rule == "string-unbounded")
    );
    let audit = rampart::lint(&LintRequest {
        paths: vec![path.to_string_lossy().into_owned()],
        policy: Policy {
            no_inline_ignore: true,
            ..Policy::default()
        },
        ..LintRequest::default()
    });
    assert!(
        audit
            .diagnostics
            .iter()
            .any(|d| d.rule == "string-unbounded")
    );
}

// ---------------------------------------------------------------------------------------------
// A panic is a finding, not a crash

struct Panics;

static PANICS: RuleMeta = RuleMeta {
    id: "panics",
    aliases: &[],
    summary: "panics",
    severity: Severity::Error,
    default_enabled: true,
    owasp: None,
    docs: "",
};

impl Rule for Panics {
    fn meta(&self) -> &'static RuleMeta {
        &PANICS
    }

    fn check_document(&self, doc: &rampart::document::model::Document<'_>, _: &mut Context<'_>) {
        let set = doc.set();
        if set.file(doc.node.file).path.ends_with("bad.yaml") {
            panic!("boom");
        }
    }
}

#[test]
fn a_panic_on_one_document_is_an_internal_error_and_the_rest_is_reported() {
    let dir = project(&[("bad.yaml", API), ("good.yaml", API)]);
    let rules: &[&dyn Rule] = &[
        &Panics,
        rampart::rules::find("string-unbounded").expect("rule"),
    ];
    let report = rampart::lint_with(
        &LintRequest {
            paths: vec![dir.path().to_string_lossy().into_owned()],
            ..LintRequest::default()
        },
        rules,
    );
    let internal: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "internal-error")
        .collect();
    assert_eq!(internal.len(), 1);
    assert!(internal[0].location.path.ends_with("bad.yaml"));
    assert!(
        internal[0].message.contains("boom"),
        "{}",
        internal[0].message
    );
    assert!(report.has_input_errors());
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.rule == "string-unbounded" && d.location.path.ends_with("good.yaml"))
    );
}

#[test]
fn presets_choose_rules_and_severities() {
    use rampart::engine::Preset;
    let dir = project(&[("api.yaml", API)]);
    let path = dir.path().join("api.yaml");
    let lint = |preset: Preset| {
        rampart::lint(&LintRequest {
            paths: vec![path.to_string_lossy().into_owned()],
            policy: Policy {
                preset,
                ..Policy::default()
            },
            ..LintRequest::default()
        })
    };
    let recommended = lint(Preset::Recommended);
    let strict = lint(Preset::Strict);
    let severity = |r: &Report, rule: &str| {
        r.diagnostics
            .iter()
            .find(|d| d.rule == rule)
            .map(|d| d.severity)
    };
    assert_eq!(
        severity(&recommended, "string-unbounded"),
        Some(Severity::Warning)
    );
    assert_eq!(severity(&strict, "string-unbounded"), Some(Severity::Error));
    assert_eq!(recommended.diagnostics.len(), strict.diagnostics.len());
    let all = lint(Preset::All);
    assert!(all.rules.len() >= recommended.rules.len());
}

#[test]
fn suppressions_are_listed_with_their_reason_follow_refs_and_go_stale_visibly() {
    let dir = project(&[
        (
            "api.yaml",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nsecurity: [{key: []}]\npaths:\n  /notes:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {$ref: 'schemas/note.yaml'}\n      responses:\n        '204': {description: ok}\n        '429': {description: slow, headers: {Retry-After: {schema: {type: integer, minimum: 0, maximum: 60}}, RateLimit: {schema: {type: string, maxLength: 64}}}}\ncomponents:\n  securitySchemes:\n    key: {type: apiKey, in: header, name: X-Key}\n",
        ),
        (
            "schemas/note.yaml",
            "type: object\nx-rampart-ignore:\n  string-unbounded: the gateway caps bodies at 4 KB\n  array-unbounded: there is no array here\nproperties:\n  text:\n    type: string\n  tags:\n    x-lint-ignore: [owasp-string-limit]\n    type: string\n",
        ),
    ]);
    let report = lint_path(&dir.path().join("api.yaml"));
    // Both strings are silenced (one by vacuum's extension and a vacuum id), and listed.
    assert!(
        !report
            .diagnostics
            .iter()
            .any(|d| d.rule == "string-unbounded"),
        "{:#?}",
        report.diagnostics
    );
    let silenced: Vec<(&str, Option<&str>)> = report
        .suppressed
        .iter()
        .map(|d| (&*d.location.pointer, d.suppressed.as_deref()))
        .collect();
    assert_eq!(
        silenced,
        [
            ("/properties/text", Some("the gateway caps bodies at 4 KB")),
            ("/properties/tags", Some("")),
        ]
    );
    // The entry for a rule that found nothing there is reported.
    let stale: Vec<(&str, u32)> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "unused-suppression")
        .map(|d| (&*d.location.path, d.location.start.line))
        .collect();
    assert_eq!(stale.len(), 1, "{:#?}", report.diagnostics);
    assert!(
        stale[0].0.ends_with("schemas/note.yaml") && stale[0].1 == 4,
        "{stale:?}"
    );
    // JSON lists them as suppressed, with the reason.
    let mut out = Vec::new();
    rampart::output::json::render(&report, &mut out, &Default::default()).expect("rendered");
    let v: serde_json::Value = serde_json::from_slice(&out).expect("JSON");
    assert_eq!(v["suppressed"][0]["suppression"]["kind"], "inSource");
    assert_eq!(
        v["suppressed"][0]["suppression"]["justification"],
        "the gateway caps bodies at 4 KB"
    );
}

#[test]
fn fingerprints_survive_re_escaping_re_quoting_and_a_change_of_syntax() {
    let plain = r#"{"openapi": "3.0.3", "info": {"title": "T", "version": "1"},
  "paths": {"/notes": {"get": {"parameters": [{"name": "q", "in": "query",
    "schema": {"type": "string", "description": "a’b"}}],
    "responses": {"200": {"description": "OK"}}}}}}
"#;
    let escaped = plain.replace("a’b", "a\\u2019b");
    let yaml = "openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\npaths:\n  /notes:\n    get:\n      parameters:\n        - name: q\n          in: query\n          schema:\n            type: string\n            description: \"a’b\"\n      responses:\n        '200':\n          description: OK\n";
    let of = |name: &str, text: &str| {
        let dir = project(&[(name, text)]);
        fingerprints(&lint_path(&dir.path().join(name)), "string-unbounded")
    };
    let first = of("api.json", plain);
    assert_eq!(first.len(), 1);
    assert_eq!(first, of("api.json", &escaped));
    // Same file name stem, other syntax: the path differs, so compare through a YAML twin.
    let yaml_json = yaml.replace("description: \"a’b\"", "description: \"a\\u2019b\"");
    assert_eq!(of("api.yaml", yaml), of("api.yaml", &yaml_json));
    // A different value is a different node.
    assert_ne!(first, of("api.json", &plain.replace("a’b", "a’c")));
}

// ---------------------------------------------------------------------------------------------
// A deferred finding is made only when it is reported on its own

/// How many deferred findings [`DefersEach`] has made.
static MADE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Defers a finding for each operation; an operation whose path ends in `/marked` does what the
/// rule asks, so every deferred finding is then an exception of its own.
struct DefersEach;

static DEFERS_EACH: RuleMeta = RuleMeta {
    id: "defers-each",
    aliases: &[],
    summary: "defers a finding per operation",
    severity: Severity::Warning,
    default_enabled: true,
    owasp: None,
    docs: "",
};

impl Rule for DefersEach {
    fn meta(&self) -> &'static RuleMeta {
        &DEFERS_EACH
    }

    fn check_operation<'a>(&self, op: &rampart::engine::OperationInfo<'a>, cx: &mut Context<'a>) {
        if op.path.ends_with("/marked") {
            cx.mark();
            return;
        }
        let (at, site) = (op.key, op.site());
        cx.defer(at, move || {
            MADE.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            rampart::engine::Finding::new(at, format!("{} is an exception", site.label()), "")
        });
    }

    fn check_document_end(
        &self,
        doc: &rampart::document::model::Document<'_>,
        cx: &mut Context<'_>,
    ) {
        let missing = cx.take_deferred();
        if cx.marked() {
            for f in missing {
                cx.report(f.finding());
            }
        } else if !missing.is_empty() {
            let message = format!("none of {} operations", missing.len());
            cx.report(rampart::engine::whole_document(doc, message, "", &missing));
        }
    }
}

#[test]
fn a_deferred_finding_is_made_only_when_it_is_reported_on_its_own() {
    use std::fmt::Write as _;
    use std::sync::atomic::Ordering;
    // Enough path items that the walk is split between tasks, whose deferred findings are
    // recorded on other threads and replayed in order.
    let mut api = String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n");
    for i in 0..40 {
        let _ = write!(
            api,
            "  /p{i}:\n    get:\n      responses:\n        '200': {{description: ok}}\n"
        );
    }
    let marked = api.clone()
        + "  /p40/marked:\n    get:\n      responses:\n        '200': {description: ok}\n";
    let dir = project(&[("whole.yaml", &api), ("marked.yaml", &marked)]);
    let lint = |name: &str| {
        rampart::lint_with(
            &LintRequest {
                paths: vec![dir.path().join(name).to_string_lossy().into_owned()],
                ..LintRequest::default()
            },
            &[&DefersEach],
        )
    };

    MADE.store(0, Ordering::SeqCst);
    let whole = lint("whole.yaml");
    assert_eq!(
        MADE.load(Ordering::SeqCst),
        0,
        "none is made for the whole-document finding"
    );
    let found: Vec<_> = whole
        .diagnostics
        .iter()
        .filter(|d| d.rule == "defers-each")
        .collect();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].message, "none of 40 operations");
    assert_eq!(found[0].location.pointer.as_ref(), "/paths");
    // The first five places are listed by where they are, the rest counted.
    let related: Vec<_> = found[0]
        .related
        .iter()
        .map(|r| r.location.pointer.as_ref())
        .collect();
    assert_eq!(
        related,
        [
            "/paths/~1p0/get",
            "/paths/~1p1/get",
            "/paths/~1p2/get",
            "/paths/~1p3/get",
            "/paths/~1p4/get"
        ]
    );
    assert_eq!(found[0].related_more, 35);

    MADE.store(0, Ordering::SeqCst);
    let marked = lint("marked.yaml");
    assert_eq!(MADE.load(Ordering::SeqCst), 40);
    let found: Vec<_> = marked
        .diagnostics
        .iter()
        .filter(|d| d.rule == "defers-each")
        .collect();
    assert_eq!(found.len(), 40);
    assert_eq!(found[0].message, "`GET /p0` is an exception");
    assert_eq!(found[0].location.pointer.as_ref(), "/paths/~1p0/get");
    assert_eq!(found[0].location.start.line, 5);
    assert_eq!(found[39].message, "`GET /p39` is an exception");
}
