//! The `RUN` shell forms that place jars, read as file operations: `cp`, `mv`, `ln -s`, `mkdir -p`, `rm`,
//! `wget` (`-O file`, `-P dir`, else the URL's last segment in the working directory), `curl` (`-o file`,
//! `-O`/`--remote-name` with `--output-dir`, `> file`), `cd` and `export`, chained with `&&`, `||`, `;` or
//! newlines (a heredoc script). Commands known to place no jar (`apt-get`, `chmod`, `echo`…) are skipped; any
//! other command, loop or conditional that names a jar or a jar directory is reported as not followed.

use crate::source::Span;

use super::parse::Text;
use super::words::{Token, Value, Word, shell_tokens};

/// One file operation a `RUN` line performs, paths absolute (resolved against the working directory).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// A download of `url` to `dest`.
    Download {
        /// The URL.
        url: String,
        /// The file written, or the directory it is written into under the URL's last segment.
        dest: Dest,
        /// The command.
        at: Span,
    },
    /// `cp`/`mv`/`ln -s` of `sources` (globs allowed) to `dest`.
    Copy {
        /// The source paths or patterns.
        sources: Vec<String>,
        /// The destination path.
        dest: String,
        /// True when the destination is written as a directory (`lib/`) or there are several sources.
        dest_is_dir: bool,
        /// True for `mv` (the sources go away).
        moves: bool,
        /// True for `ln -s`.
        link: bool,
        /// The command.
        at: Span,
    },
    /// `rm` of paths or patterns (`-r`: whole directories).
    Remove {
        /// The paths or patterns.
        paths: Vec<String>,
        /// The command.
        at: Span,
    },
    /// `chmod` that lets every user read `paths` (`644`, `a+r`, `o+r`…), or `chown` of them to `owner`.
    Access {
        /// The paths or patterns (a directory with `-R`: everything under it).
        paths: Vec<String>,
        /// The new owner (`chown USER[:GROUP]`), or `None` for a `chmod` that makes them world-readable.
        owner: Option<String>,
    },
    /// `mkdir` of a directory.
    Mkdir {
        /// The directory.
        path: String,
    },
    /// A command that names a jar or jar directory but is not followed (a loop, `tar -C lib/`, a script).
    Unfollowed {
        /// The command's first word.
        command: String,
        /// The command.
        at: Span,
    },
}

/// Where a download goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dest {
    /// This file.
    File(String),
    /// This directory, under the URL's last path segment.
    Dir(String),
}

/// Commands that never place a jar.
const HARMLESS: &[&str] = &[
    "set",
    "apt-get",
    "apt",
    "yum",
    "dnf",
    "microdnf",
    "apk",
    "install_packages",
    "echo",
    "printf",
    "chgrp",
    "true",
    "false",
    ":",
    "pip",
    "pip3",
    "ls",
    "cat",
    "test",
    "[",
    "gpg",
    "gpgconf",
    "sha256sum",
    "sha512sum",
    "sha1sum",
    "md5sum",
    "groupadd",
    "useradd",
    "adduser",
    "addgroup",
    "usermod",
    "sed",
    "touch",
    "update-ca-certificates",
    "gosu",
    "id",
    "whoami",
    "sleep",
    "exit",
    "unset",
    "umask",
    "locale-gen",
    "ldconfig",
    "java",
    "env",
    "mkfifo",
    "grep",
    "awk",
    "head",
    "tail",
    "sort",
    "uniq",
    "wc",
    "tee",
    "rmdir",
];

/// Shell words that open a compound command the reader does not follow.
const COMPOUND: &[&str] = &["for", "while", "until", "if", "case", "select", "function"];

