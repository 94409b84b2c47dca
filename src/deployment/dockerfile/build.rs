//! Replays a parsed Dockerfile's stages over a model of the image's jars: which jar each path holds, where it
//! came from, and what `ENV`/`ARG`/`WORKDIR`/`USER` say at each point.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::entrypoint::{Finder, flink_properties};
use super::image::{self, KnownImage, Product};
use super::naming::{jar, matches};
use super::parse::{Args, Dockerfile, Instruction, Text};
use super::shell::{self, Dest, Op, resolve};
use super::words::{self, Value, Word};
use super::{
    Base, CopiedFile, EnabledPlugin, Image, ImageJar, Note, NoteKind, Origin, Place, Removed, SecretVariable,
    VersionFrom,
};
use crate::deployment::config::Entry;
use crate::source::{FileId, Location, Span};

/// One stage being built.
#[derive(Debug, Clone, Default)]
struct Stage {
    name: Option<String>,
    base: Option<Base>,
    vars: HashMap<String, Option<String>>,
    files: BTreeMap<String, ImageJar>,
    dirs: BTreeSet<String>,
    workdir: String,
    user: Option<(String, Option<Location>)>,
    removed: Vec<Removed>,
    flink_properties: Vec<Entry>,
    enabled: Vec<(String, Location)>,
    arg_names: BTreeSet<String>,
    copied: Vec<CopiedFile>,
    full: bool,
}

impl Stage {
    fn known(&self) -> Option<&KnownImage> {
        self.base.as_ref().and_then(|b| b.known.as_ref())
    }

    fn value(&self, name: &str) -> Value {
        match self.vars.get(name) {
            Some(Some(v)) => Value::Known(v.clone()),
            _ => Value::Unknown,
        }
    }

    /// The product home: the known image's, else `FLINK_HOME`/`SPARK_HOME` as set in the file.
    fn home(&self) -> Option<(Product, String)> {
        if let Some(k) = self.known() {
            return Some((k.product, k.home.to_string()));
        }
        [("FLINK_HOME", Product::Flink), ("SPARK_HOME", Product::Spark)]
            .iter()
            .find_map(|(v, p)| self.vars.get(*v).cloned().flatten().map(|h| (*p, h)))
    }

    fn place(&self, path: &str) -> Place {
        let Some((product, home)) = self.home() else { return Place::Other };
        let Some(rel) = path.strip_prefix(&format!("{home}/")) else { return Place::Other };
        let parts: Vec<&str> = rel.split('/').collect();
        match (product, parts.as_slice()) {
            (Product::Flink, ["lib", _]) => Place::FlinkLib,
            (Product::Flink, ["opt", _]) => Place::FlinkOpt,
            (Product::Flink, ["plugins", _]) => Place::FlinkPlugin(None),
            (Product::Flink, ["plugins", folder, _]) => Place::FlinkPlugin(Some(folder.to_string())),
            (Product::Spark, ["jars", _]) => Place::SparkJars,
            _ => Place::Other,
        }
    }

    fn is_jar_dir(&self, path: &str) -> bool {
        match self.home() {
            Some((Product::Flink, h)) => {
                ["lib", "opt", "plugins"].iter().any(|d| path.starts_with(&format!("{h}/{d}")))
            }
            Some((Product::Spark, h)) => path.starts_with(&format!("{h}/jars")),
            None => false,
        }
    }

    fn put(&mut self, path: String, mut jar: ImageJar) {
        if self.files.len() >= MAX_JARS && !self.files.contains_key(&path) {
            self.full = true;
            return;
        }
        jar.place = self.place(&path);
        jar.file_name = path.rsplit('/').next().unwrap_or("").to_string();
        jar.path = path.clone();
        if let Some(parent) = path.rsplit_once('/').map(|(p, _)| p.to_string()) {
            self.dirs.insert(parent);
        }
        self.files.insert(path, jar);
    }
}

