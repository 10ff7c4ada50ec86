//! Inputs built to hurt: each must give a clear diagnostic, quickly, and never hang or abort.

use std::fs;
use std::path::Path;

use rampart::{LintRequest, Report, lint};

fn lint_path(path: &Path) -> Report {
    lint(&LintRequest {
        paths: vec![path.to_string_lossy().into_owned()],
        policy: quiet(),
        ..Default::default()
    })
}

fn rules(report: &Report) -> Vec<&'static str> {
    report.diagnostics.iter().map(|d| d.rule).collect()
}

/// These documents have no servers, by design: `servers-missing` is left out.
fn quiet() -> rampart::engine::Policy {
    let mut policy = rampart::engine::Policy::default();
    policy.severities.insert("servers-missing", None);
    policy
}

const HEAD: &str = "openapi: 3.1.0\ninfo: {title: t, version: \"1\"}\nsecurity: [{k: []}]\n";
const TAIL: &str = "  securitySchemes:\n    k: {type: http, scheme: bearer}\n";

#[test]
fn callbacks_that_lead_back_to_their_path_item_are_walked_once() {
    // Three callbacks, each with three expressions leading back to the path item that holds them.
    let mut doc = String::from(HEAD);
    doc.push_str("paths:\n  /a:\n    $ref: '#/components/pathItems/P'\ncomponents:\n  pathItems:\n    P:\n      post:\n        callbacks:\n");
    for c in 1..=3 {
        doc.push_str(&format!(
            "          c{c}: {{$ref: '#/components/callbacks/C'}}\n"
        ));
    }
    doc.push_str("        responses: {'204': {description: ok}}\n  callbacks:\n    C:\n");
    for e in 1..=3 {
        doc.push_str(&format!(
            "      e{e}: {{$ref: '#/components/pathItems/P'}}\n"
        ));
    }
    doc.push_str(TAIL);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("callbacks.yaml");
    fs::write(&path, doc).expect("write");
    let report = lint_path(&path);
    assert!(!report.has_input_errors(), "{:#?}", report.diagnostics);
    assert!(rules(&report).contains(&"rate-limit-429-missing"));
}

#[test]
fn a_huge_key_and_a_reference_to_a_near_name_do_not_exhaust_memory() {
    let long_a = "a".repeat(40_000);
    let long_b = "b".repeat(40_000);
    let doc = format!(
        "{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"t\", \"version\": \"1\"}}, \"paths\": {{}},\n\
         \"components\": {{\"schemas\": {{\"{long_a}\": {{\"type\": \"string\"}},\n\
         \"x\": {{\"$ref\": \"#/components/schemas/{long_b}\"}}}}}}}}"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("long.json");
    fs::write(&path, doc).expect("write");
    let report = lint_path(&path);
    let unresolved: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "ref-unresolved")
        .collect();
    assert_eq!(unresolved.len(), 1);
    assert!(!unresolved[0].message.contains("did you mean"));
    assert_eq!(unresolved[0].location.start.line, 3);
}

#[cfg(unix)]
#[test]
fn a_pipe_is_not_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fifo = dir.path().join("pipe.yaml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("mkfifo is not available; skipped");
        return;
    }
    let report = lint_path(&fifo);
    assert_eq!(rules(&report), ["io-error"]);
    assert!(report.diagnostics[0].message.contains("not a regular file"));
}

#[test]
fn a_reference_that_is_not_a_string_is_a_structure_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("nonstr.yaml");
    let doc = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: 5}}\n{TAIL}");
    fs::write(&path, doc).expect("write");
    let report = lint_path(&path);
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.rule == "structure")
        .expect("reported");
    assert_eq!(&*d.location.pointer, "/components/schemas/A/$ref");
    assert_eq!(d.location.start.line, 7);
}

