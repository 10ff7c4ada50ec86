//! The command line: clap types, turning flags into a [`LintRequest`], rendering, exit codes.
//!
//! Exit codes: 0 when nothing was found at or above `--fail-on`, 1 when something was, 2 for a usage error
//! or an input that could not be read or parsed.

use std::ffi::OsString;
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::diagnostic::Severity;
use crate::output::{self, RenderOptions};
use crate::source::Limits;
use crate::{LintRequest, Report, rules};

const EXIT_CODES: &str = "\
Exit codes:
  0  no findings at or above the --fail-on severity
  1  findings at or above the --fail-on severity
  2  usage error, an input that could not be read or parsed, or an output file that could not be
     written";

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
    /// List every rule and built-in check: id, default severity, OWASP category and summary.
    Rules {
        /// `text` a table for people; `markdown` a table with aliases; `json` for tools.
        #[arg(long, value_enum, default_value_t = RulesFormat::Text, value_name = "FORMAT")]
        format: RulesFormat,
    },
    /// Print the configuration that applies to a file, and where each setting comes from.
    Config {
        /// A document (or folder) to show the configuration of [default: .].
        #[arg(value_name = "PATH")]
        path: Option<PathBuf>,
        /// Use this configuration file instead of the nearest one.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Write a commented `.rampart.yaml` into the current folder.
    Init,
    /// Serve the Language Server Protocol on standard input and output, for editors.
    Server,
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

    /// Output format, optionally written to a file: `--format sarif=results.sarif` (repeatable; at
    /// most one format without a file goes to standard output).
    ///
    /// `human` each finding with its source; `concise` one line per finding; `json` a versioned
    /// document (docs/json-output.md); `sarif` SARIF 2.1.0 for code scanning (docs/sarif-output.md);
    /// `github` GitHub Actions annotations and step summary (docs/github-output.md); `lsp` Language
    /// Server Protocol diagnostics (docs/lsp-output.md); `junit` JUnit XML for CI dashboards
    /// (docs/junit-output.md).
    #[arg(
        long,
        value_name = "FORMAT[=PATH]",
        default_value = "human",
        value_parser = parse_format_spec,
        action = clap::ArgAction::Append
    )]
    pub format: Vec<FormatSpec>,

    /// Exit with 1 when a finding has this severity or a higher one; `never` exits with 0 whatever is
    /// found (unreadable inputs still exit with 2).
    /// [default: error, or the configuration's `fail-on`]
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,

    /// Use this configuration file for every document, instead of the nearest `.rampart.yaml` (or
    /// `rampart.yaml`) above each one.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Use no configuration file.
    #[arg(long)]
    pub no_config: bool,

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
    /// [default: recommended, or the configuration's `extends`]
    #[arg(long, value_enum, value_name = "PRESET")]
    pub preset: Option<PresetArg>,

    /// Report only findings that this baseline file does not record (see `--write-baseline`); says
    /// how many were left out and how many entries no longer match anything.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Record today's findings in this baseline file (sorted JSON, one entry per line), then report
    /// as if against it: nothing is new.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,

    /// With `--baseline`: drop the entries that no longer match a finding from the file.
    #[arg(long, requires = "baseline")]
    pub prune_baseline: bool,

    /// Report only the findings the working tree adds compared to this git revision (a branch, tag or
    /// commit, such as a pull request's base): the files are linted again as they were there, read
    /// through git, and findings found both times (by fingerprint) are left out; says how many.
    #[arg(long, value_name = "GIT-REF", conflicts_with = "stdin")]
    pub new_since: Option<String>,

    /// Leave out the named files that are not OpenAPI documents (no `openapi` or `swagger` field at
    /// their root) instead of reporting `not-openapi`, as a folder search does: for hooks that pass
    /// every changed YAML and JSON file.
    #[arg(long)]
    pub skip_non_openapi: bool,

    /// Exit with 1 when there are more than this many warnings (errors fail by `--fail-on` as usual).
    #[arg(long, value_name = "N")]
    pub max_warnings: Option<usize>,

    /// Print each document's security score (0–100, see README) and what costs it most.
    #[arg(long)]
    pub score: bool,

    /// Exit with 1 when a document's security score is below this.
    #[arg(long, value_name = "SCORE", value_parser = clap::value_parser!(u32).range(0..=100))]
    pub min_score: Option<u32>,

    /// Report findings that `x-rampart-ignore` silences (for audits).
    #[arg(long)]
    pub no_inline_ignore: bool,

    /// Print only how many findings each rule has (rule, severity, count; most frequent first) instead of
    /// the findings; the summary line goes to standard error. Formats written to files still are.
    #[arg(long)]
    pub statistics: bool,

    /// Lint the text read from standard input, as the file `--stdin-filename` names.
    #[arg(long, conflicts_with = "paths")]
    pub stdin: bool,

    /// With `--stdin`: the path the text stands for [default: <stdin>]. `$ref`s resolve from its folder,
    /// and the output names it; it need not exist.
    // The comment is the option's help, written as clap shows defaults, not as rustdoc reads it.
    #[allow(rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]
    #[arg(long, value_name = "PATH", requires = "stdin")]
    pub stdin_filename: Option<String>,
}

