//! The `s3lint` command line: parse arguments, call the library, print, and exit with the contract's codes.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use miette::{GraphicalReportHandler, GraphicalTheme};
use s3lint::deployment::discover::{DiscoverOptions, discover};
use s3lint::deployment::environment::Environment;
use s3lint::diagnose::diagnose;
use s3lint::input::Budget;
use s3lint::knowledge::Catalog;
use s3lint::lint::suppress::ProjectSettings;
use s3lint::lint::{Severity, rules};
use s3lint::report::{self, Format, config_view, diagnosis};
use s3lint::source::LoadError;

/// Lints Flink and Hadoop deployments that use Amazon S3, and explains their S3 failures.
#[derive(Parser)]
#[command(name = "s3lint", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a deployment (Flink home, conf dir, Hadoop conf dir, or files) before deploying it.
    Check {
        /// Files or directories; together they form one deployment.
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
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
    /// Explain a lint rule or a failure case: what it is, why it matters, how to fix it.
    Explain {
        /// A rule id (`s3a-buffer-dir-missing`) or failure case id.
        id: String,
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
    let mut options = DiscoverOptions { env: Environment::from_process(), ..Default::default() };
    let budget = options.budget.clone();
    let code = match cli.command {
        Command::Check { paths, format, fail_on, config, classpath, flink_version, hadoop_version } => {
            options.classpath = classpath;
            options.flink_version = flink_version;
            options.hadoop_version = hadoop_version;
            match load_settings(config.as_deref(), &budget)
                .and_then(|settings| s3lint::check(&paths, &options, &settings))
            {
                Ok((deployment, findings)) => {
                    let color = format == Format::Human && use_color();
                    print(&report::render(&deployment, &findings, format, color));
                    let failed = fail_on.threshold().is_some_and(|t| findings.iter().any(|f| f.severity >= t));
                    if failed { EXIT_FINDINGS } else { EXIT_OK }
                }
                Err(e) => {
                    if let Some(doc) = report::render_error(&e, format) {
                        print(&doc);
                    }
                    could_not_check(&e)
                }
            }
        }
        Command::Config { paths, format } => match discover(&paths, &options) {
            Ok(deployment) => {
                print(&match format {
                    ViewFormat::Human => config_view::human(&deployment),
                    ViewFormat::Json => config_view::json(&deployment),
                });
                EXIT_OK
            }
            Err(e) => could_not_check(&e),
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
        Command::Explain { id } => {
            if let Some(r) = rules::find(&id) {
                let m = r.meta();
                print(&format!("{} ({})\n\n{}", m.id, m.default_severity.as_str(), m.doc.replace("\n ", "\n")));
                EXIT_OK
            } else {
                match catalog(&[], &budget) {
                    Ok(catalog) => match catalog.find(&id) {
                        Some(c) => {
                            print(&explain_case(c));
                            EXIT_OK
                        }
                        None => fail(&format!("no rule or failure case named `{id}`; `s3lint rules` lists them")),
                    },
                    Err(e) => fail(&e),
                }
            }
        }
    };
    ExitCode::from(code)
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
    let mut catalog = Catalog::builtin()?;
    for path in extra {
        let display = path.display().to_string();
        let text = s3lint::input::read_text(path, &display, budget).map_err(|e| LoadError::from(e).to_string())?;
        catalog.extend_from_str(&text, &display)?;
    }
    Ok(catalog)
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
        match load_settings(None, &options.budget).and_then(|settings| s3lint::check(paths, options, &settings)) {
            Ok(c) => Some(c),
            Err(e) => return could_not_check(&e),
        }
    };
    let result = if input == "-" {
        diagnose(std::io::stdin().lock(), &catalog)
    } else {
        match s3lint::input::open_regular(std::path::Path::new(input), input) {
            Ok(f) => diagnose(f, &catalog),
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

/// The `explain` text of a failure case.
fn explain_case(c: &s3lint::knowledge::FailureCase) -> String {
    let mut out = format!("{} ({})\n{}\n\n{}\n\nFix:\n", c.id, c.category, c.title, c.explanation);
    for (i, step) in c.fix.iter().enumerate() {
        out.push_str(&format!("  {}. {}\n", i + 1, step));
    }
    if !c.lint_rules.is_empty() {
        out.push_str(&format!("\nCaught before deploy by: {}\n", c.lint_rules.join(", ")));
    }
    if !c.sources.is_empty() {
        out.push_str("\nSources:\n");
        for s in &c.sources {
            out.push_str(&format!("  - {s}\n"));
        }
    }
    out
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
    let diag = miette::MietteDiagnostic::new(format!("could not check {e}"))
        .with_code("could-not-check")
        .with_help("fix the file or the path; nothing was checked, so no finding is reported");
    let theme = if use_color_on_stderr() { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let mut out = String::new();
    if GraphicalReportHandler::new_themed(theme).with_width(110).render_report(&mut out, &diag).is_err() {
        out = format!("error: could not check {e}\n");
    }
    eprint!("{out}");
    EXIT_COULD_NOT_CHECK
}

fn use_color_on_stderr() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::env::var("TERM").map(|t| t != "dumb").unwrap_or(true)
        && std::io::stderr().is_terminal()
}

fn use_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::env::var("TERM").map(|t| t != "dumb").unwrap_or(true)
        && std::io::stdout().is_terminal()
}

fn print(s: &str) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`s3lint check | head`) is not an error worth a panic.
    let _ = out.write_all(s.as_bytes());
    let _ = out.flush();
}