/// Most jars tracked in one stage, operations followed in one file and stages in one file: far above any real
/// Dockerfile, and what keeps a hostile one linear.
const MAX_JARS: usize = 2048;
const MAX_OPS: usize = 20_000;
const MAX_STAGES: usize = 256;

struct Builder<'t> {
    ops: usize,
    file: FileId,
    text: &'t str,
    /// `--build-arg`s: they replace the defaults of the `ARG`s of their names.
    build_args: &'t [(String, String)],
    global: HashMap<String, Option<String>>,
    stages: Vec<Stage>,
    secrets: Vec<SecretVariable>,
    notes: Vec<Note>,
}

/// Builds the image model; errors are `(offset, message)`.
pub fn build<'t>(
    file: FileId,
    text: &'t str,
    d: &Dockerfile,
    args: &'t [(String, String)],
) -> Result<Image, (usize, String)> {
    let mut b = Builder {
        ops: 0,
        file,
        text,
        build_args: args,
        global: HashMap::new(),
        stages: Vec::new(),
        secrets: Vec::new(),
        notes: Vec::new(),
    };
    for ins in &d.instructions {
        b.instruction(ins, d.escape)?;
    }
    let Some(mut last) = b.stages.pop() else {
        let at = d.instructions.first().map_or(0, |i| i.keyword_at.start);
        return Err((at, "no FROM instruction: this Dockerfile builds no image".into()));
    };
    let base =
        last.base.clone().unwrap_or_else(|| Base { image: String::new(), at: b.loc(Span::default()), known: None });
    if base.known.is_none() {
        b.note(
            NoteKind::UnknownBase,
            base.at,
            format!(
                "base image `{}` is not a Flink or Spark image s3lint knows: its own jars are not known",
                base.image
            ),
        );
    }
    if last.full {
        b.note(NoteKind::UnfollowedRun, base.at, format!("more than {MAX_JARS} jars: the rest are not listed"));
    }
    let home = last.home();
    let mut enabled_plugins = Vec::new();
    for (name, at) in last.enabled.clone() {
        let folder = name.strip_suffix(".jar").unwrap_or(&name).to_string();
        let opt = home.as_ref().map(|(_, h)| format!("{h}/opt/{name}"));
        let found = opt.as_ref().and_then(|o| last.files.iter().find(|(p, _)| matches(o, p)).map(|(_, j)| j.clone()));
        let exists = match (&found, last.known()) {
            // Matched by a floating tag's `1.20.*`: likely there, but which patch the image has is not known.
            (Some(j), _) if j.path.contains('*') => None,
            (Some(_), _) => Some(true),
            // An exact tag, or a floating tag of a line that gets no more images (`flink:1.15` is 1.15.4): its
            // `opt/` is known, so a name not in it does not exist.
            (None, Some(k)) if crate::knowledge::images::knowledge().image_release(k).is_some_and(|r| r.exact) => {
                Some(false)
            }
            // A floating tag still names its line: a jar of another line is not in its opt/.
            (None, Some(k)) if crate::deployment::code::other_line(k, &name).is_some() => Some(false),
            _ => None,
        };
        if let (Some(mut j), Some((_, h))) = (found, &home) {
            j.origin = Origin::EnabledPlugin;
            j.at = Some(at);
            last.put(format!("{h}/plugins/{folder}/{name}"), j);
        }
        enabled_plugins.push(EnabledPlugin { jar: name, folder, exists, at });
    }
    let runs_as_root = match &last.user {
        // A user from a variable this Dockerfile does not define (`USER ${spark_uid}`: the base image's ARG does
        // not reach a derived build) is not known to be another user: nothing is claimed about it.
        Some((u, _)) if u.contains('$') || u.is_empty() => true,
        Some((u, _)) => u == "root" || u == "0" || u.starts_with("0:") || u.starts_with("root:"),
        None => last.known().is_none_or(|_| false),
    };
    let user = last.user.clone().or_else(|| last.known().map(|k| (k.runs_as.to_string(), None)));
    let user_name = user.as_ref().map(|(u, _)| u.split(':').next().unwrap_or("").to_string());
    let jars = last
        .files
        .into_values()
        .map(|mut j| {
            let owned_by_user = j.owner.as_deref().map(|o| o.split(':').next().unwrap_or("").to_string()) == user_name;
            j.root_only &= !runs_as_root && !owned_by_user;
            j
        })
        .collect();
    Ok(Image {
        file,
        base,
        stages: b.stages.len() + 1,
        jars,
        removed: last.removed,
        copied: last.copied,
        flink_properties: last.flink_properties,
        enabled_plugins,
        secrets: b.secrets,
        user,
        notes: b.notes,
    })
}

