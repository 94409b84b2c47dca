//! The `s3lint` command line: parse arguments, call the library, print, and exit with the contract's codes.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use miette::{GraphicalReportHandler, GraphicalTheme};
use s3lint::deployment::discover::{DiscoverOptions, discover_each};
use s3lint::deployment::environment::Environment;
use s3lint::input::Budget;
use s3lint::knowledge::Catalog;
use s3lint::lint::suppress::ProjectSettings;
use s3lint::lint::{Severity, rules};
use s3lint::report::{self, Format, config_view, deployments, diagnosis};
use s3lint::source::LoadError;

/// Lints Flink and Hadoop deployments that use Amazon S3, and explains their S3 failures.
#[derive(Parser)]
#[command(name = "s3lint", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Colour: `auto` on a terminal unless NO_COLOR is set (FORCE_COLOR forces it), `always`, `never`.
    #[arg(long, value_enum, global = true, default_value_t = ColorWhen::Auto)]
    color: ColorWhen,
}

/// When to colour the human output and error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// `--color`, set once at start-up.
static COLOR: std::sync::OnceLock<ColorWhen> = std::sync::OnceLock::new();

/// `--output FORMAT=PATH`: one more report, written to a file.
#[derive(Debug, Clone)]
struct OutputSpec {
    format: Format,
    path: PathBuf,
}

impl std::str::FromStr for OutputSpec {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (format, path) = s.split_once('=').ok_or("expected FORMAT=PATH, e.g. sarif=s3lint.sarif")?;
        let format = Format::from_str(format, true)
            .map_err(|_| format!("unknown format `{format}` (human, json, sarif, github)"))?;
        if path.is_empty() {
            return Err("the PATH after `=` is empty".to_string());
        }
        Ok(OutputSpec { format, path: PathBuf::from(path) })
    }
}

#[derive(Subcommand)]
enum Command {
    /// Check a deployment (Flink home, conf dir, Hadoop conf dir, or files) before deploying it.
    Check {
        /// Files or directories; together they form one deployment. `-` reads one file's text from standard input
        /// (an editor's unsaved buffer), checked as `--stdin-filename` in that file's deployment.
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        /// With `-`: the file the standard input stands for (its name says how it is read, its folder which
        /// deployment it belongs to); only the findings in it are reported.
        #[arg(long, value_name = "PATH")]
        stdin_filename: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Also write the report in FORMAT to PATH (repeatable): `--output sarif=s3lint.sarif`.
        #[arg(long, value_name = "FORMAT=PATH")]
        output: Vec<OutputSpec>,
        /// Human format: print the findings only, no summary line (nothing when there is no finding).
        #[arg(long, short)]
        quiet: bool,
        /// Exit 1 when a finding at or above this severity is reported.
        #[arg(long, value_enum, default_value_t = FailOn::Warning)]
        fail_on: FailOn,
        /// s3lint's own settings (default: `.s3lint.yaml` in the current directory, if present).
        #[arg(long)]
        config: Option<PathBuf>,
        /// A HADOOP_CLASSPATH-style list of jars (`:`-separated, `dir/*` globs allowed).
        #[arg(long, value_name = "STRING")]
        classpath: Option<String>,
        /// The Flink version, when it cannot be discovered from flink-dist.
        #[arg(long, value_name = "V")]
        flink_version: Option<String>,
        /// The Hadoop version, when it cannot be discovered from the Hadoop jars.
        #[arg(long, value_name = "V")]
        hadoop_version: Option<String>,
        /// Make the safe fixes (misspelt and renamed keys, a missing buffer dir or `fs.s3.impl`, plugin jars in
        /// the wrong folder), then report what the deployment still has.
        #[arg(long)]
        fix: bool,
        /// Print the safe fixes as a unified diff (and `mv` commands for jars) without making them.
        #[arg(long, conflicts_with = "fix")]
        diff: bool,
        /// Record the current findings in FILE (a baseline: file, rule, key and a hash of the value) and exit 0.
        #[arg(long, value_name = "FILE", conflicts_with_all = ["fix", "diff", "baseline"])]
        write_baseline: Option<PathBuf>,
        /// Report only the findings not recorded in FILE (written by `--write-baseline`).
        #[arg(long, value_name = "FILE")]
        baseline: Option<PathBuf>,
    },
    /// Print each configuration file as Hadoop or Flink reads it (secrets redacted).
    Config {
        /// Files or directories.
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ViewFormat::Human)]
        format: ViewFormat,
    },
    /// Recognise known S3 failures in a stack trace or a whole log, and say how to fix them.
    Diagnose {
        /// A file, or `-` for standard input.
        #[arg(default_value = "-")]
        input: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ViewFormat::Human)]
        format: ViewFormat,
        /// Extra failure cases, in the schema of rules/failures.yaml (repeatable).
        #[arg(long = "rules", value_name = "FILE")]
        rules: Vec<PathBuf>,
        /// Also check this deployment and show the findings that explain the failure.
        #[arg(long, value_name = "PATH", num_args = 1..)]
        deployment: Vec<PathBuf>,
    },
    /// List every lint rule and every known failure case.
    Rules,
    /// Run the language server on standard input and output (diagnostics, hover, completion, quick fixes).
    Server,
    /// Explain a lint rule or a failure case: what it is, why it matters, how to fix it.
    Explain {
        /// A rule id (`s3a-buffer-dir-missing`) or failure case id.
        id: String,
    },
    /// Print a shell completion script: `s3lint completions bash > /etc/bash_completion.d/s3lint`,
    /// `s3lint completions zsh > "${fpath[1]}/_s3lint"`, `s3lint completions fish > ~/.config/fish/completions/s3lint.fish`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// The lowest severity that makes `check` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

