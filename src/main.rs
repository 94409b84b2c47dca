//! The `s3lint` command line: parse arguments, call the library, print, and exit with the contract's codes.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use s3lint::deployment::discover::{DiscoverOptions, discover};
use s3lint::deployment::environment::Environment;
use s3lint::lint::suppress::ProjectSettings;
use s3lint::lint::{Severity, rules};
use s3lint::report::{self, Format, config_view};
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
    /// Recognise a known S3 failure in a stack trace or log (not available yet).
    Diagnose {
        /// A file, or `-` for standard input.
        #[arg(default_value = "-")]
        input: String,
    },
    /// List every lint rule.
    Rules,
    /// Explain a rule: what it catches, why it matters, how to fix it.
    Explain {
        /// A rule id, e.g. `s3a-buffer-dir-missing`.
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
    let options = DiscoverOptions { env: Environment::from_process() };
    let code = match cli.command {
        Command::Check { paths, format, fail_on, config } => {
            match load_settings(config.as_deref()).and_then(|settings| s3lint::check(&paths, &options, &settings)) {
                Ok((deployment, findings)) => {
                    let color = format == Format::Human && use_color();
                    print(&report::render(&deployment, &findings, format, color));
                    let failed = fail_on.threshold().is_some_and(|t| findings.iter().any(|f| f.severity >= t));
                    if failed { EXIT_FINDINGS } else { EXIT_OK }
                }
                Err(e) => could_not_check(&e),
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
        Command::Diagnose { .. } => {
            eprintln!("s3lint: `diagnose` is not available in this version yet");
            EXIT_COULD_NOT_CHECK
        }
        Command::Rules => {
            let mut out = String::new();
            for r in rules::all() {
                let m = r.meta();
                out.push_str(&format!("{:<28} {:<8} {}\n", m.id, m.default_severity.as_str(), m.summary));
            }
            print(&out);
            EXIT_OK
        }
        Command::Explain { id } => match rules::find(&id) {
            Some(r) => {
                let m = r.meta();
                print(&format!("{} ({})\n\n{}", m.id, m.default_severity.as_str(), m.doc.replace("\n ", "\n")));
                EXIT_OK
            }
            None => {
                eprintln!("s3lint: no rule named `{id}`; `s3lint rules` lists them");
                EXIT_COULD_NOT_CHECK
            }
        },
    };
    ExitCode::from(code)
}

/// The project settings: `--config FILE` (must exist) or `.s3lint.yaml` in the current directory (optional).
fn load_settings(path: Option<&std::path::Path>) -> Result<ProjectSettings, LoadError> {
    match path {
        Some(p) => ProjectSettings::load(p, true),
        None => ProjectSettings::load(std::path::Path::new(".s3lint.yaml"), false),
    }
}

/// Reports a "could not check" error on standard error and returns exit code 2.
fn could_not_check(e: &LoadError) -> u8 {
    eprintln!("error: could not check: {e}");
    EXIT_COULD_NOT_CHECK
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
