//! The did-you-mean search: the candidate closest to a misspelt word by Damerau–Levenshtein distance (optimal
//! string alignment), in time linear in the word's length. Candidate sets are built once, grouped by length, so a
//! word is compared only with names at most `limit` characters longer or shorter, each by a banded distance that
//! stops as soon as the limit is exceeded.

use std::collections::HashSet;

/// The edit limit for `word`: a third of its length, at least 1, at most `max`.
pub fn limit_for(word_chars: usize, max: usize) -> usize {
    (word_chars / 3).clamp(1, max)
}

/// Names grouped by their length in characters.
#[derive(Debug, Default)]
pub struct Candidates {
    /// `by_len[n]`: the distinct names of `n` characters, as characters and as written.
    by_len: Vec<Vec<(Vec<char>, String)>>,
}

impl Candidates {
    /// The set of `names` (duplicates dropped).
    pub fn new(names: impl IntoIterator<Item = String>) -> Self {
        let mut by_len: Vec<Vec<(Vec<char>, String)>> = Vec::new();
        let mut seen = HashSet::new();
        for name in names {
            if !seen.insert(name.clone()) {
                continue;
            }
            let chars: Vec<char> = name.chars().collect();
            if by_len.len() <= chars.len() {
                by_len.resize_with(chars.len() + 1, Vec::new);
            }
            by_len[chars.len()].push((chars, name));
        }
        Candidates { by_len }
    }

    /// The name closest to `word` (not `word` itself) if it is within [`limit_for`] edits and no other name is
    /// as close.
    pub fn closest_within(&self, word: &str, max: usize) -> Option<&str> {
        let w: Vec<char> = word.chars().collect();
        let limit = limit_for(w.len(), max);
        let lengths = w.len().saturating_sub(limit)..=w.len() + limit;
        best(
            &w,
            limit,
            lengths
                .filter_map(|n| self.by_len.get(n))
                .flat_map(|bucket| bucket.iter().map(|(c, name)| (c.as_slice(), name.as_str()))),
        )
    }
}

/// The closest of `candidates` (characters and name) within `limit` edits of `w`, unless two differ and tie.
pub fn best<'c, 'n>(
    w: &[char],
    limit: usize,
    candidates: impl Iterator<Item = (&'c [char], &'n str)>,
) -> Option<&'n str> {
    let mut best: Option<(usize, &'n str)> = None;
    let mut tie = false;
    for (chars, name) in candidates {
        if chars == w {
            continue;
        }
        let Some(dist) = bounded_distance(w, chars, limit) else { continue };
        match best {
            Some((b, _)) if dist > b => {}
            Some((b, prev)) if dist == b => tie |= prev != name,
            _ => {
                best = Some((dist, name));
                tie = false;
            }
        }
    }
    if tie { None } else { best.map(|(_, c)| c) }
}

/// The largest limit [`bounded_distance`] handles.
pub const MAX_LIMIT: usize = 8;

/// The optimal-string-alignment distance of `a` and `b` when it is at most `limit` (at most [`MAX_LIMIT`]), in
/// `O(len × limit)` and without allocating: only the diagonal band `|i - j| <= limit` of the table can hold values
/// within the limit, and the search stops when two rows in a row are over it (a later row only comes from those).
pub fn bounded_distance(a: &[char], b: &[char], limit: usize) -> Option<usize> {
    const W: usize = 2 * MAX_LIMIT + 1;
    const FAR: usize = usize::MAX / 2;
    let limit = limit.min(MAX_LIMIT);
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > limit {
        return None;
    }
    // Band cell k of row i is column j = i + k - limit. Rows i-2, i-1 and i.
    let mut rows = [[FAR; W + 1]; 3];
    for (k, cell) in rows[0].iter_mut().enumerate().take(2 * limit + 1).skip(limit) {
        let j = k - limit;
        if j <= m {
            *cell = j;
        }
    }
    let mut over_before = false;
    for i in 1..=n {
        let [r0, r1, r2] = &mut rows;
        // Row i-1 is rows[(i-1) % 3], row i-2 rows[(i-2) % 3]; row i is written over row i-3.
        let (cur, prev, prev2) = match i % 3 {
            0 => (r0, &*r2, &*r1),
            1 => (r1, &*r0, &*r2),
            _ => (r2, &*r1, &*r0),
        };
        cur.fill(FAR);
        let mut row_min = FAR;
        for k in 0..=2 * limit {
            let Some(j) = (i + k).checked_sub(limit) else { continue };
            if j > m {
                break;
            }
            let v = if j == 0 {
                i
            } else {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let up = prev[k + 1] + 1;
                let left = if k > 0 { cur[k - 1] + 1 } else { FAR };
                let mut v = up.min(left).min(prev[k] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    v = v.min(prev2[k] + 1);
                }
                v
            };
            cur[k] = v;
            row_min = row_min.min(v);
        }
        let over = row_min > limit;
        if over && over_before {
            return None;
        }
        over_before = over;
    }
    let d = rows[n % 3][m + limit - n];
    (d <= limit).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::keys::edit_distance;

    #[test]
    fn the_banded_distance_agrees_with_the_full_one() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "acb",
            "fs.s3a.acess.key",
            "fs.s3a.access.key",
            "regoin",
            "region",
            "endpoint.region",
            "endpiont.regoin",
            "xyzzy",
            "é日本",
            "日本é",
            "abcdef",
            "badcfe",
        ];
        for a in words {
            for b in words {
                let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
                for limit in 1..=3 {
                    let full = edit_distance(a, b);
                    assert_eq!(
                        bounded_distance(&ca, &cb, limit),
                        (full <= limit).then_some(full),
                        "{a:?} {b:?} {limit}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_set_suggests_the_unique_closest_name() {
        let set = Candidates::new(["fs.s3a.access.key", "fs.s3a.secret.key", "fs.s3a.access.key"].map(String::from));
        assert_eq!(set.closest_within("fs.s3a.acess.key", 3), Some("fs.s3a.access.key"));
        assert_eq!(set.closest_within("fs.s3a.access.key", 3), None, "the word itself is no suggestion");
        let tie = Candidates::new(["abce", "abcf"].map(String::from));
        assert_eq!(tie.closest_within("abcd", 3), None);
        assert_eq!(set.closest_within(&"x".repeat(1_000_000), 3), None);
    }
}