/// Output formats of `config`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ViewFormat {
    Human,
    Json,
}

/// Exit code: nothing at or above the fail level (check) / recognised (diagnose).
const EXIT_OK: u8 = 0;
/// Exit code: findings at or above the fail level.
const EXIT_FINDINGS: u8 = 1;
/// Exit code: could not check (bad arguments, unreadable or unparseable input).
const EXIT_COULD_NOT_CHECK: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let _ = COLOR.set(cli.color);
    let mut options = DiscoverOptions { env: Environment::from_process(), ..Default::default() };
    let budget = options.budget.clone();
    let code = match cli.command {
        Command::Check {
            paths,
            stdin_filename,
            format,
            output,
            quiet,
            fail_on,
            config,
            classpath,
            flink_version,
            hadoop_version,
            fix,
            diff,
            write_baseline,
            baseline,
        } => {
            options.classpath = classpath;
            options.flink_version = flink_version;
            options.hadoop_version = hadoop_version;
            match load_settings(config.as_deref(), &budget).and_then(|settings| {
                let checked = check_paths_or_stdin(&paths, stdin_filename.as_deref(), &options, &settings)?;
                let recorded = match &baseline {
                    Some(path) => Some(s3lint::lint::baseline::Baseline::load(path, &budget)?),
                    None => None,
                };
                let checked = match &recorded {
                    // Recorded findings are left out before anything else sees them (reports, --fix, --diff).
                    Some(recorded) => {
                        let (kept, left_out) = recorded.filter_all(checked);
                        if left_out > 0 && !quiet {
                            eprintln!("s3lint: {left_out} finding(s) recorded in the baseline left out");
                        }
                        kept
                    }
                    None => checked,
                };
                if !fix {
                    return Ok(checked);
                }
                if stdin_filename.is_some() {
                    return Err(LoadError::file("--fix", "standard input is not a file to fix: use --diff"));
                }
                let (checked, said) = s3lint::check_fixed(&paths, &options, &settings, checked)?;
                said.iter().filter(|_| !quiet).for_each(|l| eprintln!("s3lint: {l}"));
                Ok(checked)
            }) {
                Ok(checked) if write_baseline.is_some() => {
                    let path = write_baseline.as_deref().unwrap_or(std::path::Path::new("-"));
                    let mut recorded = s3lint::lint::baseline::Baseline::default();
                    for (d, f) in &checked {
                        recorded.extend(s3lint::lint::baseline::Baseline::of(d, f));
                    }
                    match write_output(path, &recorded.to_json()) {
                        Ok(()) => {
                            eprintln!("s3lint: recorded {} finding(s) in {}", recorded.len(), path.display());
                            EXIT_OK
                        }
                        Err(e) => fail(&e),
                    }
                }
                Ok(checked) if diff => print_diff(&checked, fail_on),
                Ok(checked) => {
                    let color = format == Format::Human && use_color();
                    print(&deployments::render_each(&checked, format, color, quiet));
                    let written = output.iter().try_for_each(|o| {
                        write_output(&o.path, &deployments::render_each(&checked, o.format, false, false))
                    });
                    // The worst over all deployments.
                    let failed = fail_on
                        .threshold()
                        .is_some_and(|t| checked.iter().flat_map(|(_, f)| f).any(|f| f.severity >= t));
                    match written {
                        Err(e) => fail(&e),
                        Ok(()) if failed => EXIT_FINDINGS,
                        Ok(()) => EXIT_OK,
                    }
                }
                Err(e) => {
                    if let Some(doc) = report::render_error(&e, format) {
                        print(&doc);
                    }
                    for o in &output {
                        let doc = report::render_error(&e, o.format)
                            .unwrap_or_else(|| format!("error: could not check {e}\n"));
                        if let Err(w) = write_output(&o.path, &doc) {
                            eprintln!("error: {w}");
                        }
                    }
                    could_not_check(&e)
                }
            }
        }
        Command::Config { paths, format } => match discover_each(&paths, &options) {
            Ok(deployments) => {
                print(&match format {
                    ViewFormat::Human => config_view::human_each(&deployments),
                    ViewFormat::Json => config_view::json_each(&deployments),
                });
                EXIT_OK
            }
            Err(e) => could_not_read(&e),
        },
        Command::Diagnose { input, format, rules, deployment } => {
            run_diagnose(&input, format, &rules, &deployment, &options)
        }
        Command::Rules => match catalog(&[], &budget) {
            Ok(catalog) => {
                let mut out = String::from("Lint rules (s3lint check):\n");
                for r in rules::all() {
                    let m = r.meta();
                    out.push_str(&format!("  {:<30} {:<8} {}\n", m.id, m.default_severity.as_str(), m.summary));
                }
                out.push_str("\nFailure cases (s3lint diagnose):\n");
                for c in &catalog.cases {
                    out.push_str(&format!("  {:<44} {:<28} {}\n", c.id, c.category, c.title));
                }
                print(&out);
                EXIT_OK
            }
            Err(e) => fail(&e),
        },
        Command::Completions { shell } => {
            use clap::CommandFactory;
            // Into a buffer, then printed like every report (a closed pipe ends quietly).
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "s3lint", &mut script);
            print(&String::from_utf8_lossy(&script));
            EXIT_OK
        }
        Command::Explain { id } => match catalog(&[], &budget) {
            Ok(catalog) => match s3lint::explain(&id, &catalog) {
                Some(text) => {
                    print(&text);
                    EXIT_OK
                }
                None => fail(&format!("no rule or failure case named `{id}`{}", did_you_mean(&id, &catalog))),
            },
            Err(e) => fail(&e),
        },
        Command::Server => match s3lint::server::run() {
            Ok(()) => EXIT_OK,
            Err(e) => fail(&e),
        },
    };
    ExitCode::from(code)
}

