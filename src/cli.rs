//! The command line: clap types, turning flags into a [`LintRequest`], rendering, exit codes.
//!
//! Exit codes: 0 when nothing was found at or above `--fail-on`, 1 when something was, 2 for a usage error
//! or an input that could not be read or parsed.

use std::ffi::OsString;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::diagnostic::Severity;
use crate::output::{self, RenderOptions};
use crate::source::Limits;
use crate::{LintRequest, Report, rules};

const EXIT_CODES: &str = "\
Exit codes:
  0  no findings at or above the --fail-on severity
  1  findings at or above the --fail-on severity
  2  usage error, or an input that could not be read or parsed";

/// A static security linter for OpenAPI documents.
#[derive(Debug, Parser)]
#[command(
    name = "rampart",
    version,
    about,
    long_about = "A static security linter for OpenAPI documents (Swagger 2.0, OpenAPI 3.0 and 3.1), \
                  checking them against the OWASP API Security Top 10.",
    after_help = EXIT_CODES,
    arg_required_else_help = true,
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint OpenAPI documents.
    #[command(after_help = EXIT_CODES)]
    Lint(LintArgs),
    /// List every rule: id, default severity, OWASP category and summary.
    Rules,
    /// Print the documentation page of a rule.
    Explain {
        /// A rule id (`string-unbounded`) or one of its aliases.
        #[arg(value_name = "RULE")]
        id: String,
    },
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Files, folders or glob patterns to lint [default: .].
    ///
    /// A file is linted whatever its extension. A folder is searched for *.yaml, *.yml and *.json files,
    /// skipping .git, node_modules and target. A glob (quote it to keep the shell from expanding it) keeps
    /// the matching *.yaml, *.yml and *.json files; `*` stays within a folder, `**` crosses folders.
    #[arg(value_name = "PATH|GLOB")]
    pub paths: Vec<String>,

    /// Output format: `human` shows each finding with its source, `concise` one line per finding,
    /// `json` a versioned document for machines (see docs/json-output.md).
    #[arg(long, value_enum, default_value_t = OutputFormat::Human, value_name = "FORMAT")]
    pub format: OutputFormat,

    /// Exit with 1 when a finding has this severity or a higher one; `never` exits with 0 whatever is
    /// found (unreadable inputs still exit with 2).
    #[arg(long, value_enum, default_value_t = FailOn::Error, value_name = "SEVERITY")]
    pub fail_on: FailOn,

    /// Leave out files and folders matching this glob when searching folders and globs (repeatable).
    ///
    /// Matched against the path relative to the searched folder, the path as shown and the bare name, so
    /// both `fixtures/**` and `*.generated.yaml` work. Files named explicitly are always linted.
    #[arg(long, value_name = "GLOB", action = clap::ArgAction::Append)]
    pub exclude: Vec<String>,

    /// Let `$ref`s read any file: outside the project root (the git root of the linted paths, else
    /// the folders named), in hidden folders, of any extension [default: off].
    #[arg(long)]
    pub allow_external_refs: bool,

    /// Skip files larger than this, in bytes; K, M and G suffixes are powers of 1024; at most 4095M
    /// [default: 100M].
    #[arg(long, value_name = "BYTES", value_parser = parse_size)]
    pub max_file_size: Option<u64>,

    /// When to colour the output: `auto` colours when standard output is a terminal and the NO_COLOR
    /// environment variable is unset or empty.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Which rules run: `recommended` every rule not marked off, at its default severity; `strict` the
    /// same one step more severe (warnings become errors, infos warnings); `all` every rule.
    #[arg(long, value_enum, default_value_t = PresetArg::Recommended, value_name = "PRESET")]
    pub preset: PresetArg,

    /// Report findings that `x-rampart-ignore` silences (for audits).
    #[arg(long)]
    pub no_inline_ignore: bool,

    /// Print only how many findings each rule has (rule, severity, count; most frequent first) instead of
    /// the findings; the summary line goes to standard error.
    #[arg(long, conflicts_with = "format")]
    pub statistics: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Each finding with its source snippet, then a summary.
    Human,
    /// One `path:line:col: severity[rule] message` line per finding; the summary goes to standard error.
    Concise,
    /// One JSON document (schema version 1).
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PresetArg {
    Recommended,
    Strict,
    All,
}

