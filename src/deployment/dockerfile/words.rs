//! Words and variables: how the Dockerfile frontend splits an instruction's shell-form arguments into words
//! (quotes, the escape character) and expands `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR:+alt}`, `${VAR-x}`,
//! `${VAR#prefix}`, `${VAR%suffix}` — and the same for the POSIX shell of a `RUN` line, which also has operators
//! (`&&`, `||`, `;`, `|`, redirections) and command substitutions (`$(…)`, backticks), whose output is unknown.
//!
//! A word that uses a variable whose value is not known when linting (an `ARG` without a default, set with
//! `--build-arg`; a name defined nowhere in the file; a command substitution) is marked `unknown`.

use crate::source::Span;

use super::parse::Text;

/// What a name stands for when a word is expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A value known from the Dockerfile (an `ENV`, an `ARG` default, the base image's known environment).
    Known(String),
    /// Declared without a value (`ARG VERSION`: given with `--build-arg` at build time) or defined nowhere.
    Unknown,
}

/// One word after quote removal and expansion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The word after expansion (unknown variables left as `${NAME}`).
    pub text: String,
    /// Where the word is written in the file.
    pub at: Span,
    /// True when some part of the word is not known when linting.
    pub unknown: bool,
    /// True when a quote or escape was part of the word (then `*` is not a glob to the shell).
    pub quoted: bool,
}

/// A token of a shell command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// A word.
    Word(Word),
    /// An operator that ends a simple command (`&&`, `||`, `;`, `|`, `&`, a newline, `(`, `)`).
    Separator(String, Span),
    /// A redirection (`>`, `>>`, `<`, `2>`, `&>`); the next word is its target.
    Redirect(String, Span),
}

/// Splits `text[start..]` into words the way the Dockerfile frontend does (no operators).
pub fn words(text: &Text, escape: char, vars: &dyn Fn(&str) -> Value) -> Vec<Word> {
    lex(text, escape, false, vars)
        .into_iter()
        .filter_map(|t| match t {
            Token::Word(w) => Some(w),
            _ => None,
        })
        .collect()
}

/// Splits a shell command line into words and operators, expanding variables from `vars`.
pub fn shell_tokens(text: &Text, vars: &dyn Fn(&str) -> Value) -> Vec<Token> {
    lex(text, '\\', true, vars)
}