/// `check --diff`: the fixes `--fix` would make in every checked deployment, as a unified diff (after the `mv`
/// commands of jar moves) on standard output; what it cannot show, and one count for them all, on standard
/// error. Exit code as `check` without it.
fn print_diff(checked: &[s3lint::Checked], fail_on: FailOn) -> u8 {
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut out = std::io::stdout().lock();
    let (mut fixes, mut total) = (0, 0);
    for (deployment, findings) in checked {
        let plan = s3lint::fix::plan(deployment, findings);
        let (bytes, notes) = plan.diff(deployment, &cwd);
        let _ = out.write_all(&bytes);
        notes.iter().chain(&plan.skipped).for_each(|n| eprintln!("s3lint: {n}"));
        fixes += plan.edits.len() + plan.moves.len();
        total += findings.len();
    }
    let _ = out.flush();
    match fixes {
        0 => eprintln!("s3lint: no safe fix for the {total} finding(s)"),
        n => eprintln!("s3lint: {n} fix(es) for {total} finding(s); `--fix` makes them"),
    }
    let failed = fail_on.threshold().is_some_and(|t| checked.iter().flat_map(|(_, f)| f).any(|f| f.severity >= t));
    if failed { EXIT_FINDINGS } else { EXIT_OK }
}

/// The project settings: `--config FILE` (must exist) or `.s3lint.yaml` in the current directory (optional).
fn load_settings(path: Option<&std::path::Path>, budget: &Budget) -> Result<ProjectSettings, LoadError> {
    match path {
        Some(p) => ProjectSettings::load(p, true, budget),
        None => ProjectSettings::load(std::path::Path::new(".s3lint.yaml"), false, budget),
    }
}