#[test]
fn file_references_keep_tildes_and_decode_percent_escapes() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(
        dir.path().join("a~1b c.yaml"),
        "type: string\nmaxLength: 5\n",
    )
    .expect("fragment");
    let doc = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: './a~1b%20c.yaml'}}\n{TAIL}"
    );
    let path = dir.path().join("root.yaml");
    fs::write(&path, doc).expect("write");
    let report = lint_path(&path);
    assert!(
        !rules(&report).iter().any(|r| r.starts_with("ref-")),
        "{:#?}",
        report.diagnostics
    );
}

#[test]
fn a_broken_fragment_is_reported_when_a_walked_document_needs_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(
        dir.path().join("frag.yaml"),
        "type: string\nmaxLength: [1, 2\n",
    )
    .expect("fragment");
    let doc = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: './frag.yaml'}}\n{TAIL}"
    );
    fs::write(dir.path().join("root.yaml"), doc).expect("write");
    let report = lint_path(dir.path());
    // At the reference, with the position in the fragment; nothing of the fragment is quoted.
    assert_eq!(rules(&report), ["ref-unresolved"]);
    let m = &report.diagnostics[0].message;
    assert!(
        m.contains("does not parse as YAML or JSON (error at line 3, column 1)"),
        "{m}"
    );
}

#[test]
fn a_file_over_the_size_limit_is_reported_not_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("big.yaml");
    let mut doc = format!("{HEAD}paths: {{}}\ncomponents:\n{TAIL}x-padding: \"");
    doc.push_str(&"x".repeat(4096));
    doc.push_str("\"\n");
    fs::write(&path, doc).expect("write");
    let mut request = LintRequest {
        paths: vec![path.to_string_lossy().into_owned()],
        ..Default::default()
    };
    request.limits.max_file_bytes = 1024;
    let report = lint(&request);
    assert_eq!(rules(&report), ["input-limit"]);
    assert!(report.has_input_errors());
    assert!(report.diagnostics[0].message.contains("--max-file-size"));
}

// ---------------------------------------------------------------------------------------------
// Files outside the project are never read, and what is read is not leaked

/// An environment variable the linted process carries, which must never reach the output.
const CANARY: &str = "c4n4ry-s3cr3t-v4lue";

/// Runs the binary from `cwd` with `CANARY` in its environment; returns (exit code, stdout + stderr)
/// of each output format.
fn run_in(cwd: &Path, args: &[&str]) -> Vec<(Option<i32>, String)> {
    ["human", "concise", "json"]
        .iter()
        .map(|format| {
            let o = std::process::Command::new(env!("CARGO_BIN_EXE_rampart"))
                .arg("lint")
                .args(args)
                .args(["--format", format])
                .current_dir(cwd)
                .env("NO_COLOR", "1")
                .env("RAMPART_TEST_CANARY", CANARY)
                .output()
                .expect("the rampart binary runs");
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            );
            (o.status.code(), text)
        })
        .collect()
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().expect("parent")).expect("folders");
    fs::write(&path, text).expect("write");
    path
}

fn spec_with_ref(target: &str) -> String {
    format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: '{target}'}}\n{TAIL}")
}

fn lint_paths(paths: &[&Path]) -> Report {
    lint(&LintRequest {
        paths: paths
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect(),
        policy: quiet(),
        ..Default::default()
    })
}

fn messages(report: &Report) -> String {
    report
        .diagnostics
        .iter()
        .map(|d| format!("{} {}: {}\n", d.rule, d.location.path, d.message))
        .collect()
}