/// An output format and where it goes: standard output when `path` is `None`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatSpec {
    pub format: OutputFormat,
    pub path: Option<std::path::PathBuf>,
}

/// Parses `FORMAT` or `FORMAT=PATH`.
pub fn parse_format_spec(text: &str) -> Result<FormatSpec, String> {
    let (name, path) = match text.split_once('=') {
        Some((name, "")) => {
            return Err(format!("`{name}=` names no file (write `{name}=PATH`)"));
        }
        Some((name, path)) => (name, Some(std::path::PathBuf::from(path))),
        None => (text, None),
    };
    let format = OutputFormat::from_str(name, true).map_err(|_| {
        let names: Vec<String> = OutputFormat::value_variants()
            .iter()
            .filter_map(|v| Some(v.to_possible_value()?.get_name().to_string()))
            .collect();
        format!(
            "unknown format `{name}` (expected {}, optionally `=PATH`)",
            names.join(", ")
        )
    })?;
    Ok(FormatSpec { format, path })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Each finding with its source snippet, then a summary.
    Human,
    /// One `path:line:col: severity[rule] message` line per finding; the summary goes to standard error.
    Concise,
    /// One JSON document (schema version 1).
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations) and, with GITHUB_STEP_SUMMARY set, a summary.
    Github,
    /// A JSON array of Language Server Protocol `PublishDiagnosticsParams`.
    Lsp,
    /// JUnit XML.
    Junit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Text,
    Markdown,
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
    /// The path `--stdin` text stands for.
    pub fn stdin_path(&self) -> &str {
        self.stdin_filename.as_deref().unwrap_or("<stdin>")
    }

    /// The library request these flags describe, with `stdin` (the text read with `--stdin`) as the
    /// file `--stdin-filename` names.
    pub fn request_with_stdin(&self, stdin: Option<Arc<str>>) -> LintRequest {
        let mut request = self.request();
        if let Some(text) = stdin {
            let named = self.stdin_path();
            let path: PathBuf = Path::new(named)
                .components()
                .filter(|c| *c != std::path::Component::CurDir)
                .collect();
            if let Ok(abs) = std::path::absolute(&path) {
                request.overlays.insert(abs, text.clone());
            }
            request.overlays.insert(path, text);
            request.paths = vec![named.to_string()];
        }
        request
    }

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
                no_inline_ignore: self.no_inline_ignore,
                ..crate::engine::Policy::default()
            },
            preset: self.preset.map(Into::into),
            config: match (&self.config, self.no_config) {
                (Some(path), _) => crate::ConfigMode::File(path.clone()),
                (None, true) => crate::ConfigMode::Off,
                (None, false) => crate::ConfigMode::Discover,
            },
            // Only the human format shows source text.
            text: if self.format.iter().any(|f| f.format == OutputFormat::Human) {
                crate::KeepText::Snippets
            } else {
                crate::KeepText::Nothing
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
        Command::Rules { format } => list_rules(&mut io::stdout().lock(), format),
        Command::Explain { id } => explain(&id, &mut io::stdout().lock()),
        Command::Config { path, config } => show_config(path, config, &mut io::stdout().lock()),
        Command::Init => init(&mut io::stdout().lock()),
        Command::Server => crate::server::run().map(|()| Exit::Clean),
    }
}

