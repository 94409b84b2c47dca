//! The Dockerfile's own syntax, as BuildKit's Dockerfile frontend reads it: parser directives at the top
//! (`# escape=`` ` ``, `# syntax=`), comment lines (also inside a continued instruction), line continuations with
//! the escape character (white space after it allowed), empty continuation lines, heredocs (`<<EOF`, `<<-EOF`,
//! `<<"EOF"`) on `RUN`, `COPY` and `ADD`, `--flag=value` options, and the exec (JSON array) and shell forms.
//!
//! Every piece keeps its byte span in the file, through continuations, so what is built from it points at the
//! line and column the user wrote.

use crate::source::Span;

/// A piece of an instruction joined across continuation lines, with a map back to the file's bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text {
    /// The text with continuations and comment lines removed.
    pub text: String,
    /// `(offset in text, offset in file)` at the start of each joined piece, in order.
    map: Vec<(usize, usize)>,
}

impl Text {
    /// A text that is written contiguously in the file from `file_offset` (a heredoc body).
    pub fn contiguous(text: &str, file_offset: usize) -> Text {
        let mut t = Text::default();
        t.push(text, file_offset);
        t
    }

    fn push(&mut self, piece: &str, file_offset: usize) {
        if piece.is_empty() {
            return;
        }
        self.map.push((self.text.len(), file_offset));
        self.text.push_str(piece);
    }

    /// The file offset of byte `at` of the text.
    pub fn file_offset(&self, at: usize) -> usize {
        let i = self.map.partition_point(|(t, _)| *t <= at).saturating_sub(1);
        match self.map.get(i) {
            Some((t, f)) => f + (at - t),
            None => 0,
        }
    }

    /// The file span of `start..end` of the text (from the first byte to just after the last character).
    pub fn span(&self, start: usize, end: usize) -> Span {
        if end <= start {
            let at = self.file_offset(start.min(self.text.len().saturating_sub(1)));
            return Span::new(at, at);
        }
        let mut last = (end - 1).min(self.text.len().saturating_sub(1));
        while !self.text.is_char_boundary(last) {
            last -= 1;
        }
        let width = self.text[last..].chars().next().map_or(1, char::len_utf8);
        Span::new(self.file_offset(start), self.file_offset(last) + width)
    }
}

/// A `--name=value` option of an instruction (`--from=build`, `--chown=flink`, `--platform=$BUILDPLATFORM`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// The name without `--`.
    pub name: String,
    /// The value as written (empty for `--link`).
    pub value: String,
    /// Where the option is written.
    pub at: Span,
}

/// A heredoc body of an instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    /// The delimiter word.
    pub delimiter: String,
    /// The body (without the delimiter line; leading tabs removed for `<<-`).
    pub body: String,
    /// Where the body is.
    pub body_at: Span,
    /// False when the delimiter is quoted (`<<"EOF"`): the body is not expanded.
    pub expands: bool,
}

/// The arguments of an instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Args {
    /// Shell form: the rest of the line after the options.
    Shell(Text),
    /// Exec form: a JSON array of strings, each with its span.
    Exec(Vec<(String, Span)>),
}

/// One instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// The keyword, upper-cased (`FROM`, `RUN`, ...).
    pub keyword: String,
    /// Where the keyword is written.
    pub keyword_at: Span,
    /// The options before the arguments.
    pub flags: Vec<Flag>,
    /// The arguments.
    pub args: Args,
    /// Heredoc bodies, in order.
    pub heredocs: Vec<Heredoc>,
    /// From the keyword to the end of the last line of the instruction (heredocs included).
    pub span: Span,
}

impl Instruction {
    /// The value of option `name`, if given.
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }
}

/// A parsed Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dockerfile {
    /// The escape character (`\` unless `# escape=` says otherwise).
    pub escape: char,
    /// The instructions, in order.
    pub instructions: Vec<Instruction>,
}

/// Why the text is not a Dockerfile BuildKit would build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Byte offset of the problem.
    pub at: usize,
    /// What is wrong.
    pub message: String,
}