/// Reads a `RUN` command line: the operations it performs and the working directory it ends in.
pub fn interpret(text: &Text, cwd: &str, vars: &dyn Fn(&str) -> Value, is_jar_dir: &dyn Fn(&str) -> bool) -> Vec<Op> {
    let tokens = shell_tokens(text, vars);
    let mut ops = Vec::new();
    let mut cwd = cwd.to_string();
    let mut depth = 0usize;
    let mut command: Vec<Word> = Vec::new();
    let mut redirect: Option<Word> = None;
    let mut pending_redirect = false;
    let mut flush = |command: &mut Vec<Word>, redirect: &mut Option<Word>, depth: usize, cwd: &mut String| {
        if !command.is_empty() {
            simple(command, redirect.take(), depth, cwd, is_jar_dir, &mut ops);
        }
        command.clear();
        *redirect = None;
    };
    for token in tokens {
        match token {
            Token::Word(w) if pending_redirect => {
                redirect = Some(w);
                pending_redirect = false;
            }
            Token::Word(w) => {
                let first = command.is_empty();
                if first && COMPOUND.contains(&w.text.as_str()) && !w.quoted {
                    depth += 1;
                } else if first && matches!(w.text.as_str(), "done" | "fi" | "esac") && !w.quoted {
                    depth = depth.saturating_sub(1);
                    continue;
                } else if first && matches!(w.text.as_str(), "then" | "do" | "else" | "elif" | "{" | "}") {
                    continue;
                }
                command.push(w);
            }
            Token::Redirect(op, _) => pending_redirect = op.contains('>'),
            Token::Separator(..) => flush(&mut command, &mut redirect, depth, &mut cwd),
        }
    }
    flush(&mut command, &mut redirect, depth, &mut cwd);
    ops
}

/// Joins `path` to `cwd` and removes `.` and `..`.
pub fn resolve(cwd: &str, path: &str) -> String {
    let joined = if path.starts_with('/') { path.to_string() } else { format!("{cwd}/{path}") };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

/// The span from the first to the last word of a command.
fn span_of(words: &[Word]) -> Span {
    match (words.first(), words.last()) {
        (Some(a), Some(b)) => Span::new(a.at.start, b.at.end.max(a.at.start)),
        _ => Span::default(),
    }
}

/// One simple command.
fn simple(
    words: &[Word],
    redirect: Option<Word>,
    depth: usize,
    cwd: &mut String,
    is_jar_dir: &dyn Fn(&str) -> bool,
    ops: &mut Vec<Op>,
) {
    let at = span_of(words);
    let name = words[0].text.rsplit('/').next().unwrap_or("").to_string();
    let args: Vec<&Word> = words[1..].iter().collect();
    let mentions_jars = || {
        words
            .iter()
            .chain(redirect.as_ref())
            .any(|w| w.text.contains(".jar") || (!w.text.starts_with('-') && is_jar_dir(&resolve(cwd, &w.text))))
    };
    let unfollowed = |ops: &mut Vec<Op>| ops.push(Op::Unfollowed { command: name.clone(), at });
    let header = COMPOUND.contains(&words[0].text.as_str());
    if depth > 0 || words.iter().any(|w| w.unknown && w.text.contains("$(…)")) {
        // A loop's header (`for f in *.jar`) places nothing; the commands inside it are what is reported.
        if !header && mentions_jars() {
            unfollowed(ops);
        }
        return;
    }
    match name.as_str() {
        "cd" => {
            if let Some(dir) = args.iter().find(|w| !w.text.starts_with('-')) {
                *cwd = resolve(cwd, &dir.text);
            }
        }
        "mkdir" => {
            for w in args.iter().filter(|w| !w.text.starts_with('-')) {
                ops.push(Op::Mkdir { path: resolve(cwd, &w.text) });
            }
        }
        "cp" | "mv" | "ln" => {
            let mut target_dir: Option<String> = None;
            let mut plain: Vec<&Word> = Vec::new();
            let mut it = args.iter();
            while let Some(w) = it.next() {
                match w.text.as_str() {
                    "-t" | "--target-directory" => target_dir = it.next().map(|d| resolve(cwd, &d.text)),
                    t if t.starts_with("--target-directory=") => target_dir = Some(resolve(cwd, &t[19..])),
                    t if t.starts_with('-') && t.len() > 1 => {}
                    _ => plain.push(w),
                }
            }
            let (sources, dest) = match target_dir {
                Some(d) => (plain.as_slice(), d),
                None => match plain.split_last() {
                    Some((d, s)) if !s.is_empty() => (s, resolve(cwd, &d.text)),
                    // `ln -s target` links into the working directory.
                    Some((d, _)) if name == "ln" => (std::slice::from_ref(d), cwd.clone()),
                    _ => return,
                },
            };
            let dest_is_dir = plain.last().is_some_and(|d| d.text.ends_with('/')) || sources.len() > 1;
            ops.push(Op::Copy {
                sources: sources.iter().map(|w| resolve(cwd, &w.text)).collect(),
                dest,
                dest_is_dir,
                moves: name == "mv",
                link: name == "ln",
                at,
            });
        }
        "rm" => {
            let paths: Vec<String> =
                args.iter().filter(|w| !w.text.starts_with('-')).map(|w| resolve(cwd, &w.text)).collect();
            ops.push(Op::Remove { paths, at });
        }
        "chmod" | "chown" => {
            let mut plain = args.iter().filter(|w| !w.text.starts_with('-') || w.text.len() == 1);
            let Some(first) = plain.next() else { return };
            let paths: Vec<String> = plain.map(|w| resolve(cwd, &w.text)).collect();
            if name == "chown" {
                ops.push(Op::Access { paths, owner: Some(first.text.clone()) });
            } else if others_may_read(&first.text) {
                ops.push(Op::Access { paths, owner: None });
            }
        }
        "wget" => wget(&args, cwd, at, ops),
        "curl" => curl(&args, redirect.as_ref(), cwd, at, ops),
        "export" => {}
        _ if HARMLESS.contains(&name.as_str()) => {}
        _ => {
            if mentions_jars() {
                unfollowed(ops);
            }
        }
    }
}

/// True when a `chmod` mode lets other users read: an octal mode whose last digit has the read bit (`644`,
/// `0755`, `444`), or a symbolic one that adds `r` for others (`a+r`, `o+r`, `+r`, `go+rX`, `u=rw,go=r`).
fn others_may_read(mode: &str) -> bool {
    if !mode.is_empty() && mode.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        return mode.bytes().last().is_some_and(|d| (d - b'0') & 4 != 0);
    }
    mode.split(',').any(|clause| {
        let Some(op) = clause.find(['+', '=']) else { return false };
        let (who, perms) = (&clause[..op], &clause[op + 1..]);
        (who.is_empty() || who.contains(['a', 'o'])) && perms.contains('r')
    })
}

