//! Where rampart's time and memory go, on real specs, against the targets it holds itself to.
//!
//! ```sh
//! scripts/bench.sh                          # fetches the corpus, builds, runs every section
//! RAMPART_CORPUS=DIR cargo bench --bench lint [-- SECTION...]
//! ```
//!
//! `RAMPART_CORPUS` is a folder filled by `scripts/fetch-corpus.sh` (`all/`); its `big/` holds the
//! largest specs in JSON and YAML, and is made from `all/` when missing. Sections (all by default):
//!
//! - `specs`: the largest specs and a sample of the corpus by size. Per file, medians of
//!   `RAMPART_BENCH_RUNS` (5) runs: a bare parse into a generic value (`serde_json::Value`; for
//!   YAML, `saphyr-parser`'s events into the same value), rampart's parse and load, the in-process
//!   lint, each renderer writing to nothing, and the whole `rampart lint FILE --format json`
//!   process (wall time and peak memory, from `wait4`).
//! - `corpus`: every spec of `all/` in one `rampart lint` process.
//! - `small`: a small spec in one process, the median of 20 runs.
//! - `linearity`: every spec of `all/` linted alone, in process; lint time against file size,
//!   the trend, the specs far above it, and `target/bench/linearity.svg` (plus a CSV).
//!
//! The processes run the release binary (`RAMPART_BIN`, default `target/release/rampart`: build it
//! first). Everything is printed as Markdown, and every target missed is flagged with ✗.

#[path = "support/linearity.rs"]
mod linearity;
#[path = "support/process.rs"]
mod process;
#[path = "support/yaml.rs"]
mod yaml;

/// The allocator the rampart binary uses, so that in-process phases cost what they cost there.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::hint::black_box;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rampart::output::{self, RenderOptions};
use rampart::source::{self, Limits};
use rampart::{LintRequest, lint};

/// The largest specs of the corpus, by id (`/` written `__`).
const BIG: &[&str] = &[
    "microsoft.com__graph",
    "github.com__api.github.com",
    "stripe.com",
    "kubernetes.io",
    "amazonaws.com__ec2",
    "mailchimp.com",
    "zuora.com",
];
/// Where in the corpus, sorted by size, the sample specs are taken.
const SAMPLE_QUANTILES: &[f64] = &[0.1, 0.25, 0.5, 0.75, 0.9, 0.99];
/// The small spec whose process must start and finish within [`SMALL_TARGET`].
const SMALL_SPEC: &str = "testdata/clean/petstore-secure.yaml";
const SMALL_RUNS: usize = 20;

// The targets.
/// Whole process over a bare parse of the same file.
const PROCESS_OVER_PARSE: f64 = 1.5;
/// Peak memory over file size.
const RSS_OVER_SIZE: f64 = 4.0;
/// The process and memory ratios apply to files at least this large: below it, starting the
/// process costs more than reading the file, and the small-spec target applies instead.
const RATIO_MIN_BYTES: u64 = 1_000_000;
const CORPUS_WALL: Duration = Duration::from_secs(10);
const CORPUS_RSS: u64 = 1_000_000_000;
const SMALL_TARGET: Duration = Duration::from_millis(10);
/// A spec is far above the trend when it takes more than this many times its prediction.
const OUTLIER: f64 = 3.0;

struct Bench {
    corpus: PathBuf,
    runs: usize,
    bin: Option<PathBuf>,
    out: PathBuf,
    sections: Vec<String>,
    misses: Vec<String>,
}