/// The lines of a text: `(start offset, line without terminator, offset after its terminator)`.
fn lines(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        let body = body.strip_suffix('\r').unwrap_or(body);
        out.push((start, body));
        start += line.len();
    }
    out
}

/// Reads the parser directives at the top of the file; returns the escape character.
fn directives(lines: &[(usize, &str)]) -> Result<char, ParseError> {
    let mut escape = '\\';
    for (start, line) in lines {
        let Some(rest) = line.trim_start().strip_prefix('#') else { break };
        let Some((name, value)) = rest.split_once('=') else { break };
        let name = name.trim().to_ascii_lowercase();
        if name.is_empty() || name.contains(char::is_whitespace) {
            break;
        }
        if name == "escape" {
            escape = match value.trim() {
                "\\" => '\\',
                "`" => '`',
                other => {
                    return Err(ParseError {
                        at: *start,
                        message: format!("invalid escape directive `{other}`: must be ` or \\"),
                    });
                }
            };
        }
    }
    Ok(escape)
}

/// The line without a trailing continuation (escape character then optional white space), if it has one.
fn continued(line: &str, escape: char) -> Option<&str> {
    let trimmed = line.trim_end_matches([' ', '\t']);
    trimmed.strip_suffix(escape)
}

/// Parses a whole Dockerfile.
pub fn parse(text: &str) -> Result<Dockerfile, ParseError> {
    let lines = lines(text);
    let escape = directives(&lines)?;
    let mut instructions = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let (start, line) = lines[i];
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            i += 1;
            continue;
        }
        let indent = line.len() - trimmed.len();
        // Join continuation lines; comment and empty lines inside are dropped.
        let mut joined = Text::default();
        let mut end = start + line.len();
        let mut current = (start + indent, trimmed);
        loop {
            let (at, piece) = current;
            match continued(piece, escape) {
                Some(head) => {
                    joined.push(head, at);
                    i += 1;
                    let mut next = None;
                    while i < lines.len() {
                        let (s, l) = lines[i];
                        let t = l.trim_start();
                        if t.starts_with('#') || t.is_empty() {
                            i += 1;
                            continue;
                        }
                        next = Some((s, l));
                        break;
                    }
                    match next {
                        Some((s, l)) => {
                            end = s + l.len();
                            current = (s, l);
                        }
                        None => break,
                    }
                }
                None => {
                    joined.push(piece, at);
                    end = at + piece.len();
                    i += 1;
                    break;
                }
            }
        }
        let mut instruction = instruction(joined)?;
        // Heredoc bodies follow the instruction's last line.
        if matches!(instruction.keyword.as_str(), "RUN" | "COPY" | "ADD")
            && let Args::Shell(args) = &instruction.args
        {
            for (delimiter, strip_tabs, expands) in heredoc_openers(&args.text) {
                let body_start = lines.get(i).map_or(text.len(), |(s, _)| *s);
                let mut body = String::new();
                let mut closed = false;
                while i < lines.len() {
                    let (s, l) = lines[i];
                    i += 1;
                    let l2 = if strip_tabs { l.trim_start_matches('\t') } else { l };
                    if l2 == delimiter {
                        end = s + l.len();
                        closed = true;
                        break;
                    }
                    body.push_str(l2);
                    body.push('\n');
                    end = s + l.len();
                }
                if !closed {
                    return Err(ParseError {
                        at: instruction.keyword_at.start,
                        message: format!("heredoc `<<{delimiter}` is never closed by a `{delimiter}` line"),
                    });
                }
                let body_end = body_start + body.len().min(end.saturating_sub(body_start));
                instruction.heredocs.push(Heredoc {
                    delimiter,
                    body,
                    body_at: Span::new(body_start, body_end),
                    expands,
                });
            }
        }
        instruction.span = Span::new(instruction.keyword_at.start, end);
        instructions.push(instruction);
    }
    Ok(Dockerfile { escape, instructions })
}

