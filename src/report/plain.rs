//! Rule docs and finding texts are written in Markdown (headings, `code` spans); formats with a plain-text field
//! beside a Markdown one (SARIF's `text` / `markdown`) get this plain rendering of it.

/// A rule's doc comment as Markdown: the one space `///` leaves before each line removed, trimmed.
pub fn doc_markdown(doc: &str) -> String {
    doc.lines().map(|l| l.strip_prefix(' ').unwrap_or(l)).collect::<Vec<_>>().join("\n").trim().to_string()
}

/// The body of the `## title` section of `markdown`, or the whole text when it has no such section.
pub fn section<'a>(markdown: &'a str, title: &str) -> &'a str {
    let heading = format!("## {title}\n");
    let Some(start) = markdown.find(&heading).map(|i| i + heading.len()) else { return markdown };
    let rest = &markdown[start..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    rest[..end].trim()
}

/// `markdown` as plain text: `## Heading` lines lose their marks, `code` spans their backticks (a text with an
/// unmatched backtick is left as it is: it was not Markdown).
pub fn plain(markdown: &str) -> String {
    let lines: Vec<&str> = markdown.lines().map(|l| l.strip_prefix("## ").unwrap_or(l)).collect();
    let text = lines.join("\n");
    without_code_marks(&text)
}

/// `s` without the backticks of its code spans (every backtick, when they pair up).
pub fn without_code_marks(s: &str) -> String {
    if s.matches('`').count().is_multiple_of(2) { s.replace('`', "") } else { s.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str =
        " ## What it catches\n `fs.s3a.buffer.dir` is unset.\n\n ## How to fix\n Set it:\n `<value>/mnt</value>`.\n";

    #[test]
    fn a_doc_comment_becomes_markdown_and_plain_text() {
        let md = doc_markdown(DOC);
        assert_eq!(
            md,
            "## What it catches\n`fs.s3a.buffer.dir` is unset.\n\n## How to fix\nSet it:\n`<value>/mnt</value>`."
        );
        assert_eq!(
            plain(&md),
            "What it catches\nfs.s3a.buffer.dir is unset.\n\nHow to fix\nSet it:\n<value>/mnt</value>."
        );
    }

    #[test]
    fn a_section_is_found_by_its_title() {
        let md = doc_markdown(DOC);
        assert_eq!(section(&md, "What it catches"), "`fs.s3a.buffer.dir` is unset.");
        assert_eq!(section(&md, "How to fix"), "Set it:\n`<value>/mnt</value>`.");
        assert_eq!(section("no sections", "How to fix"), "no sections");
    }

    #[test]
    fn an_unmatched_backtick_is_kept() {
        assert_eq!(without_code_marks("a ` b"), "a ` b");
    }
}