fn main() -> std::process::ExitCode {
    // As the rampart binary does (see its main.rs): no transparent huge pages.
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and touches no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|a| a == process::HELPER) {
        return process::helper(&args[1..]);
    }
    let Some(corpus) = std::env::var_os("RAMPART_CORPUS").map(PathBuf::from) else {
        eprintln!(
            "set RAMPART_CORPUS to a folder filled by scripts/fetch-corpus.sh (or run scripts/bench.sh)"
        );
        return std::process::ExitCode::SUCCESS;
    };
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("target"));
    let bin = std::env::var_os("RAMPART_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| target.join("release/rampart"));
    let bin = if bin.is_file() {
        Some(bin)
    } else {
        eprintln!(
            "{} is missing: process timings are left out (cargo build --release)",
            bin.display()
        );
        None
    };
    let runs = std::env::var("RAMPART_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5usize)
        .max(1);
    // `cargo bench` passes `--bench`; other arguments name sections.
    let sections: Vec<String> = args.into_iter().filter(|a| !a.starts_with('-')).collect();
    let mut bench = Bench {
        corpus,
        runs,
        bin,
        out: target.join("bench"),
        sections,
        misses: Vec::new(),
    };
    let _ = std::fs::create_dir_all(&bench.out);
    println!(
        "## rampart {} — {} runs per measure, {} cores\n",
        env!("CARGO_PKG_VERSION"),
        bench.runs,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    if bench.wants("specs") {
        specs(&mut bench);
    }
    if bench.wants("corpus") {
        whole_corpus(&mut bench);
    }
    if bench.wants("small") {
        small(&mut bench, manifest);
    }
    if bench.wants("linearity") {
        linearity(&mut bench);
    }
    println!("### Targets\n");
    if bench.misses.is_empty() {
        println!("All measured targets are met.");
    } else {
        for m in &bench.misses {
            println!("- ✗ {m}");
        }
    }
    std::process::ExitCode::SUCCESS
}

impl Bench {
    fn wants(&self, section: &str) -> bool {
        self.sections.is_empty() || self.sections.iter().any(|s| s == section)
    }

    fn all(&self) -> Vec<(PathBuf, u64)> {
        let mut files: Vec<(PathBuf, u64)> = std::fs::read_dir(self.corpus.join("all"))
            .map(|rd| {
                rd.flatten()
                    .filter_map(|e| Some((e.path(), e.metadata().ok()?.len())))
                    .filter(|(p, _)| p.extension().is_some_and(|e| e == "json"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        files
    }
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// The median time of `runs` calls of `f`.
fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                black_box(f());
                t.elapsed()
            })
            .collect(),
    )
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

/// Three significant digits or so: 1234, 123, 12.3, 1.23, 0.12.
fn num(x: f64) -> String {
    match x {
        x if x >= 100.0 => format!("{x:.0}"),
        x if x >= 10.0 => format!("{x:.1}"),
        x => format!("{x:.2}"),
    }
}

fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `text` followed by ✗ when `bad`.
fn flag(text: String, bad: bool) -> String {
    if bad { format!("{text} ✗") } else { text }
}

/// The largest specs, JSON and YAML: `big/` of the corpus, made from `all/` when missing.
fn big_files(bench: &Bench) -> Vec<PathBuf> {
    let dir = bench.corpus.join("big");
    for id in BIG {
        let json = dir.join(format!("{id}.json"));
        let yaml = dir.join(format!("{id}.yaml"));
        if json.is_file() && yaml.is_file() {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(bench.corpus.join("all").join(format!("{id}.json")))
        else {
            eprintln!("{id}.json is not in the corpus");
            continue;
        };
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) else {
            eprintln!("{id}.json does not parse");
            continue;
        };
        let rendered = yaml::render(&value);
        match yaml::parse_value(&rendered) {
            Ok(back) if back == yaml::as_strings(&value) => {}
            _ => {
                eprintln!("{id}: the YAML rendering does not read back as the JSON; left out");
                continue;
            }
        }
        let _ = std::fs::create_dir_all(&dir);
        if std::fs::write(&json, &text).is_err() || std::fs::write(&yaml, rendered).is_err() {
            eprintln!("cannot write into {}", dir.display());
        }
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

/// A few specs of `all/` spread by size.
fn sample_files(bench: &Bench) -> Vec<PathBuf> {
    let mut all = bench.all();
    all.sort_by_key(|(p, len)| (*len, p.clone()));
    let mut picked: Vec<PathBuf> = SAMPLE_QUANTILES
        .iter()
        .filter_map(|q| all.get(((all.len() as f64 - 1.0) * q) as usize))
        .map(|(p, _)| p.clone())
        .collect();
    picked.dedup();
    picked
}

fn specs(bench: &mut Bench) {
    let big = big_files(bench);
    let sample = sample_files(bench);
    println!("### Per spec\n");
    println!(
        "Medians of {} runs, in ms. *bare*: a parse into a generic value (`serde_json::Value`; YAML: \
         `saphyr-parser` events into the same value). *parse*: rampart's span tree. *load*: reading, \
         parsing and resolving `$ref`s. *lint*: the whole library call (load, rules, findings). \
         *json*, *sarif*, *human*: rendering the report to nothing. *process*: `rampart lint FILE \
         --format json` to /dev/null, with its peak memory (RSS). Targets, for files of {} MB or \
         more: process ≤ {PROCESS_OVER_PARSE}× bare, RSS ≤ {RSS_OVER_SIZE}× the file.\n",
        bench.runs,
        mb(RATIO_MIN_BYTES)
    );
    println!(
        "| spec | MB | bare | parse | load | lint | json | sarif | human | process | process / bare | RSS MB | RSS / size | findings |"
    );
    println!(
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    for path in big.iter().chain(&sample) {
        spec_row(bench, path);
    }
    println!();
}

fn spec_row(bench: &mut Bench, path: &Path) {
    let runs = bench.runs;
    let Ok(text) = std::fs::read_to_string(path) else {
        return;
    };
    let name = name_of(path);
    eprintln!("measuring {name}");
    let bytes = text.len() as u64;
    let display = path.to_string_lossy().into_owned();
    let is_json = source::Syntax::guess(&display, &text) == source::Syntax::Json;
    let bare = if is_json {
        time(runs, || {
            serde_json::from_str::<serde_json::Value>(&text).is_ok()
        })
    } else {
        time(runs, || yaml::parse_value(&text).is_ok())
    };
    let shared: Arc<str> = Arc::from(text.as_str());
    let parse = time(runs, || {
        source::parse_file(&display, shared.clone(), &Limits::default()).is_ok()
    });
    let request = LintRequest {
        paths: vec![display.clone()],
        ..Default::default()
    };
    let root = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let found = rampart::discover::discover(&request.paths, &[]).files;
    let load = time(runs, || rampart::document::load(&request, &found, &root));
    let mut report = lint(&request);
    let full = time(runs, || report = lint(&request));
    let opts = RenderOptions::default();
    let render = |f: fn(&rampart::Report, &mut dyn io::Write, &RenderOptions) -> io::Result<()>| {
        time(runs, || f(&report, &mut io::sink(), &opts).is_ok())
    };
    let json = render(output::json::render);
    let sarif = render(output::sarif::render);
    let human = render(output::human::render);
    let checked = bytes >= RATIO_MIN_BYTES;
    let (process, ratio, rss, rss_ratio) = match &bench.bin {
        Some(bin) => {
            let usages: Vec<process::Usage> = (0..runs)
                .filter_map(|_| process::run(bin, &["lint", &display, "--format", "json"]).ok())
                .collect();
            if usages.is_empty() {
                ("failed".into(), "-".into(), "-".into(), "-".into())
            } else {
                let wall = median(usages.iter().map(|u| u.wall).collect());
                let mut peaks: Vec<u64> = usages.iter().map(|u| u.peak_rss).collect();
                peaks.sort_unstable();
                let peak = peaks[peaks.len() / 2];
                let over = wall.as_secs_f64() / bare.as_secs_f64();
                let per_byte = peak as f64 / bytes as f64;
                let slow = checked && over > PROCESS_OVER_PARSE;
                let fat = checked && per_byte > RSS_OVER_SIZE;
                let mut missed = Vec::new();
                if slow {
                    missed.push(format!(
                        "the process takes {over:.1}× a bare parse (target {PROCESS_OVER_PARSE}×)"
                    ));
                }
                if fat {
                    missed.push(format!(
                        "peak memory is {per_byte:.1}× the file (target {RSS_OVER_SIZE}×)"
                    ));
                }
                if !missed.is_empty() {
                    bench.misses.push(format!("{name}: {}", missed.join("; ")));
                }
                (
                    num(ms(wall)),
                    flag(format!("{over:.1}×"), slow),
                    format!("{:.0}", mb(peak)),
                    flag(format!("{per_byte:.1}×"), fat),
                )
            }
        }
        None => ("-".into(), "-".into(), "-".into(), "-".into()),
    };
    println!(
        "| {name} | {} | {} | {} | {} | {} | {} | {} | {} | {process} | {ratio} | {rss} | {rss_ratio} | {} |",
        num(mb(bytes)),
        num(ms(bare)),
        num(ms(parse)),
        num(ms(load)),
        num(ms(full)),
        num(ms(json)),
        num(ms(sarif)),
        num(ms(human)),
        report.diagnostics.len()
    );
}

fn whole_corpus(bench: &mut Bench) {
    let Some(bin) = bench.bin.clone() else {
        return;
    };
    let all = bench.all();
    let dir = bench.corpus.join("all");
    let total: u64 = all.iter().map(|(_, len)| len).sum();
    let out = bench.out.join("corpus.json");
    let format = format!("json={}", out.display());
    let runs = bench.runs.min(3);
    eprintln!("linting the whole corpus in one process, {runs} times");
    let usages: Vec<process::Usage> = (0..runs)
        .filter_map(|_| {
            process::run(&bin, &["lint", &dir.to_string_lossy(), "--format", &format]).ok()
        })
        .collect();
    let _ = std::fs::remove_file(&out);
    if usages.is_empty() {
        println!("### Whole corpus\n\nThe process did not run.\n");
        return;
    }
    let wall = median(usages.iter().map(|u| u.wall).collect());
    let cpu = median(usages.iter().map(|u| u.cpu).collect());
    let peak = usages.iter().map(|u| u.peak_rss).max().unwrap_or(0);
    let slow = wall > CORPUS_WALL;
    let fat = peak > CORPUS_RSS;
    if slow {
        bench.misses.push(format!(
            "the whole corpus takes {:.1} s (target {} s)",
            wall.as_secs_f64(),
            CORPUS_WALL.as_secs()
        ));
    }
    if fat {
        bench.misses.push(format!(
            "the whole corpus peaks at {:.0} MB (target {} MB)",
            mb(peak),
            mb(CORPUS_RSS)
        ));
    }
    println!("### Whole corpus in one process\n");
    println!(
        "`rampart lint all/ --format json=FILE`, median of {runs} (peak memory: the highest). Targets: \
         ≤ {} s, ≤ {:.0} MB.\n",
        CORPUS_WALL.as_secs(),
        mb(CORPUS_RSS)
    );
    println!("| specs | MB | wall s | user+sys s | peak RSS MB | exit |");
    println!("| ---: | ---: | ---: | ---: | ---: | ---: |");
    println!(
        "| {} | {:.0} | {} | {:.2} | {} | {} |\n",
        all.len(),
        mb(total),
        flag(format!("{:.2}", wall.as_secs_f64()), slow),
        cpu.as_secs_f64(),
        flag(format!("{:.0}", mb(peak)), fat),
        usages[0].code.map_or("signal".into(), |c| c.to_string())
    );
}

fn small(bench: &mut Bench, manifest: &Path) {
    let Some(bin) = bench.bin.clone() else {
        return;
    };
    let spec = manifest.join(SMALL_SPEC);
    let bytes = std::fs::metadata(&spec).map_or(0, |m| m.len());
    let usages: Vec<process::Usage> = (0..SMALL_RUNS)
        .filter_map(|_| {
            process::run(&bin, &["lint", &spec.to_string_lossy(), "--format", "json"]).ok()
        })
        .collect();
    if usages.is_empty() {
        return;
    }
    let wall = median(usages.iter().map(|u| u.wall).collect());
    let fastest = usages.iter().map(|u| u.wall).min().unwrap_or_default();
    let peak = usages.iter().map(|u| u.peak_rss).max().unwrap_or(0);
    let slow = wall >= SMALL_TARGET;
    if slow {
        bench.misses.push(format!(
            "a small spec takes {:.1} ms (target < {} ms)",
            ms(wall),
            SMALL_TARGET.as_millis()
        ));
    }
    println!("### A small spec, start to finish\n");
    println!(
        "`rampart lint {SMALL_SPEC} --format json`, {SMALL_RUNS} processes. Target: < {} ms.\n",
        SMALL_TARGET.as_millis()
    );
    println!("| KB | median ms | fastest ms | peak RSS MB |");
    println!("| ---: | ---: | ---: | ---: |");
    println!(
        "| {:.1} | {} | {:.1} | {:.1} |\n",
        bytes as f64 / 1e3,
        flag(format!("{:.1}", ms(wall)), slow),
        ms(fastest),
        mb(peak)
    );
}

fn linearity(bench: &mut Bench) {
    let all = bench.all();
    if all.is_empty() {
        return;
    }
    eprintln!("linting {} specs one by one", all.len());
    let started = Instant::now();
    let points: Vec<linearity::Point> = all
        .iter()
        .map(|(path, bytes)| {
            let request = LintRequest {
                paths: vec![path.to_string_lossy().into_owned()],
                ..Default::default()
            };
            // The faster of two runs: the first also pays for the disk cache.
            let took = (0..2)
                .map(|_| {
                    let t = Instant::now();
                    black_box(lint(&request));
                    t.elapsed()
                })
                .min()
                .unwrap_or_default();
            linearity::Point {
                name: name_of(path),
                bytes: *bytes,
                ms: ms(took),
            }
        })
        .collect();
    let took = started.elapsed();
    let trend = linearity::fit(&points);
    let outliers = linearity::outliers(&points, &trend, OUTLIER);
    let svg = bench.out.join("linearity.svg");
    let csv = bench.out.join("linearity.csv");
    let title = format!(
        "rampart lint time against file size ({} specs, in process)",
        points.len()
    );
    let _ = std::fs::write(&svg, linearity::svg(&points, &trend, OUTLIER, &title));
    let mut rows = String::from("spec,bytes,ms\n");
    for p in &points {
        rows.push_str(&format!("{},{},{:.3}\n", p.name, p.bytes, p.ms));
    }
    let _ = std::fs::write(&csv, rows);
    let total: f64 = points.iter().map(|p| p.ms).sum();
    println!("### Lint time against size\n");
    println!(
        "Each of the {} specs linted alone, in process (the faster of two runs; {:.1} s of linting, \
         {:.0} s in all). Trend by least squares: **{:.2} ms + {:.1} ms/MB**; through the origin \
         {:.1} ms/MB; median of each spec's ms/MB {:.1}. On log scales time grows as \
         **size^{:.2}** (1 is linear). Plot: `{}`; data: `{}`.\n",
        points.len(),
        total / 1e3,
        took.as_secs_f64(),
        trend.fixed_ms,
        trend.per_mb,
        trend.origin_per_mb,
        trend.median_per_mb,
        trend.exponent,
        svg.display(),
        csv.display()
    );
    if outliers.is_empty() {
        println!("No spec takes more than {OUTLIER}× the trend.\n");
        return;
    }
    bench.misses.push(format!(
        "{} specs take more than {OUTLIER}× the trend of lint time in size",
        outliers.len()
    ));
    println!(
        "{} specs take more than {OUTLIER}× the trend ✗ (the first 20):\n",
        outliers.len()
    );
    println!("| spec | MB | ms | trend ms | × trend |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    for p in outliers.iter().take(20) {
        let expected = trend.at(p.bytes);
        println!(
            "| {} | {:.2} | {:.1} | {:.1} | {:.1}× |",
            p.name,
            mb(p.bytes),
            p.ms,
            expected,
            p.ms / expected
        );
    }
    println!();
}