#[cfg(target_os = "linux")]
#[test]
fn run_from_the_filesystem_root_a_reference_to_the_process_environment_is_not_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = write(
        dir.path(),
        "api.yaml",
        &spec_with_ref("/proc/self/environ#/x"),
    );
    for (code, out) in run_in(Path::new("/"), &[&spec.to_string_lossy()]) {
        assert!(!out.contains(CANARY), "{out}");
        assert!(out.contains("ref-outside-root"), "{out}");
        assert_eq!(code, Some(1), "{out}");
    }
    // Lifting the check reads it, but shows nothing of it.
    for (code, out) in run_in(
        Path::new("/"),
        &[&spec.to_string_lossy(), "--allow-external-refs"],
    ) {
        assert!(!out.contains(CANARY), "{out}");
        assert!(out.contains("does not parse as YAML"), "{out}");
        assert_eq!(code, Some(1), "{out}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_linted_file_that_links_to_the_process_environment_is_not_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let link = dir.path().join("api.yaml");
    std::os::unix::fs::symlink("/proc/self/environ", &link).expect("symlink");
    for args in [
        vec![link.to_string_lossy().into_owned()],
        vec![dir.path().to_string_lossy().into_owned()],
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        for (code, out) in run_in(Path::new("/"), &args) {
            assert!(!out.contains(CANARY), "{out}");
            assert!(out.contains("outside the project"), "{out}");
            assert_eq!(code, Some(2), "{out}");
        }
    }
}

#[cfg(unix)]
#[test]
fn a_walked_file_that_links_out_of_the_project_is_not_read() {
    let outside = tempfile::tempdir().expect("temp dir");
    let secret = write(outside.path(), "secret.yaml", &format!("token: {CANARY}\n"));
    let project = tempfile::tempdir().expect("temp dir");
    fs::create_dir(project.path().join(".git")).expect(".git");
    write(
        project.path(),
        "api/openapi.yaml",
        &spec_with_ref("../shared/x.yaml"),
    );
    write(
        project.path(),
        "shared/x.yaml",
        "type: string\nmaxLength: 3\n",
    );
    std::os::unix::fs::symlink(&secret, project.path().join("api/link.yaml")).expect("symlink");
    let report = lint_paths(&[&project.path().join("api")]);
    let m = messages(&report);
    assert!(!m.contains(CANARY), "{m}");
    assert!(!report.files.iter().any(|f| f.text.contains(CANARY)), "{m}");
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.rule == "io-error")
        .expect("the link is reported");
    assert!(d.message.contains("link.yaml"), "{m}");
    assert!(d.message.contains("outside the project"), "{m}");
    // The reference to `../shared` stays inside the git repository: it is read.
    assert!(!m.contains("ref-"), "{m}");
}

#[test]
fn references_into_hidden_folders_and_to_other_files_are_not_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir(dir.path().join(".git")).expect(".git");
    write(
        dir.path(),
        ".git/config",
        &format!("[core]\n\ttoken = {CANARY}\n"),
    );
    write(dir.path(), ".github/x.yaml", &format!("token: {CANARY}\n"));
    write(dir.path(), "notes.txt", &format!("{CANARY}\n"));
    write(dir.path(), "link.yaml", "");
    fs::remove_file(dir.path().join("link.yaml")).expect("rm");
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join(".git/config"), dir.path().join("link.yaml"))
        .expect("symlink");
    for target in [
        ".git/config",
        ".github/x.yaml#/token",
        "notes.txt",
        "link.yaml",
    ] {
        let spec = write(dir.path(), "api.yaml", &spec_with_ref(target));
        let report = lint_paths(&[&spec]);
        let m = messages(&report);
        assert!(!m.contains(CANARY), "{m}");
        assert!(!report.files.iter().any(|f| f.text.contains(CANARY)), "{m}");
        let d = report
            .diagnostics
            .iter()
            .find(|d| d.rule == "ref-outside-root")
            .unwrap_or_else(|| panic!("{target}: {m}"));
        assert!(d.message.contains(target), "{m}");
        assert!(
            d.help
                .as_deref()
                .unwrap_or("")
                .contains("--allow-external-refs"),
            "{m}"
        );
    }
}

#[test]
fn a_referenced_file_that_does_not_parse_is_named_with_a_position_and_never_quoted() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "frag.yaml",
        &format!("type: string\ndescription: [{CANARY}\n"),
    );
    let spec = write(dir.path(), "api.yaml", &spec_with_ref("frag.yaml"));
    let report = lint_paths(&[&spec]);
    let m = messages(&report);
    assert_eq!(rules(&report), ["ref-unresolved"], "{m}");
    let d = &report.diagnostics[0];
    assert!(d.message.contains("does not parse"), "{m}");
    assert!(d.message.contains("line 3"), "{m}");
    assert!(!report.files.iter().any(|f| f.text.contains(CANARY)), "{m}");
    for (code, out) in run_in(dir.path(), &["api.yaml"]) {
        assert!(!out.contains(CANARY), "{out}");
        assert_eq!(code, Some(1), "{out}");
    }
}

