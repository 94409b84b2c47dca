//! Exception chains -> ranked diagnoses: every signature of `rules/failures.yaml` is tried on every exception
//! of a chain; the best-matching case per chain wins, repeated failures are counted, and nothing is reported
//! rather than a guess.

use super::chain::{Chain, Exception, Link};
use crate::knowledge::{Catalog, FailureCase, Signature, class_matches};

/// Matches weaker than this are not reported.
pub const MIN_CONFIDENCE: f64 = 0.5;

/// One quoted input line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// 1-based input line.
    pub line: usize,
    /// The line as reconstructed from the trace (secrets are redacted by the report).
    pub text: String,
}

/// A recognised failure.
#[derive(Debug, Clone)]
pub struct Diagnosis<'c> {
    /// The case.
    pub case: &'c FailureCase,
    /// How sure (0..1).
    pub confidence: f64,
    /// The lines that show it, from its first occurrence.
    pub evidence: Vec<Evidence>,
    /// How many chains showed it.
    pub count: usize,
}

/// The best match of `case` in `chain`: confidence and evidence.
fn match_case(case: &FailureCase, chain: &Chain) -> Option<(f64, Vec<Evidence>)> {
    let mut best: Option<(f64, Vec<Evidence>)> = None;
    for sig in &case.signatures {
        for ex in &chain.exceptions {
            let Some(evidence) = match_signature(sig, ex, chain) else { continue };
            // The root cause is usually deepest: among equal signatures prefer the deeper exception.
            let score = sig.confidence + (ex.depth as f64).min(10.0) * 0.001;
            if best.as_ref().is_none_or(|(b, _)| score > *b) {
                best = Some((score, evidence));
            }
        }
    }
    best.map(|(s, e)| (s.min(1.0), e))
}

fn match_signature(sig: &Signature, ex: &Exception, chain: &Chain) -> Option<Vec<Evidence>> {
    if sig.exception.as_ref().is_some_and(|class| !class_matches(&ex.class, class)) {
        return None;
    }
    if sig.message.as_ref().is_some_and(|re| !re.is_match(&ex.message)) {
        return None;
    }
    let mut evidence = vec![header(ex)];
    if let Some(re) = &sig.frame {
        let frame = ex.frames.iter().find(|f| re.is_match(&f.text))?;
        evidence.push(Evidence { line: frame.line, text: format!("at {}", frame.text) });
    }
    if let Some(re) = &sig.anywhere {
        let hit = chain.exceptions.iter().find_map(|e| {
            if re.is_match(&e.class) || re.is_match(&e.message) {
                Some(header(e))
            } else {
                e.frames
                    .iter()
                    .find(|f| re.is_match(&f.text))
                    .map(|f| Evidence { line: f.line, text: format!("at {}", f.text) })
            }
        })?;
        if !evidence.contains(&hit) {
            evidence.push(hit);
        }
    }
    evidence.sort_by_key(|e| e.line);
    Some(evidence)
}

/// The header line of an exception as it reads in the input (log prefix removed).
fn header(ex: &Exception) -> Evidence {
    let text = if ex.header.is_empty() {
        let prefix = match ex.link {
            Link::Head => "",
            Link::CausedBy => "Caused by: ",
            Link::Suppressed => "Suppressed: ",
        };
        format!("{prefix}{}: {}", ex.class, ex.message.lines().next().unwrap_or(""))
    } else {
        ex.header.clone()
    };
    Evidence { line: ex.line, text }
}

/// Collects diagnoses over many chains: per chain the best case, then per case the count and best confidence.
#[derive(Debug, Default)]
pub struct Matcher<'c> {
    found: Vec<Diagnosis<'c>>,
    /// Chains seen.
    pub chains: usize,
}

impl<'c> Matcher<'c> {
    /// An empty collector.
    pub fn new() -> Self {
        Matcher { found: Vec::new(), chains: 0 }
    }

    /// Matches one chain against the catalogue.
    pub fn add(&mut self, catalog: &'c Catalog, chain: &Chain) {
        self.chains += 1;
        let mut best: Option<(&'c FailureCase, f64, Vec<Evidence>)> = None;
        for case in &catalog.cases {
            if let Some((conf, ev)) = match_case(case, chain)
                && conf >= MIN_CONFIDENCE
                && best.as_ref().is_none_or(|(_, b, _)| conf > *b)
            {
                best = Some((case, conf, ev));
            }
        }
        let Some((case, confidence, evidence)) = best else { return };
        match self.found.iter_mut().find(|d| d.case.id == case.id) {
            Some(d) => {
                d.count += 1;
                if confidence > d.confidence {
                    d.confidence = confidence;
                }
            }
            None => self.found.push(Diagnosis { case, confidence, evidence, count: 1 }),
        }
    }

    /// The diagnoses, best first (confidence, then how often, then first seen).
    pub fn finish(mut self) -> Vec<Diagnosis<'c>> {
        self.found.sort_by(|a, b| b.confidence.total_cmp(&a.confidence).then(b.count.cmp(&a.count)));
        self.found
    }
}
