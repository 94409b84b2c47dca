//! The unified diff of a file's edits (`check --diff`), made from the edits themselves: each hunk holds the
//! lines an edit touches and up to three lines of context on each side, line endings as in the file (a CRLF
//! file's lines keep their `\r`), `\ No newline at end of file` where the file ends without one. A secret is
//! never printed: context stops before a line that holds one, and a changed line that holds one is not shown
//! at all (its edit is listed by [`unified`] as hidden; `--fix` still makes it).

use crate::source::{SourceFile, Span};

use super::edits::{TextEdit, apply, line_end, line_start};

/// Lines of context on each side of a change.
const CONTEXT: usize = 3;

/// A group of edits over the same lines: lines `first..first + old.len()` become `new`.
struct Change {
    first: usize,
    old: Vec<String>,
    new: Vec<String>,
}

/// The diff of `edits` (this file's, sorted and not overlapping) as `--- a/PATH` / `+++ b/PATH` hunks, and the
/// edits left out because their lines hold a secret.
pub fn unified<'e>(file: &SourceFile, path: &str, edits: &[&'e TextEdit]) -> (String, Vec<&'e TextEdit>) {
    let text = file.text.as_str();
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1).filter(|i| *i < text.len()))
        .filter(|_| !text.is_empty())
        .collect();
    let line_of = |offset: usize| starts.partition_point(|s| *s < offset);
    let lines = |s: &str| s.split_inclusive('\n').map(str::to_string).collect::<Vec<_>>();
    let secret = |span: Span| file.secret_spans().iter().any(|s| s.start < span.end && span.start < s.end);
    let line_span = |i: usize| Span::new(starts[i], starts.get(i + 1).copied().unwrap_or(text.len()));

    let mut hidden = Vec::new();
    let mut changes: Vec<Change> = Vec::new();
    let mut i = 0;
    while i < edits.len() {
        let (gs, mut ge) = bounds(text, edits[i].span);
        let mut j = i + 1;
        while j < edits.len() && bounds(text, edits[j].span).0 < ge {
            ge = ge.max(bounds(text, edits[j].span).1);
            j += 1;
        }
        let group = &edits[i..j];
        if gs < ge && secret(Span::new(gs, ge)) {
            hidden.extend_from_slice(group);
        } else {
            let shifted: Vec<TextEdit> = group
                .iter()
                .map(|e| TextEdit { span: Span::new(e.span.start - gs, e.span.end - gs), ..(*e).clone() })
                .collect();
            let new = apply(&text[gs..ge], &shifted.iter().collect::<Vec<_>>());
            changes.push(Change { first: line_of(gs), old: lines(&text[gs..ge]), new: lines(&new) });
        }
        i = j;
    }
    if changes.is_empty() {
        return (String::new(), hidden);
    }
    let clean = |i: usize| i < starts.len() && !secret(line_span(i));
    let context = |i: usize| text[line_span(i).start..line_span(i).end].to_string();
    let mut out = format!("--- a/{path}\n+++ b/{path}\n");
    let mut delta: isize = 0;
    let mut c = 0;
    while c < changes.len() {
        // The changes of one hunk: those separated by at most twice the context, with no secret between.
        let mut d = c + 1;
        while d < changes.len() {
            let end = changes[d - 1].first + changes[d - 1].old.len();
            let gap = changes[d].first.saturating_sub(end);
            if gap > 2 * CONTEXT || !(end..changes[d].first).all(clean) {
                break;
            }
            d += 1;
        }
        let first = changes[c].first;
        let before = (1..=CONTEXT).take_while(|k| first >= *k && clean(first - k)).count();
        let last = changes[d - 1].first + changes[d - 1].old.len();
        let after = (0..CONTEXT).take_while(|k| clean(last + k)).count();
        let mut body: Vec<(char, String)> = (first - before..first).map(|l| (' ', context(l))).collect();
        let mut at = first;
        for ch in &changes[c..d] {
            body.extend((at..ch.first).map(|l| (' ', context(l))));
            body.extend(ch.old.iter().map(|l| ('-', l.clone())));
            body.extend(ch.new.iter().map(|l| ('+', l.clone())));
            at = ch.first + ch.old.len();
        }
        body.extend((last..last + after).map(|l| (' ', context(l))));
        let old_count = body.iter().filter(|(k, _)| *k != '+').count();
        let new_count = body.iter().filter(|(k, _)| *k != '-').count();
        let old_start = first - before + usize::from(old_count > 0);
        let new_start = (first - before) as isize + delta + isize::from(new_count > 0);
        out.push_str(&format!("@@ -{old_start},{old_count} +{new_start},{new_count} @@\n"));
        for (kind, line) in body {
            out.push(kind);
            out.push_str(&line);
            if !line.ends_with('\n') {
                out.push_str("\n\\ No newline at end of file\n");
            }
        }
        delta += new_count as isize - old_count as isize;
        c = d;
    }
    (out, hidden)
}

/// The whole lines an edit touches: from the start of its first line to past the line break of its last (an
/// insertion at the start of a line touches no line).
fn bounds(text: &str, span: Span) -> (usize, usize) {
    let start = line_start(text, span.start);
    if span.start == span.end && span.start == start {
        return (start, start);
    }
    let last = if span.end > span.start { span.end - 1 } else { span.start };
    (start, if last >= text.len() { text.len() } else { line_end(text, last) })
}

#[cfg(test)]
mod tests {
    use super::super::edits::test_edit as edit;
    use super::*;

    #[test]
    fn hunks_hold_the_changed_lines_with_three_lines_of_context() {
        let text = "1\n2\n3\n4\nkey.x: a\n6\n7\n8\n9\n";
        let file = SourceFile::new("f", "f", text);
        let at = text.find("key.x").unwrap();
        let e = edit(at, at + 5, "key.y");
        let (diff, hidden) = unified(&file, "f", &[&e]);
        assert!(hidden.is_empty());
        assert_eq!(diff, "--- a/f\n+++ b/f\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-key.x: a\n+key.y: a\n 6\n 7\n 8\n");
        // An insertion at the end of a file without a final line break.
        let file = SourceFile::new("f", "f", "a: 1\r\nb: 2");
        let e = edit(10, 10, "\r\nc: 3\r\n");
        let (diff, _) = unified(&file, "f", &[&e]);
        assert_eq!(
            diff,
            "--- a/f\n+++ b/f\n@@ -1,2 +1,3 @@\n a: 1\r\n-b: 2\n\\ No newline at end of file\n+b: 2\r\n+c: 3\r\n"
        );
    }

    #[test]
    fn a_secret_is_never_context_and_a_changed_line_with_one_is_hidden() {
        let text = "s3.secret-key: hunter2hunter2\ns3.endpiont: x\ns3.secert-key: abcdefghabcdefgh\n";
        let mut file = SourceFile::new("f", "f", text);
        for v in ["hunter2hunter2", "abcdefghabcdefgh"] {
            let s = text.find(v).unwrap();
            file.mark_secret(Span::new(s, s + v.len()));
        }
        let a = text.find("s3.endpiont").unwrap();
        let b = text.find("s3.secert-key").unwrap();
        let (e1, e2) = (edit(a, a + 11, "s3.endpoint"), edit(b, b + 13, "s3.secret-key"));
        let (diff, hidden) = unified(&file, "f", &[&e1, &e2]);
        assert_eq!(diff, "--- a/f\n+++ b/f\n@@ -2,1 +2,1 @@\n-s3.endpiont: x\n+s3.endpoint: x\n");
        assert_eq!(hidden, vec![&e2]);
    }
}