/// `wget [options] URL…`.
fn wget(args: &[&Word], cwd: &str, at: Span, ops: &mut Vec<Op>) {
    const WITH_VALUE: &[&str] = &["-t", "-T", "-e", "-U", "-a", "-o", "-i", "-w", "--header", "--user", "--password"];
    let mut out: Option<String> = None;
    let mut dir: Option<String> = None;
    let mut urls = Vec::new();
    let mut it = args.iter();
    while let Some(w) = it.next() {
        let t = w.text.as_str();
        if t == "-O" || t == "--output-document" {
            out = it.next().map(|w| w.text.clone());
        } else if let Some(v) = t.strip_prefix("--output-document=") {
            out = Some(v.to_string());
        } else if t == "-P" || t == "--directory-prefix" {
            dir = it.next().map(|w| resolve(cwd, &w.text));
        } else if let Some(v) = t.strip_prefix("--directory-prefix=") {
            dir = Some(resolve(cwd, v));
        } else if let Some(v) = t.strip_prefix("-O").filter(|v| !v.is_empty() && !t.starts_with("--")) {
            out = Some(v.to_string());
        } else if let Some(v) = t.strip_prefix("-P").filter(|v| !v.is_empty() && !t.starts_with("--")) {
            dir = Some(resolve(cwd, v));
        } else if WITH_VALUE.contains(&t) {
            it.next();
        } else if !t.starts_with('-') {
            urls.push((t.to_string(), w.at));
        }
    }
    // One command that downloads several jars: each is placed by its own URL, so a finding points at that line.
    let several = urls.len() > 1;
    for (url, url_at) in urls {
        let dest = match &out {
            Some(o) if o == "-" => continue,
            Some(o) => Dest::File(resolve(dir.as_deref().unwrap_or(cwd), o)),
            None => Dest::Dir(dir.clone().unwrap_or_else(|| cwd.to_string())),
        };
        ops.push(Op::Download { url, dest, at: if several { url_at } else { at } });
    }
}

