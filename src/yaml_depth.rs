//! A linear pre-scan of a YAML text's nesting depth, run before s3lint's own YAML files (`.s3lint.yaml`,
//! `--config`, `--rules`) reach `serde_yaml`, whose parser takes quadratic time on deeply nested input (100,000
//! `[` take minutes). The scan over-estimates rather than under-estimates: flow collections (`[`, `{`) count one
//! level each, block collections one level per deeper indentation and per compact `- ` / `? ` in front of a
//! line; quoted scalars, comments and block scalars (`|`, `>`) are skipped.

/// The deepest nesting s3lint's own YAML files may have (theirs is 5 at most).
pub const MAX_DEPTH: usize = 64;

/// The byte offset where `text` first nests deeper than `max`, if it does.
pub fn too_deep(text: &str, max: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut indents: Vec<usize> = Vec::new();
    let mut flow = 0usize;
    // Inside a quoted scalar that goes on over lines: the quote character.
    let mut quote: Option<u8> = None;
    // Inside a block scalar: lines indented deeper than this are its content.
    let mut block_scalar: Option<usize> = None;
    let mut line_start = 0;
    while line_start < bytes.len() {
        let line_end = memchr::memchr(b'\n', &bytes[line_start..]).map_or(bytes.len(), |i| line_start + i);
        let line = &bytes[line_start..line_end];
        let indent = line.iter().take_while(|b| **b == b' ').count();
        let blank = line[indent..].iter().all(|b| b.is_ascii_whitespace());
        let mut i = indent;
        if quote.is_none() && flow == 0 {
            if let Some(parent) = block_scalar {
                if blank || indent > parent {
                    line_start = line_end + 1;
                    continue;
                }
                block_scalar = None;
            }
            if blank || line[indent] == b'#' {
                line_start = line_end + 1;
                continue;
            }
            while indents.last().is_some_and(|top| *top > indent) {
                indents.pop();
            }
            if indents.last() != Some(&indent) {
                indents.push(indent);
            }
            // Compact nested sequences and complex keys: `- - - x`, `? - x`.
            let mut compact = 0;
            while i + 1 < line.len() && matches!(line[i], b'-' | b'?') && line[i + 1] == b' ' {
                compact += 1;
                i += 2;
                while i < line.len() && line[i] == b' ' {
                    i += 1;
                }
            }
            if indents.len() + compact > max {
                return Some(line_start + i);
            }
        }
        let mut last_token = None;
        while i < line.len() {
            let b = line[i];
            match quote {
                Some(b'"') => match b {
                    b'\\' => i += 1,
                    b'"' => quote = None,
                    _ => {}
                },
                Some(q) => {
                    if b == q {
                        if line.get(i + 1) == Some(&q) {
                            i += 1;
                        } else {
                            quote = None;
                        }
                    }
                }
                None => match b {
                    b'#' if i == 0 || line[i - 1] == b' ' || line[i - 1] == b'\t' => break,
                    b'"' | b'\'' if i == 0 || !line[i - 1].is_ascii_alphanumeric() => quote = Some(b),
                    b'[' | b'{' => {
                        flow += 1;
                        if indents.len() + flow > max {
                            return Some(line_start + i);
                        }
                    }
                    b']' | b'}' => flow = flow.saturating_sub(1),
                    _ => {}
                },
            }
            if !b.is_ascii_whitespace() {
                last_token = Some(i);
            }
            i += 1;
        }
        // `key: |`, `- >-`: the lines below that are indented deeper are the scalar's content.
        if quote.is_none()
            && flow == 0
            && let Some(t) = last_token
        {
            let tail = &line[..=t];
            let start = tail.iter().rposition(|b| *b == b' ').map_or(0, |p| p + 1);
            let word = &tail[start..];
            if word.first().is_some_and(|c| matches!(c, b'|' | b'>'))
                && word[1..].iter().all(|c| matches!(c, b'-' | b'+' | b'0'..=b'9'))
            {
                block_scalar = Some(indent);
            }
        }
        line_start = line_end + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shallow_files_pass() {
        let rules = "cases:\n  - id: x\n    signatures:\n      - exception: a.B\n        message: \"[a-z]{2}\"\n    fix: [a, [b, c]]\n    explanation: |\n      text\n          indented [[[[[[[[\n";
        assert_eq!(too_deep(rules, 8), None);
        assert_eq!(too_deep("ignore: [a, b] # [[[[\nseverity: {a: error}\n'[[[': x\n", 3), None);
        assert_eq!(too_deep("", 1), None);
    }

    #[test]
    fn deep_flow_block_and_compact_nesting_is_found() {
        let flow = "a: ".to_string() + &"[".repeat(100_000);
        assert_eq!(too_deep(&flow, 64), Some(3 + 63));
        let mut block = String::new();
        for i in 0..100 {
            block.push_str(&format!("{}k{i}:\n", " ".repeat(i)));
        }
        assert!(too_deep(&block, 64).is_some());
        let compact = "- ".repeat(1000) + "x";
        assert!(too_deep(&compact, 64).is_some());
    }
}