#[test]
fn key_names_of_other_files_are_not_suggested() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "secrets.json",
        "{\"deploy_token\": \"x\", \"db\": {\"password\": \"y\"}}",
    );
    let spec = write(
        dir.path(),
        "api.yaml",
        &spec_with_ref("secrets.json#/deploy_tokn"),
    );
    let report = lint_paths(&[&spec]);
    let m = messages(&report);
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.rule == "ref-unresolved"),
        "{m}"
    );
    assert!(!m.contains("deploy_token"), "{m}");

    // A file other references use as a map of definitions is fair game.
    write(
        dir.path(),
        "defs.yaml",
        "Pet: {type: string, maxLength: 3}\nOwner: {type: string, maxLength: 3}\n",
    );
    let doc = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: 'defs.yaml#/Pet'}}\n    B: {{$ref: 'defs.yaml#/Ownr'}}\n{TAIL}"
    );
    let spec = write(dir.path(), "api.yaml", &doc);
    let report = lint_paths(&[&spec]);
    let m = messages(&report);
    assert!(m.contains("did you mean `Owner`?"), "{m}");

    // And so is a document.
    let doc = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Pet: {{type: string, maxLength: 3}}\n    A: {{$ref: '#/components/schemas/Pett'}}\n{TAIL}"
    );
    let spec = write(dir.path(), "api.yaml", &doc);
    let m = messages(&lint_paths(&[&spec]));
    assert!(m.contains("did you mean `Pet`?"), "{m}");
}

/// `api/openapi.yaml` referencing `../shared/x.yaml`.
fn split_layout(git: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    if git {
        fs::create_dir(dir.path().join(".git")).expect(".git");
    }
    write(
        dir.path(),
        "api/openapi.yaml",
        &spec_with_ref("../shared/x.yaml"),
    );
    write(dir.path(), "shared/x.yaml", "type: string\nmaxLength: 3\n");
    dir
}

#[test]
fn inside_a_git_repository_references_reach_the_whole_repository() {
    let dir = split_layout(true);
    let api = dir.path().join("api");
    for (cwd, arg) in [
        (
            Path::new("/"),
            api.join("openapi.yaml").to_string_lossy().into_owned(),
        ),
        (api.as_path(), "openapi.yaml".to_string()),
        (api.as_path(), ".".to_string()),
        (dir.path(), "api".to_string()),
    ] {
        for (code, out) in run_in(cwd, &[&arg]) {
            assert!(!out.contains("ref-"), "{cwd:?} {arg}: {out}");
            assert_eq!(code, Some(0), "{out}");
        }
    }
    // From the subfolder, with no path at all.
    for (code, out) in run_in(&api, &[]) {
        assert!(!out.contains("ref-"), "{out}");
        assert_eq!(code, Some(0), "{out}");
    }
}

#[test]
fn outside_a_git_repository_the_named_folders_bound_references() {
    let dir = split_layout(false);
    // The working directory holds both folders, but it was not named.
    for (_, out) in run_in(dir.path(), &["api/openapi.yaml"]) {
        assert!(out.contains("ref-outside-root"), "{out}");
    }
    for (_, out) in run_in(dir.path(), &["api"]) {
        assert!(out.contains("ref-outside-root"), "{out}");
    }
    // Named, or implied by naming nothing, it counts.
    for args in [vec!["."], vec![], vec!["api/openapi.yaml", "shared"]] {
        for (code, out) in run_in(dir.path(), &args) {
            assert!(!out.contains("ref-"), "{args:?}: {out}");
            assert_eq!(code, Some(0), "{out}");
        }
    }
    // Lifted on request.
    for (code, out) in run_in(dir.path(), &["api/openapi.yaml", "--allow-external-refs"]) {
        assert!(!out.contains("ref-"), "{out}");
        assert_eq!(code, Some(0), "{out}");
    }
}