impl From<PresetArg> for crate::engine::Preset {
    fn from(p: PresetArg) -> crate::engine::Preset {
        match p {
            PresetArg::Recommended => crate::engine::Preset::Recommended,
            PresetArg::Strict => crate::engine::Preset::Strict,
            PresetArg::All => crate::engine::Preset::All,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    /// The lowest severity that fails the run.
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// How the process ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Nothing at or above the threshold.
    Clean,
    /// Findings at or above the threshold.
    Findings,
    /// A usage error, or an input that could not be read or parsed.
    Error,
}

impl Exit {
    pub fn code(self) -> u8 {
        match self {
            Exit::Clean => 0,
            Exit::Findings => 1,
            Exit::Error => 2,
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit.code())
    }
}

impl LintArgs {
    /// The library request these flags describe.
    pub fn request(&self) -> LintRequest {
        let mut limits = Limits::default();
        if let Some(bytes) = self.max_file_size {
            limits.max_file_bytes = bytes;
        }
        LintRequest {
            paths: self.paths.clone(),
            exclude: self.exclude.clone(),
            allow_external_refs: self.allow_external_refs,
            limits,
            policy: crate::engine::Policy {
                preset: self.preset.into(),
                no_inline_ignore: self.no_inline_ignore,
                ..crate::engine::Policy::default()
            },
            ..LintRequest::default()
        }
    }
}

/// Runs the command line of this process. An `Err` is a failure to write the output (a closed pipe
/// among them); the caller decides what that means.
pub fn run() -> io::Result<Exit> {
    run_from(std::env::args_os())
}

/// Runs a command line given as arguments (the first is the program name).
pub fn run_from<I, T>(args: I) -> io::Result<Exit>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            err.print()?;
            return Ok(if err.use_stderr() {
                Exit::Error
            } else {
                Exit::Clean
            });
        }
    };
    match cli.command {
        Command::Lint(args) => lint(&args),
        Command::Rules => list_rules(&mut io::stdout().lock()),
        Command::Explain { id } => explain(&id, &mut io::stdout().lock()),
    }
}

/// Prints `rampart: <message>` on standard error; a failure to do so is not worth failing over.
fn error_line(message: &str) {
    let _ = writeln!(io::stderr().lock(), "rampart: {message}");
}

fn lint(args: &LintArgs) -> io::Result<Exit> {
    let report = crate::lint(&args.request());
    let stdout = io::stdout();
    let opts = RenderOptions {
        color: use_color(
            args.color,
            std::env::var_os("NO_COLOR"),
            stdout.is_terminal(),
        ),
        unicode: true,
        width: width(stdout.is_terminal()),
    };
    let mut out = BufWriter::new(stdout.lock());
    let exit = finish(&report, args, &opts, &mut out, &mut io::stderr().lock())?;
    out.flush()?;
    Ok(exit)
}

