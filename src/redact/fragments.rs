//! Pieces of known secrets in a message. A rule that quotes a value may quote a piece of it — the host of an
//! "endpoint", one item of a comma-separated class list, a bucket — and when that value is a secret pasted
//! under the wrong key, the piece is no whole secret a [`super::Scrubber`] would recognise.
//!
//! Every run of [`RUN`] characters of every known secret is searched for; a match is widened as far as the text
//! goes on agreeing with the secret, and replaced: by the secret's 4-character prefix and `…` when the piece
//! starts the secret, else by `…` alone. Only runs that look generated are searched for — runs such as
//! `_SECRET_` of a password also occur in ordinary text —, and the pieces between the delimiters rules split
//! values at (`/`, `:`, `,`, `@`, …), down to [`MIN_PIECE`] characters. A KMS key ARN (`fs.s3a.encryption.key`
//! may hold one) is not searched for in pieces: its `eu-central-1` is everywhere.

use aho_corasick::AhoCorasick;

use super::redact_value;

/// The shortest piece of a secret that is masked.
const RUN: usize = 8;
/// Most secrets a run shared by several is widened against (each run is searched for once, so a run common to
/// thousands of secrets costs no more than one).
const MAX_ORIGINS: usize = 4;

/// The shortest piece between delimiters that is masked: one character more than a secret's shown prefix.
const MIN_PIECE: usize = 5;

/// Where rules split values (a URI's parts, list items, host and port).
const DELIMITERS: &[char] = &['/', ':', ',', '@', ';', '?', '#', '&', '=', ' '];

/// A run with upper-case and lower-case letters and a digit or symbol, as pieces of generated keys have:
/// ordinary text (`eu-central-1`, `_SECRET_`, `FileSystem`) does not.
fn looks_random(run: &str) -> bool {
    run.chars().any(|c| c.is_ascii_uppercase())
        && run.chars().any(|c| c.is_ascii_lowercase())
        && run.chars().any(|c| !c.is_ascii_alphabetic())
}

/// A piece between delimiters worth searching for: at least [`RUN`] characters, or at least [`MIN_PIECE`] of
/// mixed kinds (letters and digits, both cases), which ordinary short words are not.
fn is_piece(piece: &str) -> bool {
    let n = piece.chars().count();
    let kinds = [
        piece.chars().any(|c| c.is_ascii_uppercase()),
        piece.chars().any(|c| c.is_ascii_lowercase()),
        piece.chars().any(|c| c.is_ascii_digit()),
    ];
    n >= RUN || (n >= MIN_PIECE && kinds.iter().filter(|k| **k).count() >= 2)
}

/// The pieces of a set of secrets, searched with one automaton.
pub struct Fragments {
    automaton: Option<AhoCorasick>,
    /// For each pattern (a distinct run): the secrets it is a run of and its byte offset in each (at most
    /// [`MAX_ORIGINS`]).
    origin: Vec<Vec<(usize, usize)>>,
    secrets: Vec<String>,
}

impl Fragments {
    /// The searcher for pieces of `secrets`.
    pub fn new(secrets: &[String]) -> Self {
        let mut patterns = Vec::new();
        let mut origin: Vec<Vec<(usize, usize)>> = Vec::new();
        let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let mut add = |piece: &str, i: usize, at: usize, patterns: &mut Vec<String>| {
            let p = *index.entry(piece.to_string()).or_insert_with(|| {
                patterns.push(piece.to_string());
                origin.push(Vec::new());
                patterns.len() - 1
            });
            if origin[p].len() < MAX_ORIGINS {
                origin[p].push((i, at));
            }
        };
        for (i, s) in secrets.iter().enumerate().filter(|(_, s)| !s.starts_with("arn:")) {
            let starts: Vec<usize> = s.char_indices().map(|(at, _)| at).chain([s.len()]).collect();
            for w in starts.windows(RUN + 1) {
                let run = &s[w[0]..w[RUN]];
                if looks_random(run) {
                    add(run, i, w[0], &mut patterns);
                }
            }
            // The pieces a value is split into (`host` before `/`, items between `,`), however they look.
            let cuts: Vec<usize> = s.match_indices(DELIMITERS).map(|(at, _)| at).collect();
            let begins = std::iter::once(0).chain(cuts.iter().map(|c| c + 1));
            for begin in begins {
                for end in cuts.iter().copied().chain([s.len()]).filter(|e| *e > begin) {
                    if is_piece(&s[begin..end]) {
                        add(&s[begin..end], i, begin, &mut patterns);
                    }
                }
            }
        }
        let automaton = (!patterns.is_empty()).then(|| AhoCorasick::new(&patterns).ok()).flatten();
        Fragments { automaton, origin, secrets: secrets.to_vec() }
    }

