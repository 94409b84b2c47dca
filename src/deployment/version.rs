//! Maven version ordering, as Maven's `ComparableVersion` orders the versions seen in jar names:
//! `1.4-SNAPSHOT` < `1.4` = `1.4.0` < `1.4.1` < `1.5.0`, `2.8.3-10.0` > `2.8.3`, `1.0.7.Final` = `1.0.7`.
//!
//! A version is split into items at `.`, `-` and at every change between digits and letters. Numbers compare
//! numerically (any length); qualifiers compare by Maven's well-known order
//! `alpha < beta < milestone < rc < snapshot < "" (release) = ga = final = release < sp`, and unknown qualifiers
//! come after all of those, compared as text. A missing item compares as `0` against a number and as the
//! release (`""`) against a qualifier, so trailing zeros and `.Final` do not matter.

use std::cmp::Ordering;
use std::fmt;

/// A parsed version, comparable the way Maven compares versions.
#[derive(Debug, Clone)]
pub struct Version {
    raw: String,
    items: Vec<Item>,
    /// How many leading items come before the first `-` (the "release" part: `2.8.3` of `2.8.3-10.0`).
    release_len: usize,
}

/// One item of a version.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Item {
    /// A number, as its digits without leading zeros (so any length compares correctly).
    Number(String),
    /// A qualifier, lower-cased and with Maven's aliases resolved (`a1` -> `alpha`, `cr` -> `rc`).
    Qualifier(String),
}

/// Maven's known qualifiers, in order; the release itself is the empty qualifier.
const QUALIFIERS: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];

impl Version {
    /// Parses any string; there is no invalid version (unusual text becomes qualifiers).
    pub fn parse(s: &str) -> Self {
        let raw = s.trim().to_string();
        let lower = raw.to_ascii_lowercase();
        let mut items = Vec::new();
        let mut current = String::new();
        let mut digits = false;
        let mut release_len = None;
        let flush = |current: &mut String, digits: bool, items: &mut Vec<Item>| {
            if current.is_empty() {
                return;
            }
            let item = if digits {
                let trimmed = current.trim_start_matches('0');
                Item::Number(trimmed.to_string())
            } else {
                Item::Qualifier(canonical_qualifier(current))
            };
            items.push(item);
            current.clear();
        };
        for c in lower.chars() {
            if c == '.' || c == '-' || c == '_' || c == '+' {
                flush(&mut current, digits, &mut items);
                if c != '.' && release_len.is_none() {
                    release_len = Some(items.len());
                }
                continue;
            }
            let is_digit = c.is_ascii_digit();
            if !current.is_empty() && is_digit != digits {
                flush(&mut current, digits, &mut items);
            }
            digits = is_digit;
            current.push(c);
        }
        flush(&mut current, digits, &mut items);
        let release_len = release_len.unwrap_or(items.len());
        // Maven normalises away trailing "null" items: zeros and release qualifiers at the end.
        while matches!(items.last(), Some(Item::Number(n)) if n.is_empty())
            || matches!(items.last(), Some(Item::Qualifier(q)) if q.is_empty())
        {
            items.pop();
        }
        Version { raw, items, release_len }
    }

    /// The version as written.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// The numeric components before the first qualifier or `-` (`1.4-SNAPSHOT` -> `[1, 4]`,
    /// `2.8.3-10.0` -> `[2, 8, 3]`), saturating.
    pub fn numbers(&self) -> Vec<u64> {
        self.items
            .iter()
            .take(self.release_len)
            .map_while(|i| match i {
                Item::Number(n) if n.is_empty() => Some(0),
                Item::Number(n) => Some(n.parse::<u64>().unwrap_or(u64::MAX)),
                Item::Qualifier(_) => None,
            })
            .collect()
    }

    /// `major.minor` (`1.4-SNAPSHOT` -> `(1, 4)`, `3` -> `(3, 0)`), or `None` when the version has no number.
    pub fn line(&self) -> Option<(u64, u64)> {
        let n = self.numbers();
        let major = *n.first()?;
        Some((major, n.get(1).copied().unwrap_or(0)))
    }

    /// True when the two versions have the same `major.minor`.
    pub fn same_line(&self, other: &Version) -> bool {
        self.line().is_some() && self.line() == other.line()
    }

    /// True for `-SNAPSHOT` builds.
    pub fn is_snapshot(&self) -> bool {
        self.items.iter().any(|i| matches!(i, Item::Qualifier(q) if q == "snapshot"))
    }

    /// True for a distributor's build of a release (`3.1.1.7.2.6.0-15`, `3.0.0-cdh6.0.0`, `2.8.5-amzn-1`): more
    /// than three numbers, or anything after the release but `-SNAPSHOT`.
    pub fn is_vendor_build(&self) -> bool {
        let extra = self.items.len() > self.release_len;
        let snapshot_only = self.items[self.release_len.min(self.items.len())..]
            .iter()
            .all(|i| matches!(i, Item::Qualifier(q) if q == "snapshot"));
        self.numbers().len() > 3 || (extra && !snapshot_only)
    }