impl Builder<'_> {
    /// A location in the Dockerfile, its ends moved out to character boundaries.
    fn loc(&self, span: Span) -> Location {
        Location::new(self.file, on_boundaries(self.text, span))
    }

    fn note(&mut self, kind: NoteKind, at: Location, message: String) {
        self.notes.push(Note { kind, at, message: crate::redact::mask_text(&message) });
    }

    fn stage(&mut self) -> Option<&mut Stage> {
        self.stages.last_mut()
    }

    fn words(&self, ins: &Instruction, escape: char) -> Vec<Word> {
        let vars = |n: &str| self.lookup(n);
        Self::split(ins, escape, &vars)
    }

    /// A `FROM` line sees only the global `ARG`s (those before the first `FROM`).
    fn base_words(&self, ins: &Instruction, escape: char) -> Vec<Word> {
        let vars = |n: &str| match self.global.get(n) {
            Some(Some(v)) => Value::Known(v.clone()),
            _ => Value::Unknown,
        };
        Self::split(ins, escape, &vars)
    }

    fn split(ins: &Instruction, escape: char, vars: &dyn Fn(&str) -> Value) -> Vec<Word> {
        match &ins.args {
            Args::Shell(t) => words::words(t, escape, vars),
            Args::Exec(items) => items
                .iter()
                .map(|(s, at)| {
                    let (text, unknown) = words::expand(s, vars);
                    Word { text, at: *at, unknown, quoted: true }
                })
                .collect(),
        }
    }

    fn lookup(&self, name: &str) -> Value {
        let vars = self.stages.last().map_or(&self.global, |s| &s.vars);
        match vars.get(name) {
            Some(Some(v)) => Value::Known(v.clone()),
            _ => Value::Unknown,
        }
    }

    fn instruction(&mut self, ins: &Instruction, escape: char) -> Result<(), (usize, String)> {
        if ins.keyword == "FROM" {
            let words = self.base_words(ins, escape);
            return self.from(&words, ins);
        }
        let words = self.words(ins, escape);
        match ins.keyword.as_str() {
            "ARG" => self.arg(ins, escape),
            "ENV" => self.env(ins, escape),
            _ if self.stages.is_empty() => {
                return Err((ins.keyword_at.start, format!("{} before the first FROM", ins.keyword)));
            }
            "WORKDIR" => {
                if let Some(w) = words.first() {
                    let s = self.stage().expect("a stage");
                    s.workdir = resolve(&s.workdir, &w.text);
                    s.dirs.insert(s.workdir.clone());
                }
            }
            "USER" => {
                if let Some(w) = words.first() {
                    let at = self.loc(w.at);
                    self.stage().expect("a stage").user = Some((w.text.clone(), Some(at)));
                }
            }
            "COPY" | "ADD" => self.copy(ins, &words),
            "RUN" => self.run(ins),
            _ => {}
        }
        Ok(())
    }

    fn from(&mut self, words: &[Word], ins: &Instruction) -> Result<(), (usize, String)> {
        if self.stages.len() >= MAX_STAGES {
            return Err((ins.keyword_at.start, format!("more than {MAX_STAGES} stages")));
        }
        let Some(image) = words.first() else { return Ok(()) };
        let name = match words.get(1) {
            Some(w) if w.text.eq_ignore_ascii_case("as") => words.get(2).map(|n| n.text.to_ascii_lowercase()),
            _ => None,
        };
        let at = self.loc(image.at);
        let earlier = self.stages.iter().find(|s| s.name.as_deref() == Some(&image.text.to_ascii_lowercase()));
        let mut stage = match earlier {
            Some(parent) => {
                let mut s = parent.clone();
                s.removed.clear();
                s
            }
            None => {
                let known = image::known(&image.text);
                let mut s = Stage { workdir: "/".into(), ..Stage::default() };
                if let Some(k) = &known {
                    s.workdir = k.workdir.to_string();
                    s.vars.insert(k.home_var.to_string(), Some(k.home.to_string()));
                    s.dirs.extend(k.jar_dirs());
                    for (path, j) in shipped(k) {
                        s.put(path, j);
                    }
                }
                s.base = Some(Base { image: image.text.clone(), at, known });
                s
            }
        };
        stage.name = name;
        // A stage built on an earlier one inherits its ENV (part of the image) but not its ARGs (build-time
        // only); global ARGs are visible in a stage only when declared again there (`ARG NAME`).
        let args = std::mem::take(&mut stage.arg_names);
        stage.vars.retain(|k, _| !args.contains(k));
        self.stages.push(stage);
        Ok(())
    }

    /// `ARG NAME[=default] …`
    fn arg(&mut self, ins: &Instruction, escape: char) {
        for w in self.words(ins, escape) {
            let (name, value) = match w.text.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (w.text.clone(), None),
            };
            // `--build-arg NAME=value` wins over the default written here.
            let given = self.build_args.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone());
            let value = given.or(value);
            let value_at = value.as_ref().filter(|v| !v.is_empty()).map(|_| {
                let start = (w.at.start + name.len() + 1).min(w.at.end);
                self.loc(Span::new(start, w.at.end))
            });
            self.secret(&name, "ARG", self.loc(w.at), value_at);
            match self.stages.last_mut() {
                None => {
                    self.global.insert(name, value);
                }
                Some(stage) => {
                    let inherited = self.global.get(&name).cloned().flatten();
                    stage.arg_names.insert(name.clone());
                    stage.vars.insert(name, value.or(inherited));
                }
            }
        }
    }

    fn secret(&mut self, name: &str, instruction: &'static str, name_at: Location, value_at: Option<Location>) {
        if crate::redact::classify(name).is_some() {
            let name_at = Location::new(name_at.file, Span::new(name_at.span.start, name_at.span.start + name.len()));
            self.secrets.push(SecretVariable { name: name.to_string(), instruction, name_at, value_at });
        }
    }

    /// `ENV K=V …` or the legacy `ENV K V` (the rest of the line is the value).
    fn env(&mut self, ins: &Instruction, escape: char) {
        let Args::Shell(text) = &ins.args else { return };
        let raw_words = words::words(text, escape, &|_| Value::Unknown);
        let Some(first) = raw_words.first() else { return };
        let mut pairs: Vec<(String, String, Span, Span)> = Vec::new();
        if first.text.contains('=') {
            for w in &raw_words {
                let Some((k, _)) = w.text.split_once('=') else { continue };
                let value_start = (w.at.start + k.len() + 1).min(w.at.end);
                pairs.push((k.to_string(), String::new(), w.at, Span::new(value_start, w.at.end)));
            }
            // Expand with the values in force before this instruction.
            let expanded = self.words(ins, escape);
            for (p, w) in pairs.iter_mut().zip(expanded.iter().filter(|w| w.text.contains('='))) {
                p.1 = w.text.split_once('=').map(|(_, v)| v.to_string()).unwrap_or_default();
            }
        } else {
            let start = text.text.find(char::is_whitespace).unwrap_or(text.text.len());
            let rest = text.text[start..].trim_start();
            let rest_at = text.text.len() - rest.len();
            let (value, _) = words::expand(rest, &|n| self.lookup(n));
            pairs.push((first.text.clone(), value, first.at, text.span(rest_at, text.text.len())));
        }
        for (k, v, at, value_at) in pairs {
            let has_value = value_at.end > value_at.start;
            self.secret(&k, "ENV", self.loc(at), has_value.then(|| self.loc(value_at)));
            let file = self.file;
            let Some(stage) = self.stages.last_mut() else {
                self.global.insert(k, Some(v));
                continue;
            };
            match k.as_str() {
                "ENABLE_BUILT_IN_PLUGINS" => {
                    let mut find = Finder::new(self.text, value_at);
                    stage.enabled = v
                        .split([';', ' ', '\t', '\n'])
                        .filter(|n| !n.is_empty())
                        .map(|n| (n.to_string(), Location::new(file, find.next(n))))
                        .collect();
                }
                "FLINK_PROPERTIES" => {
                    stage.flink_properties = flink_properties(&v, Finder::new(self.text, value_at), file);
                }
                _ => {}
            }
            stage.arg_names.remove(&k);
            stage.vars.insert(k, Some(v));
        }
    }

    fn copy(&mut self, ins: &Instruction, words: &[Word]) {
        if !ins.heredocs.is_empty() || words.len() < 2 {
            return;
        }
        let (dest_word, sources) = words.split_last().expect("two words");
        let from = ins.flag("from").map(|f| f.value.to_ascii_lowercase());
        let chmod = ins.flag("chmod").is_some();
        let at = self.loc(ins.span);
        let from_stage = from.as_ref().and_then(|f| {
            self.stages
                .iter()
                .enumerate()
                .find(|(i, s)| s.name.as_deref() == Some(f.as_str()) || f.parse::<usize>().ok() == Some(*i))
                .map(|(_, s)| s.files.clone())
                // `COPY --from=<image>`: the jars that image ships.
                .or_else(|| image::known(f).map(|k| shipped(&k).into_iter().collect()))
        });
        let stage = self.stages.last_mut().expect("a stage");
        let dest = resolve(&stage.workdir, &dest_word.text);
        let into_dir = dest_word.text.ends_with('/') || sources.len() > 1 || stage.dirs.contains(&dest);
        let mut notes = Vec::new();
        for src in sources {
            let target = |name: &str| if into_dir { format!("{dest}/{name}") } else { dest.clone() };
            if let Some(files) = &from_stage {
                let pattern = resolve("/", &src.text);
                for (path, j) in
                    files.iter().filter(|(p, _)| matches(&pattern, p) || p.starts_with(&format!("{pattern}/")))
                {
                    let mut j = j.clone();
                    j.origin = Origin::Stage(from.clone().unwrap_or_default());
                    j.at = Some(at);
                    let rest = path.strip_prefix(&format!("{pattern}/")).unwrap_or(&j.file_name).to_string();
                    stage.put(
                        if into_dir || path.starts_with(&format!("{pattern}/")) {
                            format!("{dest}/{rest}")
                        } else {
                            dest.clone()
                        },
                        j,
                    );
                }
                continue;
            }
            let is_url = src.text.starts_with("http://") || src.text.starts_with("https://");
            let name = src.text.split(['?', '#']).next().unwrap_or("").rsplit('/').next().unwrap_or("").to_string();
            let file_name = if into_dir { name.clone() } else { dest.rsplit('/').next().unwrap_or("").to_string() };
            if src.unknown || dest_word.unknown {
                notes.push((
                    NoteKind::UnknownPath,
                    src.at,
                    format!("`{}` depends on a build argument not known when linting", src.text),
                ));
            }
            if is_url && ins.keyword == "ADD" {
                if file_name.ends_with(".jar") || name.ends_with(".jar") {
                    let mut j = jar(&file_name, Some(&src.text), Origin::Download(src.text.clone()), Some(at));
                    // ADD <url> writes the file with mode 600 unless --chmod says otherwise.
                    j.root_only = !chmod;
                    j.owner = ins.flag("chown").map(|f| f.value.clone());
                    stage.put(target(&name), j);
                }
            } else if name.ends_with(".jar") || file_name.ends_with(".jar") {
                let j = jar(&file_name, None, Origin::Context(src.text.clone()), Some(at));
                stage.put(target(&name), j);
            } else if !is_url && stage.copied.len() < MAX_JARS {
                // A file or folder of the build context: the configuration it may hold is read from the repository.
                let target = if into_dir && !src.text.ends_with('/') { target(&name) } else { dest.clone() };
                stage.copied.push(CopiedFile { source: src.text.clone(), target, at });
            }
            if !is_url && !name.ends_with(".jar") && !file_name.ends_with(".jar") && stage.is_jar_dir(&dest) {
                notes.push((NoteKind::ContextDirectory, src.at, format!("copies `{}` from the build context into `{dest}`: its jars are read from the repository, not from the Dockerfile", src.text)));
            }
        }
        for (kind, span, message) in notes {
            self.note(kind, self.loc(span), message);
        }
    }

    fn run(&mut self, ins: &Instruction) {
        let mut scripts: Vec<Text> = Vec::new();
        match &ins.args {
            Args::Shell(t) => {
                let before_heredoc = t.text.split("<<").next().unwrap_or("").trim();
                let shell_only = before_heredoc.is_empty()
                    || ["sh", "bash", "/bin/sh", "/bin/bash"]
                        .contains(&before_heredoc.split_whitespace().next().unwrap_or(""));
                if ins.heredocs.is_empty() || !shell_only {
                    scripts.push(t.clone());
                }
                if shell_only {
                    scripts.extend(ins.heredocs.iter().map(|h| Text::contiguous(&h.body, h.body_at.start)));
                }
            }
            Args::Exec(items) => {
                if let [(sh, _), (c, _), (script, at)] = items.as_slice()
                    && sh.ends_with("sh")
                    && c == "-c"
                {
                    scripts.push(Text::contiguous(script, at.start + 1));
                }
            }
        }
        for script in scripts {
            let stage = self.stages.last().expect("a stage");
            let vars = |n: &str| stage.value(n);
            let ops = shell::interpret(&script, &stage.workdir, &vars, &|p| stage.is_jar_dir(p));
            for op in ops {
                self.apply(op);
            }
        }
    }

    fn apply(&mut self, op: Op) {
        let (file, text) = (self.file, self.text);
        self.ops += 1;
        if self.ops > MAX_OPS {
            if self.ops == MAX_OPS + 1 {
                let at = self.loc(op_span(&op));
                self.note(
                    NoteKind::UnfollowedRun,
                    at,
                    format!("more than {MAX_OPS} file operations: the rest are not followed"),
                );
            }
            return;
        }
        let stage = self.stages.last_mut().expect("a stage");
        match op {
            Op::Mkdir { path } => {
                stage.dirs.insert(path);
            }
            Op::Download { url, dest, at } => {
                let name = url.split(['?', '#']).next().unwrap_or("").rsplit('/').next().unwrap_or("").to_string();
                let path = match dest {
                    Dest::File(p) => p,
                    Dest::Dir(d) => format!("{d}/{name}"),
                };
                let file_name = path.rsplit('/').next().unwrap_or("").to_string();
                if file_name.ends_with(".jar") || name.ends_with(".jar") {
                    let j = jar(
                        &file_name,
                        Some(&url),
                        Origin::Download(url.clone()),
                        Some(Location::new(file, on_boundaries(text, at))),
                    );
                    stage.put(path, j);
                }
            }
            Op::Copy { sources, dest, dest_is_dir, moves, at, .. } => {
                let into_dir = dest_is_dir || stage.dirs.contains(&dest);
                for pattern in sources {
                    let found: Vec<(String, ImageJar)> = stage
                        .files
                        .iter()
                        .filter(|(p, _)| matches(&pattern, p) || p.starts_with(&format!("{pattern}/")))
                        .map(|(p, j)| (p.clone(), j.clone()))
                        .collect();
                    if found.is_empty()
                        && pattern.contains(".jar")
                        && (stage.is_jar_dir(&dest) || stage.is_jar_dir(&pattern))
                    {
                        self.notes.push(Note {
                            kind: NoteKind::UnfollowedRun,
                            at: Location::new(file, on_boundaries(text, at)),
                            message: format!("`{pattern}` is not a jar s3lint knows the image to hold at this point; what this command places is not known"),
                        });
                    }
                    for (path, mut j) in found {
                        let under_dir = path.strip_prefix(&format!("{pattern}/")).map(str::to_string);
                        let new = match under_dir {
                            Some(rest) => format!("{dest}/{rest}"),
                            None if into_dir => format!("{dest}/{}", j.file_name),
                            None => dest.clone(),
                        };
                        if moves {
                            stage.files.remove(&path);
                        }
                        j.at = Some(Location::new(file, on_boundaries(text, at)));
                        stage.put(new, j);
                    }
                }
            }
            Op::Remove { paths, at } => {
                for pattern in paths {
                    let gone: Vec<String> = stage
                        .files
                        .keys()
                        .filter(|p| matches(&pattern, p) || p.starts_with(&format!("{pattern}/")))
                        .cloned()
                        .collect();
                    let names =
                        gone.iter().filter_map(|p| stage.files.remove(p)).map(|j| j.file_name).collect::<Vec<_>>();
                    if !names.is_empty() || pattern.contains(".jar") || stage.is_jar_dir(&pattern) {
                        stage.removed.push(Removed {
                            pattern,
                            jars: names,
                            at: Location::new(file, on_boundaries(text, at)),
                        });
                    }
                }
            }
            Op::Access { paths, owner } => {
                for pattern in paths {
                    let under = format!("{pattern}/");
                    for (_, j) in stage.files.iter_mut().filter(|(p, _)| matches(&pattern, p) || p.starts_with(&under))
                    {
                        match &owner {
                            Some(o) => j.owner = Some(o.clone()),
                            None => j.root_only = false,
                        }
                    }
                }
            }
            Op::Unfollowed { command, at } => self.notes.push(Note {
                kind: NoteKind::UnfollowedRun,
                at: Location::new(file, on_boundaries(text, at)),
                message: format!(
                    "this `{command}` command names a jar or jar directory, but s3lint does not follow what it places"
                ),
            }),
        }
    }
}