/// Expands variables in a string that is not split into words (an `ENV` value already unquoted).
pub fn expand(s: &str, vars: &dyn Fn(&str) -> Value) -> (String, bool) {
    let mut out = String::new();
    let mut unknown = false;
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '$' {
            let (text, unk, next) = dollar(&chars, i, vars);
            out.push_str(&text);
            unknown |= unk;
            i = next;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    (out, unknown)
}

fn lex(text: &Text, escape: char, shell: bool, vars: &dyn Fn(&str) -> Value) -> Vec<Token> {
    let s = &text.text;
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let only: Vec<char> = chars.iter().map(|(_, c)| *c).collect();
    let byte = |i: usize| chars.get(i).map_or(s.len(), |(b, _)| *b);
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = only[i];
        if c == '\n' && shell {
            out.push(Token::Separator("\n".into(), text.span(byte(i), byte(i + 1))));
            i += 1;
            continue;
        }
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if shell && c == '\\' && only.get(i + 1) == Some(&'\n') {
            i += 2;
            continue;
        }
        if shell && c == '#' {
            while i < chars.len() && only[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if shell {
            let two: String = only[i..(i + 2).min(only.len())].iter().collect();
            let op = if ["&&", "||", ">>", "&>", "2>"].contains(&two.as_str()) {
                Some(two.clone())
            } else if matches!(c, ';' | '|' | '&' | '(' | ')' | '>' | '<') {
                Some(c.to_string())
            } else {
                None
            };
            if let Some(op) = op {
                let n = op.chars().count();
                let span = text.span(byte(i), byte(i + n));
                let is_redirect = op.contains(['>', '<']);
                i += n;
                if is_redirect {
                    // `2>&1`, `>&2`: a descriptor, not a file.
                    if only.get(i) == Some(&'&') {
                        while i < chars.len() && !only[i].is_whitespace() && !matches!(only[i], ';' | '|') {
                            i += 1;
                        }
                        continue;
                    }
                    out.push(Token::Redirect(op, span));
                } else {
                    out.push(Token::Separator(op, span));
                }
                continue;
            }
        }
        // A word.
        let start = i;
        let mut word = String::new();
        let mut unknown = false;
        let mut quoted = false;
        while i < chars.len() {
            let c = only[i];
            if c.is_whitespace() || (shell && matches!(c, ';' | '|' | '&' | '(' | ')' | '>' | '<')) {
                break;
            }
            if c == escape {
                quoted = true;
                if let Some(n) = only.get(i + 1) {
                    if !(shell && *n == '\n') {
                        word.push(*n);
                    }
                    i += 2;
                } else {
                    i += 1;
                }
            } else if c == '\'' {
                quoted = true;
                i += 1;
                while i < chars.len() && only[i] != '\'' {
                    word.push(only[i]);
                    i += 1;
                }
                i += 1;
            } else if c == '"' {
                quoted = true;
                i += 1;
                while i < chars.len() && only[i] != '"' {
                    if only[i] == escape && matches!(only.get(i + 1), Some('"' | '$' | '`') | Some('\\')) {
                        word.push(only[i + 1]);
                        i += 2;
                    } else if only[i] == '$' {
                        let (t, u, next) = dollar(&only, i, vars);
                        word.push_str(&t);
                        unknown |= u;
                        i = next;
                    } else if shell && only[i] == '`' {
                        unknown = true;
                        i = skip_backticks(&only, i);
                    } else {
                        word.push(only[i]);
                        i += 1;
                    }
                }
                i += 1;
            } else if c == '$' {
                let (t, u, next) = dollar(&only, i, vars);
                word.push_str(&t);
                unknown |= u;
                i = next;
            } else if shell && c == '`' {
                unknown = true;
                i = skip_backticks(&only, i);
            } else {
                word.push(c);
                i += 1;
            }
        }
        let end = i.min(chars.len());
        out.push(Token::Word(Word { text: word, at: text.span(byte(start), byte(end)), unknown, quoted }));
    }
    out
}

fn skip_backticks(chars: &[char], open: usize) -> usize {
    let mut i = open + 1;
    while i < chars.len() && chars[i] != '`' {
        i += 1;
    }
    i + 1
}

/// Expands the `$…` at `chars[i]`: `(text, unknown, index after it)`.
fn dollar(chars: &[char], i: usize, vars: &dyn Fn(&str) -> Value) -> (String, bool, usize) {
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_';
    match chars.get(i + 1) {
        Some('{') => {
            let mut j = i + 2;
            let mut depth = 1;
            while j < chars.len() {
                match chars[j] {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            let inner: String = chars[i + 2..j.min(chars.len())].iter().collect();
            let (text, unknown) = braced(&inner, vars);
            (text, unknown, (j + 1).min(chars.len()))
        }
        Some('(') => {
            // Command substitution (or arithmetic): its output is not known.
            let mut j = i + 2;
            let mut depth = 1;
            while j < chars.len() && depth > 0 {
                match chars[j] {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                j += 1;
            }
            ("$(…)".to_string(), true, j)
        }
        Some(c) if is_name(*c) => {
            let mut j = i + 1;
            while j < chars.len() && is_name(chars[j]) {
                j += 1;
            }
            let name: String = chars[i + 1..j].iter().collect();
            match vars(&name) {
                Value::Known(v) => (v, false, j),
                Value::Unknown => (format!("${{{name}}}"), true, j),
            }
        }
        _ => ("$".to_string(), false, i + 1),
    }
}

/// Most `${` inside one `${…}` that are expanded.
const MAX_NESTED: usize = 16;

/// `${…}` with its operators.
fn braced(inner: &str, vars: &dyn Fn(&str) -> Value) -> (String, bool) {
    if inner.matches("${").count() > MAX_NESTED {
        // Defaults nested deeper than anyone writes: not expanded (and no deep recursion on hostile input).
        return (format!("${{{inner}}}"), true);
    }
    let name_end = inner.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(inner.len());
    let (name, op) = inner.split_at(name_end);
    let value = match vars(name) {
        Value::Known(v) => Some(v),
        Value::Unknown => None,
    };
    let set = value.as_deref().is_some_and(|v| !v.is_empty());
    let arg = |prefix: &str| expand(&op[prefix.len()..], vars);
    let unknown_self = || (format!("${{{name}}}"), true);
    let known = || value.clone().map_or((String::new(), true), |v| (v, false));
    if op.is_empty() {
        return value.map_or_else(unknown_self, |v| (v, false));
    }
    if op.starts_with(":-") {
        // An unknown value with a default: the default is what the file expects (a --build-arg may differ).
        return if set { known() } else { arg(":-") };
    }
    if op.starts_with('-') {
        return if value.is_some() { known() } else { arg("-") };
    }
    if op.starts_with(":+") {
        return if set { arg(":+") } else { (String::new(), value.is_none()) };
    }
    if op.starts_with('+') {
        return if value.is_some() { arg("+") } else { (String::new(), true) };
    }
    if op.starts_with(":?") {
        return known();
    }
    if op.starts_with('%') || op.starts_with('#') {
        let Some(v) = value else { return unknown_self() };
        let n = if op.starts_with("%%") || op.starts_with("##") { 2 } else { 1 };
        let (pat, unk) = expand(&op[n..], vars);
        let cut = if op.starts_with('%') { v.strip_suffix(pat.as_str()) } else { v.strip_prefix(pat.as_str()) };
        return (cut.unwrap_or(&v).to_string(), unk);
    }
    unknown_self()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Text {
        Text::contiguous(s, 0)
    }

    fn vars(name: &str) -> Value {
        match name {
            "FLINK_HOME" => Value::Known("/opt/flink".into()),
            "V" => Value::Known("1.17.1".into()),
            "EMPTY" => Value::Known(String::new()),
            _ => Value::Unknown,
        }
    }

    #[test]
    fn dockerfile_words_quote_and_expand() {
        let w = words(&text(r#"$FLINK_HOME/opt/flink-s3-fs-hadoop-${V}.jar "a b" 'x$V' c\ d ${NOPE}/x"#), '\\', &vars);
        let t: Vec<&str> = w.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(t, ["/opt/flink/opt/flink-s3-fs-hadoop-1.17.1.jar", "a b", "x$V", "c d", "${NOPE}/x"]);
        assert!(!w[0].unknown && w[4].unknown);
        assert_eq!(w[1].at, Span::new(44, 49));
    }

    #[test]
    fn operators_of_braced_expansion() {
        let e = |s: &str| expand(s, &vars);
        assert_eq!(e("${NOPE:-3.3.4}"), ("3.3.4".into(), false));
        assert_eq!(e("${EMPTY:-d}"), ("d".into(), false));
        assert_eq!(e("${EMPTY-d}"), ("".into(), false));
        assert_eq!(e("${V:+set}"), ("set".into(), false));
        assert_eq!(e("${V%.1}"), ("1.17".into(), false));
        assert_eq!(e("${V#1.}"), ("17.1".into(), false));
        assert_eq!(e("x-${NOPE}"), ("x-${NOPE}".into(), true));
    }

    #[test]
    fn shell_tokens_split_at_operators_and_mark_substitutions() {
        let toks = shell_tokens(&text("cd /x && wget -O a.jar \"$(cat u)\"; ls>out 2>&1 | tee"), &vars);
        let kinds: Vec<String> = toks
            .iter()
            .map(|t| match t {
                Token::Word(w) => format!("{}{}", w.text, if w.unknown { "?" } else { "" }),
                Token::Separator(s, _) => format!("[{s}]"),
                Token::Redirect(s, _) => format!("<{s}>"),
            })
            .collect();
        assert_eq!(
            kinds,
            ["cd", "/x", "[&&]", "wget", "-O", "a.jar", "$(…)?", "[;]", "ls", "<>>", "out", "[|]", "tee"]
        );
    }
}