    /// `text` with every piece of a secret masked.
    pub fn mask(&self, text: &str) -> String {
        let Some(ac) = &self.automaton else { return text.to_string() };
        let mut pieces: Vec<(usize, usize, bool)> = Vec::new();
        for m in ac.find_overlapping_iter(text) {
            for &(i, offset) in &self.origin[m.pattern().as_usize()] {
                pieces.push(self.widen(text, m.start(), m.end(), &self.secrets[i], offset));
            }
        }
        if pieces.is_empty() {
            return text.to_string();
        }
        pieces.sort();
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        let mut i = 0;
        while i < pieces.len() {
            let (start, mut end, starts_secret) = pieces[i];
            while i + 1 < pieces.len() && pieces[i + 1].0 <= end {
                end = end.max(pieces[i + 1].1);
                i += 1;
            }
            if start >= at {
                out.push_str(&text[at..start]);
                out.push_str(&if starts_secret { redact_value(&text[start..end]) } else { "…".to_string() });
                at = end;
            }
            i += 1;
        }
        out.push_str(&text[at..]);
        out
    }

    /// The match `start..end` of the run at `offset` of `secret`, widened as far as the text goes on agreeing
    /// with the secret; and whether it starts the secret.
    fn widen(&self, text: &str, start: usize, end: usize, secret: &str, offset: usize) -> (usize, usize, bool) {
        let start0 = start;
        let (mut start, mut from) = (start, offset);
        while let (Some(a), Some(b)) = (text[..start].chars().next_back(), secret[..from].chars().next_back()) {
            if a != b {
                break;
            }
            start -= a.len_utf8();
            from -= b.len_utf8();
        }
        let (mut end, mut to) = (end, offset + (end - start0));
        while let (Some(a), Some(b)) = (text[end..].chars().next(), secret[to..].chars().next()) {
            if a != b {
                break;
            }
            end += a.len_utf8();
            to += b.len_utf8();
        }
        (start, end, from == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_of_secrets_are_masked() {
        let f = Fragments::new(&[
            "QSGBnMYW:G3a+/3QM4vM6gXawPIJYHzt".into(),
            "arn:aws:kms:eu-central-1:111122223333:key/x".into(),
        ]);
        assert_eq!(f.mask("address `BUCKET.QSGBnMYW:G3a+` now"), "address `BUCKET.QSG…` now");
        assert_eq!(f.mask("lists `3QM4vM6gXawPIJYHzt`, ok"), "lists `…`, ok");
        assert_eq!(f.mask("the region eu-central-1 and 111122223333"), "the region eu-central-1 and 111122223333");
        assert_eq!(f.mask("no secret here"), "no secret here");
        let words = Fragments::new(&["MY_SECRET_ACCESS_KEY_2024".into()]);
        assert_eq!(words.mask("AWS_SECRET_ACCESS_KEY"), "AWS_SECRET_ACCESS_KEY");
        let short = Fragments::new(&["Qj50jbz/djiF+sQjHg".into()]);
        assert_eq!(short.mask("`BUCKET.Qj50jbz` and admin"), "`BUCKET.Q…` and admin");
        let uniform = Fragments::new(&["Q6ORHNKFXz/q+8z3GxrN5Em7".into()]);
        assert_eq!(uniform.mask("address `BUCKET.Q6ORHNKFXz`"), "address `BUCKET.Q6…`");
    }
}