/// Prints `rampart: <message>` on standard error; a failure to do so is not worth failing over.
fn error_line(message: &str) {
    let _ = writeln!(io::stderr().lock(), "rampart: {message}");
}

fn lint(args: &LintArgs) -> io::Result<Exit> {
    if let Some(problem) = format_problem(args) {
        error_line(&problem);
        return Ok(Exit::Error);
    }
    let stdin = if args.stdin {
        let mut text = String::new();
        if let Err(err) = io::stdin().lock().read_to_string(&mut text) {
            error_line(&format!("cannot read standard input: {err}"));
            return Ok(Exit::Error);
        }
        Some(Arc::from(text))
    } else {
        None
    };
    let mut report = crate::lint(&args.request_with_stdin(stdin));
    if !report.config_errors.is_empty() {
        for e in &report.config_errors {
            error_line(&output::escape(&e.to_string()));
        }
        error_line("fix the configuration (or run with --no-config)");
        return Ok(Exit::Error);
    }
    if args.skip_non_openapi {
        skip_non_openapi(&mut report);
    }
    if let Some(rev) = &args.new_since {
        match crate::new_since::apply(&args.request(), &mut report, rev) {
            Ok(left_out) => eprintln!(
                "rampart: left out {left_out} findings already present in {}",
                output::escape(rev)
            ),
            Err(message) => {
                error_line(&message);
                return Ok(Exit::Error);
            }
        }
    }
    if let Err(message) = apply_baseline(args, &mut report) {
        error_line(&message);
        return Ok(Exit::Error);
    }
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
    // The process ends next: freeing hundreds of thousands of findings one by one would only
    // make it end later.
    std::mem::forget(report);
    Ok(exit)
}

/// Drops `not-openapi` reports of files whose root has neither an `openapi` nor a `swagger` field (an
/// unsupported version is still reported), and the files themselves.
pub fn skip_non_openapi(report: &mut Report) {
    let named_a_version = |text: &str, path: &str| {
        crate::source::parse_file(path, Arc::from(text), &Limits::default()).is_ok_and(
            |(tree, _)| {
                tree.root().is_some_and(|r| {
                    tree.get(r, "openapi").is_some() || tree.get(r, "swagger").is_some()
                })
            },
        )
    };
    let skipped: Vec<Arc<str>> = report
        .files
        .iter()
        .filter(|f| {
            !f.root
                && report.diagnostics.iter().any(|d| {
                    d.rule == "not-openapi"
                        && d.location.path == f.path
                        && !named_a_version(&f.text, &f.path)
                })
        })
        .map(|f| f.path.clone())
        .collect();
    report
        .diagnostics
        .retain(|d| !(d.rule == "not-openapi" && skipped.contains(&d.location.path)));
    report.files.retain(|f| !skipped.contains(&f.path));
}

