//! `docs/rules/<id>.md`, the page each rule's SARIF `helpUri` links to, is the rule's doc comment (its
//! `s3lint explain` text): one page per rule, none for a rule that no longer exists.
//! `S3LINT_BLESS=1 cargo test --test rule_docs` rewrites the pages from the doc comments.

mod common;

use common::*;
use s3lint::lint::rules::all;
use s3lint::report::plain::doc_markdown;

fn page(m: &s3lint::lint::RuleMeta) -> String {
    format!(
        "# `{}` ({})\n\n{}\n\n{}\n\n`s3lint explain {}` prints the same text.\n",
        m.id,
        m.default_severity.as_str(),
        m.summary,
        doc_markdown(m.doc),
        m.id
    )
}

#[test]
fn every_rule_has_its_doc_page_and_no_page_is_stale() {
    let dir = root().join("docs/rules");
    let mut problems = Vec::new();
    for rule in all() {
        let m = rule.meta();
        let file = dir.join(format!("{}.md", m.id));
        let want = page(m);
        if blessing() {
            std::fs::create_dir_all(&dir).expect("docs/rules");
            std::fs::write(&file, &want).expect("write page");
            continue;
        }
        match std::fs::read_to_string(&file) {
            Ok(got) if got == want => {}
            Ok(_) => problems.push(format!("{} differs from the rule's doc comment", file.display())),
            Err(_) => problems.push(format!("{} is missing", file.display())),
        }
    }
    for entry in std::fs::read_dir(&dir).expect("docs/rules") {
        let name = entry.expect("entry").file_name().to_string_lossy().into_owned();
        let id = name.strip_suffix(".md").unwrap_or(&name);
        if s3lint::lint::rules::find(id).is_none() {
            problems.push(format!("docs/rules/{name} documents no rule"));
        }
    }
    assert!(
        problems.is_empty(),
        "{}\n(`S3LINT_BLESS=1 cargo test --test rule_docs` rewrites the pages)",
        problems.join("\n")
    );
}