/// The built-in failure catalogue plus `extra` files.
fn catalog(extra: &[PathBuf], budget: &Budget) -> Result<Catalog, String> {
    s3lint::failure_catalog(extra, budget)
}

/// `check PATHS`, or with `check -` the standard input as the file `--stdin-filename` in its deployment.
fn check_paths_or_stdin(
    paths: &[PathBuf],
    stdin_filename: Option<&std::path::Path>,
    options: &DiscoverOptions,
    settings: &ProjectSettings,
) -> Result<Vec<(s3lint::deployment::Deployment, Vec<s3lint::lint::Finding>)>, LoadError> {
    let stdin = paths.iter().any(|p| p.as_os_str() == "-");
    match (stdin, stdin_filename) {
        (false, None) => s3lint::check_each(paths, options, settings),
        (false, Some(_)) => Err(LoadError::file("--stdin-filename", "is only read with `-` (standard input) as PATH")),
        (true, None) => Err(LoadError::file("-", "standard input needs --stdin-filename PATH: the file it stands for")),
        (true, Some(_)) if paths.len() > 1 => {
            Err(LoadError::file("-", "standard input is checked alone: no other PATH"))
        }
        (true, Some(name)) => {
            let text = s3lint::input::read_stdin_text(&name.display().to_string())?;
            Ok(vec![s3lint::check_buffer(name, text, options, settings)?])
        }
    }
}

/// `s3lint diagnose`: 0 when a known failure was recognised, 1 when none, 2 when the input could not be read.
fn run_diagnose(
    input: &str,
    format: ViewFormat,
    extra: &[PathBuf],
    paths: &[PathBuf],
    options: &DiscoverOptions,
) -> u8 {
    let catalog = match catalog(extra, &options.budget) {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    let checked = if paths.is_empty() {
        None
    } else {
        // With several deployments (homes) under the PATHs, the first is linked, and stderr says so.
        match load_settings(None, &options.budget).and_then(|settings| s3lint::check_each(paths, options, &settings)) {
            Ok(mut c) => {
                if c.len() > 1 {
                    let roots: Vec<&str> = c.iter().map(|(d, _)| d.origin.root.as_str()).collect();
                    eprintln!(
                        "s3lint diagnose: --deployment holds {} deployments ({}); linking the first, `{}` — name \
                         one home to link another",
                        c.len(),
                        roots.join(", "),
                        roots[0]
                    );
                }
                Some(c.swap_remove(0))
            }
            Err(e) => return could_not_check(&e),
        }
    };
    let result = if input == "-" {
        if std::io::stdin().is_terminal() {
            eprintln!(
                "s3lint diagnose: reading a stack trace or log from the terminal; paste it, then press Ctrl-D \
                 (Ctrl-Z, Enter on Windows). `s3lint diagnose FILE` reads a file."
            );
        }
        s3lint::diagnose_log(std::io::stdin().lock(), &catalog)
    } else {
        match s3lint::input::open_regular(std::path::Path::new(input), input) {
            Ok(f) => s3lint::diagnose_log(f, &catalog),
            Err(e) => {
                let e = LoadError::from(e);
                let hint = if e.message.contains("not a regular file") {
                    " (a stream can be piped to standard input: `s3lint diagnose -`)"
                } else {
                    ""
                };
                return fail(&format!("{e}{hint}"));
            }
        }
    };
    let result = match result {
        Ok(r) => r,
        Err(e) => return fail(&format!("{input}: {}", s3lint::source::io_reason(&e))),
    };
    let deployment = checked.as_ref().map(|(d, f)| (d, f.as_slice()));
    print(&match format {
        ViewFormat::Human => diagnosis::human(&result, deployment, use_color()),
        ViewFormat::Json => diagnosis::json(&result, deployment),
    });
    if result.diagnoses.is_empty() { EXIT_FINDINGS } else { EXIT_OK }
}

/// `; did you mean `x`?` for the rule or failure case id closest to a misspelt `id`, else the pointer to
/// `s3lint rules`.
fn did_you_mean(id: &str, catalog: &Catalog) -> String {
    let names = rules::all().iter().map(|r| r.meta().id.to_string()).chain(catalog.cases.iter().map(|c| c.id.clone()));
    match s3lint::knowledge::near::Candidates::new(names).closest_within(id, 6) {
        Some(near) => format!("; did you mean `{near}`? (`s3lint rules` lists them)"),
        None => "; `s3lint rules` lists them".to_string(),
    }
}

/// Writes one `--output` report.
fn write_output(path: &std::path::Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text)
        .map_err(|e| format!("cannot write {}: {}", path.display(), s3lint::source::io_reason(&e)))
}