/// The heredocs a shell-form line opens: `(delimiter, strip leading tabs, body expands)`.
fn heredoc_openers(args: &str) -> Vec<(String, bool, bool)> {
    let mut out = Vec::new();
    let mut rest = args;
    while let Some(at) = rest.find("<<") {
        let mut after = &rest[at + 2..];
        let strip = after.starts_with('-');
        if strip {
            after = &after[1..];
        }
        let (quoted, inner) = match after.chars().next() {
            Some(q @ ('"' | '\'')) => (true, after[1..].split(q).next().unwrap_or("")),
            _ => (false, after),
        };
        let word: String = inner.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        if !word.is_empty() && !after.starts_with('<') {
            out.push((word, strip, !quoted));
        }
        rest = &rest[at + 2..];
    }
    out
}

/// Splits one joined instruction into keyword, options and arguments.
fn instruction(joined: Text) -> Result<Instruction, ParseError> {
    let text = joined.text.as_str();
    let kw_end = text.find(char::is_whitespace).unwrap_or(text.len());
    let keyword = text[..kw_end].to_ascii_uppercase();
    let keyword_at = joined.span(0, kw_end);
    if !KEYWORDS.contains(&keyword.as_str()) {
        return Err(ParseError {
            at: keyword_at.start,
            message: format!("unknown instruction `{}`", crate::redact::quote_prefix(&text[..kw_end])),
        });
    }
    let mut pos = kw_end;
    let skip_ws = |p: &mut usize| {
        while text[*p..].starts_with(char::is_whitespace) {
            *p += text[*p..].chars().next().map_or(1, char::len_utf8);
        }
    };
    skip_ws(&mut pos);
    let mut flags = Vec::new();
    let takes_flags = matches!(keyword.as_str(), "FROM" | "COPY" | "ADD" | "RUN" | "HEALTHCHECK");
    while takes_flags && text[pos..].starts_with("--") {
        let end = pos + text[pos..].find(char::is_whitespace).unwrap_or(text.len() - pos);
        let word = &text[pos + 2..end];
        let (name, value) = word.split_once('=').unwrap_or((word, ""));
        flags.push(Flag { name: name.to_string(), value: value.to_string(), at: joined.span(pos, end) });
        pos = end;
        skip_ws(&mut pos);
    }
    let rest = text[pos..].trim_end();
    let args = match exec_form(rest) {
        Some(items) if keyword_takes_exec(&keyword) => {
            let mut out = Vec::new();
            let mut search = pos;
            for item in items {
                // Point each item at where its (unescaped) text starts in the array; JSON escapes are rare.
                let at = text[search..].find('"').map_or(search, |q| search + q);
                let close = closing_quote(text, at).unwrap_or(text.len());
                out.push((item, joined.span(at, close + 1)));
                search = (close + 1).min(text.len());
            }
            Args::Exec(out)
        }
        _ => {
            let mut args = Text::default();
            for (t, f) in joined.map.iter().enumerate().map(|(k, m)| (k, *m)) {
                let next = joined.map.get(t + 1).map_or(text.len(), |m| m.0);
                let (ts, fs) = f;
                if next <= pos {
                    continue;
                }
                let from = ts.max(pos);
                let to = next.min(pos + rest.len());
                if from < to {
                    args.push(&text[from..to], fs + (from - ts));
                }
            }
            Args::Shell(args)
        }
    };
    Ok(Instruction { keyword, keyword_at, flags, args, heredocs: Vec::new(), span: keyword_at })
}

/// The instructions BuildKit knows; any other word at the start of an instruction is an error.
const KEYWORDS: &[&str] = &[
    "FROM",
    "RUN",
    "CMD",
    "LABEL",
    "MAINTAINER",
    "EXPOSE",
    "ENV",
    "ADD",
    "COPY",
    "ENTRYPOINT",
    "VOLUME",
    "USER",
    "WORKDIR",
    "ARG",
    "ONBUILD",
    "STOPSIGNAL",
    "HEALTHCHECK",
    "SHELL",
];