/// Writes, applies and prunes the baseline the flags name; the report keeps what is new.
fn apply_baseline(args: &LintArgs, report: &mut Report) -> Result<(), String> {
    use crate::baseline::Baseline;
    let baseline = match (&args.write_baseline, &args.baseline) {
        (Some(path), _) => {
            let baseline = Baseline::of(report);
            baseline.write(path)?;
            eprintln!(
                "rampart: recorded {} findings in {}",
                baseline.findings.len(),
                output::escape(&path.display().to_string())
            );
            baseline
        }
        (None, Some(path)) => Baseline::read(path)?,
        (None, None) => return Ok(()),
    };
    let applied = baseline.apply(report);
    report.baselined = applied.baselined;
    report.baseline_stale = applied.stale.len();
    if args.prune_baseline
        && let Some(path) = &args.baseline
        && !applied.stale.is_empty()
    {
        baseline.pruned(&applied.stale).write(path)?;
        eprintln!(
            "rampart: dropped {} entries that no longer match from {}",
            applied.stale.len(),
            output::escape(&path.display().to_string())
        );
        report.baseline_stale = 0;
    }
    Ok(())
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

    if let Some(problem) = format_problem(args) {
        let _ = writeln!(err, "rampart: {problem}");
        return Ok(Exit::Error);
    }
    let mut failed = false;
    // Files first: a closed standard output must not keep them from being written.
    let file_opts = RenderOptions {
        color: false,
        ..opts.clone()
    };
    for spec in &args.format {
        let Some(path) = &spec.path else { continue };
        let written = std::fs::File::create(path).and_then(|file| {
            let mut file = BufWriter::new(file);
            render(spec.format, report, &mut file, &file_opts)?;
            file.flush()
        });
        if let Err(cause) = written {
            failed = true;
            let _ = writeln!(
                err,
                "rampart: cannot write {}: {cause}",
                output::escape(&path.display().to_string())
            );
        }
    }
    if args.format.iter().any(|f| f.format == OutputFormat::Github)
        && let Err(cause) = step_summary(report)
    {
        let _ = writeln!(err, "rampart: cannot write the step summary: {cause}");
    }

    if args.statistics {
        write!(out, "{}", output::rule_table(report, true, "", opts.color))?;
        out.flush()?;
        let _ = writeln!(err, "{}", output::summary(report));
    } else if let Some(spec) = args.format.iter().find(|f| f.path.is_none()) {
        render(spec.format, report, out, opts)?;
        if spec.format == OutputFormat::Concise {
            out.flush()?;
            let _ = writeln!(err, "{}", output::summary(report));
        }
    }
    if args.score || args.min_score.is_some() {
        // With the findings for people; on standard error when standard output is for machines.
        let text = output::score_table(report);
        let human_on_stdout = args
            .format
            .iter()
            .any(|f| f.path.is_none() && f.format == OutputFormat::Human);
        if human_on_stdout {
            write!(out, "{text}")?;
        } else {
            let _ = write!(err, "{text}");
        }
    }
    Ok(if failed {
        Exit::Error
    } else {
        exit(report, args)
    })
}

/// Why the `--format` flags cannot be followed, if they cannot.
fn format_problem(args: &LintArgs) -> Option<String> {
    let on_stdout: Vec<&FormatSpec> = args.format.iter().filter(|f| f.path.is_none()).collect();
    if on_stdout.len() > 1 {
        return Some(
            "at most one --format can write to standard output; write the others to files, \
             e.g. --format sarif=results.sarif"
                .to_string(),
        );
    }
    if args.statistics && on_stdout.iter().any(|f| f.format != OutputFormat::Human) {
        return Some(
            "--statistics prints to standard output: give the other format a file, \
             e.g. --format sarif=results.sarif"
                .to_string(),
        );
    }
    let mut paths: Vec<&Path> = args
        .format
        .iter()
        .filter_map(|f| f.path.as_deref())
        .collect();
    paths.sort();
    if let Some(twice) = paths.windows(2).find(|w| w[0] == w[1]) {
        return Some(format!(
            "two formats would write to {}",
            output::escape(&twice[0].display().to_string())
        ));
    }
    None
}

/// Renders one format.
fn render(
    format: OutputFormat,
    report: &Report,
    out: &mut dyn Write,
    opts: &RenderOptions,
) -> io::Result<()> {
    match format {
        OutputFormat::Human => output::human::render(report, out, opts),
        OutputFormat::Concise => output::concise::render(report, out, opts),
        OutputFormat::Json => output::json::render(report, out, opts),
        OutputFormat::Sarif => output::sarif::render(report, out, opts),
        OutputFormat::Github => output::github::render(report, out, opts),
        OutputFormat::Lsp => output::lsp::render(report, out, opts),
        OutputFormat::Junit => output::junit::render(report, out, opts),
    }
}

/// Appends the Markdown summary to the file `GITHUB_STEP_SUMMARY` names, when it names one; links
/// point at the linted commit when the runner says which (`GITHUB_SERVER_URL`, `GITHUB_REPOSITORY`,
/// `GITHUB_SHA`).
fn step_summary(report: &Report) -> io::Result<()> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let blob = match (
        var("GITHUB_SERVER_URL"),
        var("GITHUB_REPOSITORY"),
        var("GITHUB_SHA"),
    ) {
        (Some(server), Some(repo), Some(sha)) => Some(format!("{server}/{repo}/blob/{sha}")),
        _ => None,
    };
    let text = output::github::summary(report, blob.as_deref());
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(text.as_bytes())
}