/// `curl [options] URL…`: `-o FILE`, `-O` (`--remote-name`, `--remote-name-all`), `--output-dir`, or `> FILE`.
fn curl(args: &[&Word], redirect: Option<&Word>, cwd: &str, at: Span, ops: &mut Vec<Op>) {
    const WITH_VALUE: &str = "HuAdeExXmwCrTbcKzY";
    let mut outputs: Vec<Option<String>> = Vec::new();
    let mut remote_all = false;
    let mut dir: Option<String> = None;
    let mut urls = Vec::new();
    let mut it = args.iter();
    while let Some(w) = it.next() {
        let t = w.text.as_str();
        match t {
            "--output" => outputs.push(it.next().map(|w| w.text.clone())),
            "--remote-name" => outputs.push(None),
            "--remote-name-all" => remote_all = true,
            "--output-dir" => dir = it.next().map(|w| resolve(cwd, &w.text)),
            _ if t.starts_with("--") => {
                if !t.contains('=') && LONG_WITH_VALUE.contains(&t) {
                    it.next();
                }
            }
            _ if t.starts_with('-') && t.len() > 1 => {
                // Bundled short options (`-fsSLo file`): a value-taking option takes the rest or the next word.
                for (k, c) in t[1..].char_indices() {
                    let rest = &t[1 + k + c.len_utf8()..];
                    match c {
                        'O' => outputs.push(None),
                        'o' => {
                            outputs.push(Some(if rest.is_empty() {
                                it.next().map(|w| w.text.clone()).unwrap_or_default()
                            } else {
                                rest.to_string()
                            }));
                            break;
                        }
                        c if WITH_VALUE.contains(c) => {
                            if rest.is_empty() {
                                it.next();
                            }
                            break;
                        }
                        _ => {}
                    }
                }
            }
            _ => urls.push((t.to_string(), w.at)),
        }
    }
    let base = dir.unwrap_or_else(|| cwd.to_string());
    let several = urls.len() > 1;
    for (n, (url, url_at)) in urls.into_iter().enumerate() {
        let at = if several { url_at } else { at };
        let dest = match outputs.get(n) {
            Some(Some(o)) if o == "-" => continue,
            Some(Some(o)) => Dest::File(resolve(&base, o)),
            Some(None) => Dest::Dir(base.clone()),
            None if remote_all => Dest::Dir(base.clone()),
            None => match redirect {
                Some(r) if n == 0 => Dest::File(resolve(cwd, &r.text)),
                _ => continue,
            },
        };
        ops.push(Op::Download { url, dest, at });
    }
}