// ---------------------------------------------------------------------------------------------
// Encodings, globs and limits

#[test]
fn invalid_utf8_is_reported_by_line_and_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bad.yaml");
    let mut bytes = format!("{HEAD}paths: {{}}\nx-note: \"ab").into_bytes();
    bytes.extend_from_slice(b"\xff\xfe\"\n");
    fs::write(&path, bytes).expect("write");
    let report = lint_path(&path);
    assert_eq!(rules(&report), ["io-error"]);
    let m = &report.diagnostics[0].message;
    assert!(m.contains("not valid UTF-8"), "{m}");
    assert!(m.contains("line 5, column 12"), "{m}");
}

#[test]
fn utf16_files_are_decoded() {
    let dir = tempfile::tempdir().expect("temp dir");
    // The scheme the document requires is not defined; non-ASCII text moves no column.
    let doc = format!("{HEAD}x-note: \"café 😀\"\npaths: {{}}\n");
    let plain = dir.path().join("plain.yaml");
    fs::write(&plain, &doc).expect("write");
    let expected: Vec<_> = lint_path(&plain)
        .diagnostics
        .iter()
        .map(|d| (d.rule, d.location.start.line, d.location.start.column))
        .collect();
    assert!(!expected.is_empty());
    let units: Vec<u16> = std::iter::once(0xfeff).chain(doc.encode_utf16()).collect();
    for (name, bytes) in [
        (
            "le.yaml",
            units
                .iter()
                .flat_map(|u| u.to_le_bytes())
                .collect::<Vec<u8>>(),
        ),
        (
            "be.yaml",
            units.iter().flat_map(|u| u.to_be_bytes()).collect(),
        ),
    ] {
        let path = dir.path().join(name);
        fs::write(&path, bytes).expect("write");
        let report = lint_path(&path);
        let got: Vec<_> = report
            .diagnostics
            .iter()
            .map(|d| (d.rule, d.location.start.line, d.location.start.column))
            .collect();
        assert_eq!(got, expected, "{name}");
    }
    // An odd number of bytes, or a lone surrogate, is not UTF-16.
    let path = dir.path().join("odd.yaml");
    fs::write(&path, [0xff, 0xfe, b'a', 0, 0x00, 0xd8, b'b', 0]).expect("write");
    let report = lint_path(&path);
    assert_eq!(rules(&report), ["io-error"]);
    assert!(
        report.diagnostics[0].message.contains("UTF-16"),
        "{:?}",
        report.diagnostics
    );
}

#[cfg(unix)]
#[test]
fn a_glob_reports_only_the_dangling_links_it_matches() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "specs/v1/api.json",
        r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}"#,
    );
    std::os::unix::fs::symlink(
        dir.path().join("gone.yaml"),
        dir.path().join("specs/v1/old.yaml"),
    )
    .expect("symlink");
    std::os::unix::fs::symlink(
        dir.path().join("gone.json"),
        dir.path().join("specs/v1/old.json"),
    )
    .expect("symlink");
    let glob = format!("{}/specs/**/*.json", dir.path().display());
    let report = lint(&LintRequest {
        paths: vec![glob],
        policy: quiet(),
        ..Default::default()
    });
    let errors: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "io-error")
        .map(|d| d.message.clone())
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("old.json"), "{errors:?}");
}

#[test]
fn a_size_limit_past_four_gigabytes_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "api.yaml",
        &spec_with_ref("#/components/schemas/A"),
    );
    for size in ["5G", "4294967296"] {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_rampart"))
            .args(["lint", "api.yaml", "--max-file-size", size])
            .current_dir(dir.path())
            .output()
            .expect("runs");
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains("4095M"), "{err}");
    }
}