/// Renders a report to `out` (and unreadable inputs and, for `concise`, the summary to `err`); returns how
/// the run ends.
fn finish(
    report: &Report,
    args: &LintArgs,
    opts: &RenderOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<Exit> {
    // Inputs that could not be read have no text to show: they are reported as `rampart: path: cause`.
    // Failing to write to standard error is not worth failing the run over.
    for d in report
        .diagnostics
        .iter()
        .filter(|d| output::unreadable(report, d))
    {
        let _ = writeln!(
            err,
            "rampart: {}: {}",
            output::escape(&d.location.path),
            output::escape(&d.message)
        );
    }

    if args.statistics {
        write!(out, "{}", output::rule_table(report, true, "", opts.color))?;
        out.flush()?;
        let _ = writeln!(err, "{}", output::summary(report));
        return Ok(exit(report, args));
    }
    match args.format {
        OutputFormat::Human => output::human::render(report, out, opts)?,
        OutputFormat::Concise => {
            output::concise::render(report, out, opts)?;
            out.flush()?;
            let _ = writeln!(err, "{}", output::summary(report));
        }
        OutputFormat::Json => output::json::render(report, out, opts)?,
    }
    Ok(exit(report, args))
}

/// How a run with this report ends.
fn exit(report: &Report, args: &LintArgs) -> Exit {
    if report.has_input_errors() {
        Exit::Error
    } else if report.fails(args.fail_on.threshold()) {
        Exit::Findings
    } else {
        Exit::Clean
    }
}

/// Whether to colour, given `--color`, the NO_COLOR variable and whether standard output is a terminal.
pub fn use_color(choice: ColorChoice, no_color: Option<OsString>, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => is_terminal && no_color.is_none_or(|v| v.is_empty()),
    }
}

/// The terminal's width, else `COLUMNS`, else 100.
fn width(is_terminal: bool) -> usize {
    let terminal = if is_terminal {
        terminal_size::terminal_size().map(|(w, _)| usize::from(w.0))
    } else {
        None
    };
    terminal
        .or_else(|| std::env::var("COLUMNS").ok()?.trim().parse().ok())
        .filter(|&w| w >= 20)
        .unwrap_or(100)
}

/// Parses a size in bytes: `1048576`, `512K`, `10M`, `1G` (also `KB`, `KiB`...; powers of 1024).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let n: u64 = digits.parse().map_err(|_| {
        format!("`{text}` is not a size (expected bytes, or a number with K, M or G)")
    })?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => return Err(format!("unknown size unit `{unit}` (expected K, M or G)")),
    };
    let bytes = n
        .checked_mul(1 << shift)
        .ok_or_else(|| format!("`{text}` is too large"))?;
    // Positions in a file are 32-bit: a larger file could not be reported on.
    if bytes > u64::from(u32::MAX) {
        return Err(format!(
            "`{text}` is more than rampart can read: files are limited to 4 GiB less one byte (use at most 4095M)"
        ));
    }
    Ok(bytes)
}

fn list_rules(out: &mut dyn Write) -> io::Result<Exit> {
    let header = ["ID", "SEVERITY", "OWASP", "SUMMARY"];
    // Rules, then the built-in checks of the input itself.
    let rows: Vec<[&str; 4]> = rules::ALL
        .iter()
        .map(|r| r.meta())
        .chain(crate::engine::builtin::ALL.iter().copied())
        .map(|m| {
            [
                m.id,
                m.severity.as_str(),
                m.owasp.map_or("-", |o| o.code()),
                m.summary,
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.len());
        }
    }
    let mut out = BufWriter::new(out);
    for row in std::iter::once(&header).chain(&rows) {
        let line = format!(
            "{:w0$}  {:w1$}  {:w2$}  {}",
            row[0],
            row[1],
            row[2],
            row[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
        );
        writeln!(out, "{}", line.trim_end())?;
    }
    out.flush()?;
    Ok(Exit::Clean)
}

fn explain(id: &str, out: &mut dyn Write) -> io::Result<Exit> {
    if let Some(meta) = rules::find_meta(id) {
        let docs = meta.docs;
        out.write_all(docs.as_bytes())?;
        if !docs.ends_with('\n') {
            writeln!(out)?;
        }
        out.flush()?;
        return Ok(Exit::Clean);
    }
    let names = rules::ALL
        .iter()
        .map(|r| r.meta())
        .chain(crate::engine::builtin::ALL.iter().copied())
        .flat_map(|m| std::iter::once(m.id).chain(m.aliases.iter().copied()));
    let id = output::escape(id);
    match suggest(&id, names) {
        Some(near) => error_line(&format!("unknown rule `{id}`; did you mean `{near}`?")),
        None => error_line(&format!(
            "unknown rule `{id}`; `rampart rules` lists every rule"
        )),
    }
    Ok(Exit::Error)
}

/// The candidate closest to `input`, if one is close enough to be what was meant.
pub fn suggest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input = input.to_ascii_lowercase();
    candidates
        .into_iter()
        .filter_map(|c| {
            let lower = c.to_ascii_lowercase();
            let distance = edit_distance(&input, &lower);
            let close = distance <= (lower.chars().count() / 3).max(1)
                || (input.len() >= 4 && lower.contains(&input));
            close.then_some((distance, c))
        })
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, c)| c)
}