    /// True when this version is at least `major.minor`.
    pub fn at_least(&self, major: u64, minor: u64) -> bool {
        self.line().is_some_and(|l| l >= (major, minor))
    }
}

fn canonical_qualifier(q: &str) -> String {
    match q {
        "a" => "alpha".into(),
        "b" => "beta".into(),
        "m" => "milestone".into(),
        "cr" => "rc".into(),
        "ga" | "final" | "release" => String::new(),
        other => other.to_string(),
    }
}

fn compare_numbers(a: &str, b: &str) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

fn qualifier_rank(q: &str) -> Option<usize> {
    QUALIFIERS.iter().position(|k| *k == q)
}

fn compare_qualifiers(a: &str, b: &str) -> Ordering {
    match (qualifier_rank(a), qualifier_rank(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.cmp(b),
    }
}

fn compare_items(a: Option<&Item>, b: Option<&Item>) -> Ordering {
    use Item::*;
    match (a, b) {
        (None, None) => Ordering::Equal,
        (Some(Number(x)), Some(Number(y))) => compare_numbers(x, y),
        (Some(Qualifier(x)), Some(Qualifier(y))) => compare_qualifiers(x, y),
        // A number is newer than any qualifier at the same position (`1.4.0` > `1.4-SNAPSHOT`).
        (Some(Number(_)), Some(Qualifier(_))) => Ordering::Greater,
        (Some(Qualifier(_)), Some(Number(_))) => Ordering::Less,
        (Some(Number(x)), None) => compare_numbers(x, ""),
        (None, Some(Number(y))) => compare_numbers("", y),
        (Some(Qualifier(x)), None) => compare_qualifiers(x, ""),
        (None, Some(Qualifier(y))) => compare_qualifiers("", y),
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        let n = self.items.len().max(other.items.len());
        for i in 0..n {
            let o = compare_items(self.items.get(i), other.items.get(i));
            if o != Ordering::Equal {
                return o;
            }
        }
        Ordering::Equal
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Version {}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s)
    }

    #[test]
    fn snapshot_sorts_before_its_release_and_the_next_minor_after() {
        assert!(v("1.4-SNAPSHOT") < v("1.4.0"));
        assert!(v("1.4.0") < v("1.5.0"));
        assert!(v("1.4-SNAPSHOT") < v("1.5.0"));
        assert!(v("1.4-SNAPSHOT") < v("1.4"));
        assert!(v("1.4.2") > v("1.4-SNAPSHOT"));
    }

    #[test]
    fn trailing_zeros_and_release_qualifiers_are_equal() {
        assert_eq!(v("1.4"), v("1.4.0"));
        assert_eq!(v("1.4"), v("1.4.0.0"));
        assert_eq!(v("1.0.7.Final"), v("1.0.7"));
        assert_eq!(v("2.0-GA"), v("2"));
    }

    #[test]
    fn numbers_compare_numerically() {
        assert!(v("1.11.1026") < v("1.12.262"));
        assert!(v("1.12.262") < v("1.12.1000"));
        assert!(v("2.7.10") > v("2.7.9"));
        assert!(v("10.0") > v("9.9.9"));
        assert!(v("1.99999999999999999999999") > v("1.9"));
    }

    #[test]
    fn qualifiers_follow_maven_order() {
        assert!(v("1.0-alpha-1") < v("1.0-beta-1"));
        assert!(v("1.0-beta") < v("1.0-rc1"));
        assert!(v("1.0-RC1") < v("1.0-SNAPSHOT"));
        assert!(v("1.0-SNAPSHOT") < v("1.0"));
        assert!(v("1.0") < v("1.0-sp1"));
        assert!(v("1.0-cr1") == v("1.0-rc1"));
        assert!(v("1.0") < v("1.0-1"));
        assert!(v("1.0-custom") > v("1.0-sp"));
    }

    #[test]
    fn lines_and_helpers() {
        assert_eq!(v("1.4-SNAPSHOT").line(), Some((1, 4)));
        assert_eq!(v("3").line(), Some((3, 0)));
        assert_eq!(v("SNAPSHOT").line(), None);
        assert!(v("1.4-SNAPSHOT").same_line(&v("1.4.2")));
        assert!(!v("1.4.2").same_line(&v("1.5.0")));
        assert!(v("1.4-SNAPSHOT").is_snapshot());
        assert!(v("1.15.4").at_least(1, 10));
        assert!(!v("1.9.3").at_least(1, 10));
        assert_eq!(v("2.8.3-10.0").numbers(), vec![2, 8, 3]);
        assert_eq!(v(" 1.2 ").as_str(), "1.2");
        assert!(v("3.1.1.7.2.6.0-15").is_vendor_build());
        assert!(v("3.0.0-cdh6.0.0").is_vendor_build());
        assert!(v("2.8.5-amzn-1").is_vendor_build());
        assert!(!v("3.3.6").is_vendor_build());
        assert!(!v("3.4.0").is_vendor_build());
        assert!(!v("1.4-SNAPSHOT").is_vendor_build());
    }
}