/// `span` widened to character boundaries of `text` (and clamped to it).
fn on_boundaries(text: &str, span: Span) -> Span {
    let (mut start, mut end) = (span.start.min(text.len()), span.end.min(text.len()));
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    Span::new(start, end.max(start))
}

/// The command an operation came from (a `mkdir` has none of its own: the start of the file).
fn op_span(op: &Op) -> Span {
    match op {
        Op::Download { at, .. } | Op::Copy { at, .. } | Op::Remove { at, .. } | Op::Unfollowed { at, .. } => *at,
        Op::Mkdir { .. } | Op::Access { .. } => Span::default(),
    }
}

/// The S3 jars a known image's distribution ships, by path. Each is versioned from its own name, which the image
/// knowledge derived from the tag (Spark's Hadoop client jars carry the Hadoop release, not Spark's); a name with
/// a `*` (the patch of a floating tag) gets the tag's minor version, marked as not known.
fn shipped(k: &KnownImage) -> Vec<(String, ImageJar)> {
    let Some(v) = &k.version else { return Vec::new() };
    k.shipped_jars()
        .into_iter()
        .map(|path| {
            let name = path.rsplit('/').next().unwrap_or("");
            let mut j = jar(name, None, Origin::Base, None);
            if name.contains('*') {
                j.artifact.version = Some(v.version.clone());
                j.version_from = VersionFrom::Unknown;
            } else {
                j.version_from = VersionFrom::ImageTag;
            }
            j.path = path.clone();
            j.file_name = name.to_string();
            (path, j)
        })
        .collect()
}