/// Levenshtein distance, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_valid() {
        Cli::command().debug_assert();
    }

    #[test]
    fn flags_become_a_request() {
        let cli = Cli::try_parse_from([
            "rampart",
            "lint",
            "specs",
            "api/*.yaml",
            "--exclude",
            "fixtures/**",
            "--exclude",
            "*.gen.yaml",
            "--allow-external-refs",
            "--max-file-size",
            "2M",
            "--format",
            "json",
            "--fail-on",
            "warning",
        ])
        .unwrap();
        let Command::Lint(args) = cli.command else {
            panic!("expected lint");
        };
        assert_eq!(args.format, OutputFormat::Json);
        assert_eq!(args.fail_on.threshold(), Some(Severity::Warning));
        let request = args.request();
        assert_eq!(request.paths, ["specs", "api/*.yaml"]);
        assert_eq!(request.exclude, ["fixtures/**", "*.gen.yaml"]);
        assert!(request.allow_external_refs);
        assert_eq!(request.limits.max_file_bytes, 2 * 1024 * 1024);
    }

    #[test]
    fn defaults_are_the_documented_ones() {
        let Command::Lint(args) = Cli::try_parse_from(["rampart", "lint"]).unwrap().command else {
            panic!("expected lint");
        };
        assert_eq!(args.format, OutputFormat::Human);
        assert_eq!(args.fail_on, FailOn::Error);
        assert_eq!(args.color, ColorChoice::Auto);
        assert!(args.paths.is_empty());
        // `--max-file-size` says its default is 100M.
        assert_eq!(
            args.request().limits.max_file_bytes,
            parse_size("100M").unwrap()
        );
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1024"), Ok(1024));
        assert_eq!(parse_size("512K"), Ok(512 * 1024));
        assert_eq!(parse_size("10mb"), Ok(10 << 20));
        assert_eq!(parse_size("1GiB"), Ok(1 << 30));
        assert!(parse_size("").is_err());
        assert!(parse_size("ten").is_err());
        assert!(parse_size("5T").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
        assert_eq!(parse_size("4095M"), Ok(4095 << 20));
        assert!(parse_size("4G").is_err());
        assert!(parse_size("4294967296").is_err());
        assert_eq!(parse_size("4294967295"), Ok(u64::from(u32::MAX)));
    }

    #[test]
    fn colour_choice() {
        let set = || Some(OsString::from("1"));
        assert!(use_color(ColorChoice::Auto, None, true));
        assert!(use_color(ColorChoice::Auto, Some(OsString::new()), true));
        assert!(!use_color(ColorChoice::Auto, set(), true));
        assert!(!use_color(ColorChoice::Auto, None, false));
        assert!(use_color(ColorChoice::Always, set(), false));
        assert!(!use_color(ColorChoice::Never, None, true));
    }

    #[test]
    fn suggestions() {
        let ids = ["string-unbounded", "api-key-in-url", "array-unbounded"];
        assert_eq!(suggest("strng-unbounded", ids), Some("string-unbounded"));
        assert_eq!(suggest("STRING-UNBOUNDED", ids), Some("string-unbounded"));
        assert_eq!(suggest("api-key-url", ids), Some("api-key-in-url"));
        assert_eq!(suggest("array-unbound", ids), Some("array-unbounded"));
        assert_eq!(suggest("key-in-url", ids), Some("api-key-in-url"));
        assert_eq!(suggest("nonexistent", ids), None);
        assert_eq!(suggest("x", ids), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn rules_table_has_a_header() {
        let mut out = Vec::new();
        assert_eq!(list_rules(&mut out).unwrap(), Exit::Clean);
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("ID"), "{text}");
        assert_eq!(
            text.lines().count(),
            1 + rules::ALL.len() + crate::engine::builtin::ALL.len()
        );
        assert!(text.contains("parse-error"), "{text}");
    }

    fn lint_args(extra: &[&str]) -> LintArgs {
        let args = ["rampart", "lint"].iter().chain(extra);
        match Cli::try_parse_from(args).map(|c| c.command) {
            Ok(Command::Lint(args)) => args,
            other => panic!("expected lint, got {other:?}"),
        }
    }

    fn finished(report: &Report, extra: &[&str]) -> (Exit, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let exit = finish(
            report,
            &lint_args(extra),
            &RenderOptions::default(),
            &mut out,
            &mut err,
        )
        .unwrap();
        let text = |v: Vec<u8>| String::from_utf8(v).unwrap();
        (exit, text(out), text(err))
    }

    #[test]
    fn exit_codes_follow_the_threshold() {
        use crate::output::tests::report;
        let report = report(); // a warning and an info
        assert_eq!(finished(&report, &[]).0, Exit::Clean);
        assert_eq!(
            finished(&report, &["--fail-on", "warning"]).0,
            Exit::Findings
        );
        assert_eq!(finished(&report, &["--fail-on", "info"]).0, Exit::Findings);
        assert_eq!(finished(&report, &["--fail-on", "never"]).0, Exit::Clean);
        assert_eq!(
            finished(&Report::default(), &["--fail-on", "info"]).0,
            Exit::Clean
        );
    }

    #[test]
    fn unreadable_inputs_go_to_stderr_and_exit_2() {
        use crate::output::tests::{location, report};
        let mut report = report();
        let mut missing = report.diagnostics[1].clone();
        missing.rule = "io-error";
        missing.severity = Severity::Error;
        missing.severity = Severity::Error;
        missing.location = location("nope.yaml", 0, 0);
        missing.message = "no such file or directory".to_string();
        report.diagnostics.push(missing);

        let (exit, out, err) = finished(&report, &["--fail-on", "never"]);
        assert_eq!(exit, Exit::Error);
        assert_eq!(err, "rampart: nope.yaml: no such file or directory\n");
        assert!(!out.contains("nope.yaml"), "{out}");
        assert!(
            out.ends_with("1 warning, 1 info in 1 file (1 document) in 0.12s\n"),
            "{out}"
        );

        let (_, out, err) = finished(&report, &["--format", "concise"]);
        assert_eq!(out.lines().count(), 2, "{out}");
        assert!(
            err.ends_with("1 warning, 1 info in 1 file (1 document) in 0.12s\n"),
            "{err}"
        );

        let (exit, out, _) = finished(&report, &["--format", "json"]);
        assert_eq!(exit, Exit::Error);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["diagnostics"][2]["rule"], "io-error");
    }

    #[test]
    fn unreadable_inputs_are_split_out() {
        use crate::output::tests::{location, report};
        let mut report = report();
        let mut missing = report.diagnostics[1].clone();
        missing.rule = "io-error";
        missing.severity = Severity::Error;
        missing.location = location("gone.yaml", 0, 0);
        missing.message = "no such file or directory".to_string();
        let mut parse = report.diagnostics[1].clone();
        parse.rule = "parse-error";
        report.diagnostics.push(missing);
        report.diagnostics.push(parse);
        let errors: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| output::unreadable(&report, d))
            .collect();
        assert_eq!(errors.len(), 1);
        assert_eq!(&*errors[0].location.path, "gone.yaml");
        // The summary still counts it.
        let errors = report.count(Severity::Error);
        assert!(errors >= 1);
        assert!(output::summary(&report).contains(&format!("{errors} error")));
    }
}