/// The severity that fails the run: the flag's, else the configuration's, else `error`.
fn fail_on(report: &Report, args: &LintArgs) -> Option<Severity> {
    if let Some(flag) = args.fail_on {
        return flag.threshold();
    }
    report.fail_on.unwrap_or(Some(Severity::Error))
}

/// How a run with this report ends.
fn exit(report: &Report, args: &LintArgs) -> Exit {
    if report.has_input_errors() {
        Exit::Error
    } else if report.fails(fail_on(report, args))
        || args
            .min_score
            .is_some_and(|min| report.scores.iter().any(|s| s.score < min))
        || args
            .max_warnings
            .is_some_and(|max| report.count(Severity::Warning) > max)
    {
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

fn list_rules(out: &mut dyn Write, format: RulesFormat) -> io::Result<Exit> {
    // Rules, then the built-in checks of the input itself.
    let metas: Vec<&crate::engine::RuleMeta> = rules::ALL
        .iter()
        .map(|r| r.meta())
        .chain(crate::engine::builtin::ALL.iter().copied())
        .collect();
    let severity = |m: &crate::engine::RuleMeta| {
        if m.default_enabled {
            m.severity.as_str().to_string()
        } else {
            format!("off ({})", m.severity)
        }
    };
    let mut out = BufWriter::new(out);
    match format {
        RulesFormat::Json => {
            let list: Vec<serde_json::Value> = metas
                .iter()
                .map(|m| {
                    serde_json::json!({
                        "id": m.id,
                        "severity": m.severity.as_str(),
                        "enabled_by_default": m.default_enabled,
                        "owasp": m.owasp.map(|o| o.code()),
                        "builtin": m.owasp.is_none(),
                        "aliases": m.aliases,
                        "summary": m.summary,
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &list)?;
            writeln!(out)?;
        }
        RulesFormat::Markdown => {
            writeln!(out, "| id | severity | OWASP | aliases | summary |")?;
            writeln!(out, "| --- | --- | --- | --- | --- |")?;
            for m in &metas {
                let aliases: Vec<String> = m.aliases.iter().map(|a| format!("`{a}`")).collect();
                writeln!(
                    out,
                    "| `{}` | {} | {} | {} | {} |",
                    m.id,
                    severity(m),
                    m.owasp.map_or("-", |o| o.code()),
                    aliases.join(", "),
                    m.summary.replace('|', "\\|")
                )?;
            }
        }
        RulesFormat::Text => {
            let header = ["ID", "SEVERITY", "OWASP", "SUMMARY"].map(String::from);
            let rows: Vec<[String; 4]> = metas
                .iter()
                .map(|m| {
                    [
                        m.id.to_string(),
                        severity(m),
                        m.owasp.map_or("-", |o| o.code()).to_string(),
                        m.summary.to_string(),
                    ]
                })
                .collect();
            let mut widths = header.clone().map(|h| h.len());
            for row in &rows {
                for (w, cell) in widths.iter_mut().zip(row) {
                    *w = (*w).max(cell.len());
                }
            }
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
        }
    }
    out.flush()?;
    Ok(Exit::Clean)
}

/// `rampart config`: the effective configuration of a file, each value with its source.
fn show_config(
    path: Option<PathBuf>,
    file: Option<PathBuf>,
    out: &mut dyn Write,
) -> io::Result<Exit> {
    use crate::config::{Config, Source};
    let path = path.unwrap_or_else(|| PathBuf::from("."));
    let paths = vec![path.to_string_lossy().into_owned()];
    let root = crate::project_root(&paths);
    let found = file.or_else(|| Config::find(&path, &root));
    let config = match &found {
        Some(f) => match Config::read(f) {
            Ok(c) => c,
            Err(errors) => {
                for e in errors {
                    error_line(&output::escape(&e.to_string()));
                }
                return Ok(Exit::Error);
            }
        },
        None => Config::default(),
    };
    let dir = found
        .as_deref()
        .and_then(|f| std::path::absolute(f).ok())
        .and_then(|f| f.parent().map(PathBuf::from))
        .unwrap_or_else(|| root.clone());
    let relative = crate::config::relative_to_dir(&dir, &path);
    let mut out = BufWriter::new(out);
    match &found {
        Some(f) => writeln!(
            out,
            "# configuration: {}",
            output::escape(&f.display().to_string())
        )?,
        None => writeln!(
            out,
            "# no configuration file applies; the defaults are shown"
        )?,
    }
    writeln!(out, "# for: {}", output::escape(&relative))?;
    let preset = config.preset.unwrap_or_default();
    let from = if config.preset.is_some() {
        "configuration"
    } else {
        "default"
    };
    writeln!(out, "extends: {}    # {from}", preset.as_str())?;
    let fail_on = match config.fail_on {
        Some(Some(s)) => format!("{s}    # configuration"),
        Some(None) => "never    # configuration".to_string(),
        None => "error    # default".to_string(),
    };
    writeln!(out, "fail-on: {fail_on}")?;
    if !config.exclude.is_empty() {
        writeln!(out, "exclude: {:?}    # configuration", config.exclude)?;
    }
    writeln!(out, "rules:")?;
    let policy = config.policy_for(&relative, None);
    for meta in rules::ALL
        .iter()
        .map(|r| r.meta())
        .chain(crate::engine::builtin::ALL.iter().copied())
    {
        let (severity, source) = config.explain(meta, &relative, None);
        let source = match source {
            Source::Default => "default".to_string(),
            Source::Preset => format!("preset {}", preset.as_str()),
            Source::File(line) => format!("configuration, line {line}"),
            Source::Override(line) => format!("override, line {line}"),
        };
        let severity = severity.map_or("off", |s| s.as_str());
        writeln!(out, "  {}: {severity}    # {source}", meta.id)?;
        if let Some(options) = policy.options.get(meta.id) {
            let mut names: Vec<&String> = options.keys().collect();
            names.sort();
            for name in names {
                writeln!(out, "    {name}: {}    # configuration", options[name])?;
            }
        }
    }
    out.flush()?;
    Ok(Exit::Clean)
}

/// `rampart init`: a commented `.rampart.yaml` in the current folder (never over an existing one).
fn init(out: &mut dyn Write) -> io::Result<Exit> {
    let path = PathBuf::from(crate::config::FILE_NAMES[0]);
    if path.exists() {
        error_line(&format!(
            "{} exists already; edit it, or remove it first",
            path.display()
        ));
        return Ok(Exit::Error);
    }
    std::fs::write(&path, crate::config::starter())?;
    writeln!(out, "wrote {}", path.display())?;
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
        assert_eq!(
            args.format,
            [FormatSpec {
                format: OutputFormat::Json,
                path: None
            }]
        );
        assert_eq!(
            args.fail_on.map(FailOn::threshold),
            Some(Some(Severity::Warning))
        );
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
        assert_eq!(
            args.format,
            [FormatSpec {
                format: OutputFormat::Human,
                path: None
            }]
        );
        assert_eq!(args.fail_on, None);
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
        assert_eq!(
            list_rules(&mut out, RulesFormat::Text).unwrap(),
            Exit::Clean
        );
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("ID"), "{text}");
        assert_eq!(
            text.lines().count(),
            1 + rules::ALL.len() + crate::engine::builtin::ALL.len()
        );
        assert!(text.contains("parse-error"), "{text}");
    }

    #[test]
    fn rules_as_markdown_and_json_list_aliases() {
        let mut out = Vec::new();
        list_rules(&mut out, RulesFormat::Markdown).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("| id | severity | OWASP | aliases | summary |"));
        assert!(text.contains("`owasp:api4:2023-string-limit`"), "{text}");
        let mut out = Vec::new();
        list_rules(&mut out, RulesFormat::Json).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let list = v.as_array().unwrap();
        assert_eq!(
            list.len(),
            rules::ALL.len() + crate::engine::builtin::ALL.len()
        );
        let s = list.iter().find(|r| r["id"] == "string-unbounded").unwrap();
        assert_eq!(s["owasp"], "API4:2023");
        assert_eq!(s["enabled_by_default"], true);
        let p = list.iter().find(|r| r["id"] == "parse-error").unwrap();
        assert_eq!(p["builtin"], true);
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