/// The offset of the `"` that closes the JSON string opening at `open`.
fn closing_quote(text: &str, open: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// Instructions whose arguments may be a JSON array.
fn keyword_takes_exec(keyword: &str) -> bool {
    matches!(keyword, "RUN" | "CMD" | "ENTRYPOINT" | "COPY" | "ADD" | "SHELL" | "VOLUME" | "HEALTHCHECK")
}

/// The strings of a JSON array of strings, or `None` when the text is not one (then it is shell form).
fn exec_form(rest: &str) -> Option<Vec<String>> {
    if !rest.starts_with('[') {
        return None;
    }
    serde_json::from_str::<Vec<String>>(rest).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shell(i: &Instruction) -> &str {
        match &i.args {
            Args::Shell(t) => &t.text,
            Args::Exec(_) => panic!("exec form"),
        }
    }

    #[test]
    fn continuations_and_comment_lines_are_joined_with_spans() {
        let text = "FROM flink:1.17.1\nRUN cp a \\\n# a comment inside\n\n    b  \\  \n  && ls\nUSER flink\n";
        let d = parse(text).unwrap();
        assert_eq!(d.instructions.len(), 3);
        let run = &d.instructions[1];
        assert_eq!(run.keyword, "RUN");
        assert_eq!(shell(run), "cp a     b    && ls");
        let Args::Shell(t) = &run.args else { unreachable!() };
        let b = t.text.find('b').unwrap();
        assert_eq!(&text[t.span(b, b + 1).start..t.span(b, b + 1).end], "b");
        let ls = t.text.find("ls").unwrap();
        assert_eq!(&text[t.span(ls, ls + 2).start..t.span(ls, ls + 2).end], "ls");
        assert_eq!(&text[run.span.start..run.span.end], "RUN cp a \\\n# a comment inside\n\n    b  \\  \n  && ls");
    }

    #[test]
    fn escape_directive_switches_the_continuation_character() {
        let text = "# escape=`\nFROM mcr.microsoft.com/windows\nRUN dir c:\\ `\n  && echo hi\n";
        let d = parse(text).unwrap();
        assert_eq!(d.escape, '`');
        assert_eq!(shell(&d.instructions[1]), "dir c:\\   && echo hi");
        let bad = parse("# escape=x\nFROM a\n").unwrap_err();
        assert_eq!(bad.at, 0);
        // A directive after the first instruction is a comment.
        assert_eq!(parse("FROM a\n# escape=`\nRUN a \\\n b\n").unwrap().escape, '\\');
    }

    #[test]
    fn exec_form_flags_and_heredocs() {
        let text = "FROM a AS b\nCOPY --from=build --chown=flink:flink [\"x.jar\", \"/opt/flink/lib/\"]\n\
                    RUN <<EOF\nset -e\ncp /a.jar /b/\nEOF\nRUN <<-'END' bash\n\tmv x y\n\tEND\nCMD [\"help\"]\n";
        let d = parse(text).unwrap();
        let copy = &d.instructions[1];
        assert_eq!(copy.flag("from").unwrap().value, "build");
        assert_eq!(copy.flag("chown").unwrap().value, "flink:flink");
        let Args::Exec(items) = &copy.args else { panic!("exec form") };
        assert_eq!(items[1].0, "/opt/flink/lib/");
        assert_eq!(&text[items[1].1.start..items[1].1.end], "\"/opt/flink/lib/\"");
        let run = &d.instructions[2];
        assert_eq!(run.heredocs[0].body, "set -e\ncp /a.jar /b/\n");
        assert_eq!(&text[run.heredocs[0].body_at.start..run.heredocs[0].body_at.end], "set -e\ncp /a.jar /b/\n");
        assert!(run.heredocs[0].expands);
        let run2 = &d.instructions[3];
        assert_eq!(run2.heredocs[0].body, "mv x y\n");
        assert!(!run2.heredocs[0].expands);
        assert_eq!(d.instructions[4].keyword, "CMD");
        let unclosed = parse("FROM a\nRUN <<EOF\nls\n").unwrap_err();
        assert!(unclosed.message.contains("never closed"), "{}", unclosed.message);
    }

    #[test]
    fn a_non_keyword_is_an_error_at_its_position() {
        let e = parse("FROM a\n  cp x y\n").unwrap_err();
        assert_eq!(e.at, 9);
        let e = parse("FROM a\n{\"x\": 1}\n").unwrap_err();
        assert_eq!(e.at, 7);
    }
}