/// Reports an error that is not about a file position and returns exit code 2.
fn fail(message: &str) -> u8 {
    eprintln!("error: {message}");
    EXIT_COULD_NOT_CHECK
}

/// Reports a "could not check" error (file:line:column and what is wrong) on standard error through miette,
/// and returns exit code 2. No source snippet is shown: the file could not be read as configuration, so its
/// secrets could not be located and masked.
fn could_not_check(e: &LoadError) -> u8 {
    could_not(e, "could-not-check", "fix the file or the path; nothing was checked, so no finding is reported")
}

/// [`could_not_check`] in `config`'s words: nothing is checked there, a file or path cannot be read.
fn could_not_read(e: &LoadError) -> u8 {
    could_not(e, "could-not-read", "fix the path or the file")
}

fn could_not(e: &LoadError, code: &str, help: &str) -> u8 {
    let what = code.replace('-', " ");
    let diag = miette::MietteDiagnostic::new(format!("{what} {e}")).with_code(code).with_help(help);
    let theme = if use_color_on_stderr() { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let mut out = String::new();
    // Wrapped as findings are (the terminal's width, none when piped), never inside a `command`, path or key.
    let width = s3lint::report::wrap::output_width();
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(width.unwrap_or(usize::MAX / 2))
        .with_wrap_lines(width.is_some())
        .with_break_words(false)
        .with_word_separator(s3lint::report::wrap::separator())
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation);
    if handler.render_report(&mut out, &diag).is_err() {
        out = format!("error: {what} {e}\n");
    }
    eprint!("{out}");
    EXIT_COULD_NOT_CHECK
}

fn use_color_on_stderr() -> bool {
    color_for(std::io::stderr().is_terminal())
}

fn use_color() -> bool {
    color_for(std::io::stdout().is_terminal())
}

/// `--color`; for `auto`: FORCE_COLOR (set, not `0`) turns colour on, NO_COLOR or TERM=dumb off, else colour
/// on a terminal.
fn color_for(terminal: bool) -> bool {
    let force = std::env::var_os("FORCE_COLOR").is_some_and(|v| !v.is_empty() && v != "0");
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    match COLOR.get().copied().unwrap_or(ColorWhen::Auto) {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            force || (!no_color && std::env::var("TERM").map(|t| t != "dumb").unwrap_or(true) && terminal)
        }
    }
}

fn print(s: &str) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`s3lint check | head`) is not an error worth a panic.
    let _ = out.write_all(s.as_bytes());
    let _ = out.flush();
}