/// Long curl options that take a value in the next word.
const LONG_WITH_VALUE: &[&str] = &[
    "--header",
    "--user",
    "--data",
    "--retry",
    "--retry-delay",
    "--retry-max-time",
    "--connect-timeout",
    "--max-time",
    "--proxy",
    "--user-agent",
    "--cacert",
    "--cert",
    "--write-out",
    "--continue-at",
    "--referer",
    "--request",
    "--limit-rate",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn run(line: &str, cwd: &str) -> Vec<Op> {
        let vars = |n: &str| match n {
            "FLINK_HOME" => Value::Known("/opt/flink".into()),
            "HADOOP_VERSION" => Value::Known("3.3.4".into()),
            _ => Value::Unknown,
        };
        interpret(&Text::contiguous(line, 0), cwd, &vars, &|p| p.ends_with("/lib") || p.ends_with("/jars"))
    }

    #[test]
    fn cp_into_lib_relative_to_the_working_directory_and_after_cd() {
        let ops =
            run("cp ./opt/flink-s3-fs-hadoop-*.jar ./lib/ && cd /tmp && mv x.jar /opt/flink/plugins/s3/", "/opt/flink");
        assert_eq!(
            ops[0],
            Op::Copy {
                sources: vec!["/opt/flink/opt/flink-s3-fs-hadoop-*.jar".into()],
                dest: "/opt/flink/lib".into(),
                dest_is_dir: true,
                moves: false,
                link: false,
                at: Span::new(0, 40),
            }
        );
        let Op::Copy { sources, moves, .. } = &ops[1] else { panic!("{ops:?}") };
        assert_eq!(sources, &["/tmp/x.jar"]);
        assert!(moves);
    }

    #[test]
    fn wget_and_curl_destinations() {
        let url = "https://repo1.maven.org/maven2/org/apache/hadoop/hadoop-aws/3.3.4/hadoop-aws-3.3.4.jar";
        let dests = |line: &str| -> Vec<Dest> {
            run(line, "/opt/spark/work-dir")
                .into_iter()
                .filter_map(|o| match o {
                    Op::Download { dest, .. } => Some(dest),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(dests(&format!("wget -q {url} -P /opt/spark/jars/")), [Dest::Dir("/opt/spark/jars".into())]);
        assert_eq!(
            dests(&format!("wget -nv -O /opt/spark/jars/a.jar {url}")),
            [Dest::File("/opt/spark/jars/a.jar".into())]
        );
        assert_eq!(dests(&format!("wget {url}")), [Dest::Dir("/opt/spark/work-dir".into())]);
        assert_eq!(dests(&format!("curl -fsSLo /x/a.jar {url}")), [Dest::File("/x/a.jar".into())]);
        assert_eq!(dests(&format!("curl -sSL -O {url} --output-dir /y")), [Dest::Dir("/y".into())]);
        assert_eq!(dests(&format!("curl -L {url} > /z/b.jar")), [Dest::File("/z/b.jar".into())]);
        assert_eq!(dests(&format!("curl -sL {url} | tar -x")), []);
        assert_eq!(dests(&format!("curl -H 'Accept: x' -o ${{HADOOP_VERSION}}.jar {url}")).len(), 1);
    }

    #[test]
    fn each_url_of_a_download_of_several_jars_is_placed_at_its_own_word() {
        let a = "https://repo1.maven.org/maven2/org/apache/hadoop/hadoop-aws/3.3.4/hadoop-aws-3.3.4.jar";
        let b = "https://repo1.maven.org/maven2/com/amazonaws/aws-java-sdk-bundle/1.12.262/aws-java-sdk-bundle-1.12.262.jar";
        for line in [format!("wget -P /opt/flink/lib {a} {b}"), format!("curl -fL -O {a} -O {b}")] {
            let spans: Vec<Span> = run(&line, "/opt/flink/lib")
                .into_iter()
                .filter_map(|o| match o {
                    Op::Download { at, .. } => Some(at),
                    _ => None,
                })
                .collect();
            let at = |u: &str| line.find(u).map(|i| Span::new(i, i + u.len())).unwrap();
            assert_eq!(spans, [at(a), at(b)], "{line}");
        }
        // One URL: the whole command, as before.
        let line = format!("wget -P /opt/flink/lib {a}");
        let ops = run(&line, "/");
        assert!(matches!(&ops[0], Op::Download { at, .. } if *at == Span::new(0, line.len())), "{ops:?}");
    }

    #[test]
    fn rm_mkdir_ln_and_unfollowed_commands() {
        let ops = run(
            "rm -f /opt/spark/jars/hadoop-client-*.jar; mkdir -p ./plugins/s3-fs-hadoop \
                       && ln -s /opt/flink/opt/flink-s3-fs-hadoop-1.17.1.jar ./plugins/s3-fs-hadoop/",
            "/opt/flink",
        );
        assert!(matches!(&ops[0], Op::Remove { paths, .. } if paths == &["/opt/spark/jars/hadoop-client-*.jar"]));
        assert_eq!(ops[1], Op::Mkdir { path: "/opt/flink/plugins/s3-fs-hadoop".into() });
        assert!(matches!(&ops[2], Op::Copy { link: true, dest, .. } if dest == "/opt/flink/plugins/s3-fs-hadoop"));
        let ops =
            run("for j in a b; do cp $j.jar lib/; done && tar -xzf x.tgz -C /opt/spark/jars && apt-get update", "/");
        assert_eq!(ops.len(), 2, "{ops:?}");
        assert!(matches!(&ops[0], Op::Unfollowed { command, .. } if command == "cp"));
        assert!(matches!(&ops[1], Op::Unfollowed { command, .. } if command == "tar"));
    }
}
