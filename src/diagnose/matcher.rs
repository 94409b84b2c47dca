//! Exception chains and lone log lines -> ranked diagnoses. Every signature of `rules/failures.yaml` is scored on
//! the chain's [`Facts`] (AWS error code, HTTP status, service, the class a linkage error names, S3 involvement)
//! and on wording (exception class, message, frame, context); the best-matching case per chain wins, repeated
//! failures are counted, and nothing is reported rather than a guess.
//!
//! Guards, before any signature is tried: a record below WARN without a trace is not a failure (the SDK's request
//! loggers print error fields for requests that were retried and succeeded); a chain whose error comes from
//! another AWS service (Kinesis, DynamoDB, Glue…; KMS and STS only inside S3 or an S3A credential provider) is not
//! an S3 failure; a status counts only when no specific error code says otherwise.

use std::collections::HashMap;

use super::chain::{Chain, Exception, Link};
use super::facts::{Facts, Level};
use crate::knowledge::{Catalog, FailureCase, Signature, class_matches};

/// Matches weaker than this are not reported.
pub const MIN_CONFIDENCE: f64 = 0.5;

/// Distinct chains whose verdict is remembered (a dense log repeats the same failure thousands of times).
const MEMO_CAPACITY: usize = 4096;

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
    /// What the chain of its first occurrence says (status, error code, path…).
    pub facts: Facts,
    /// How many chains showed it.
    pub count: usize,
}

/// Whether the chain's answer came from a service this signature is about (S3 unless it names others).
fn service_fits(sig: &Signature, facts: &Facts) -> bool {
    match facts.service.as_deref() {
        None => facts.s3,
        Some("s3") => true,
        Some(other) => sig.service.iter().any(|s| s == other),
    }
}

/// Whether the chain's facts satisfy every fact condition of `sig`.
fn facts_fit(sig: &Signature, facts: &Facts) -> bool {
    if sig.s3 && !facts.s3 {
        return false;
    }
    if !sig.error_code.is_empty() {
        let Some(code) = facts.error_code.as_deref() else { return false };
        let listed = sig.error_code.iter().any(|want| match want.strip_suffix('*') {
            Some(prefix) => code.starts_with(prefix),
            None => code == want,
        });
        if !listed || !service_fits(sig, facts) {
            return false;
        }
    }
    if !sig.status.is_empty() {
        // The error code beats the status: a 403 InvalidObjectState is not access denied.
        let Some(status) = facts.status else { return false };
        if !sig.status.contains(&status) || !service_fits(sig, facts) {
            return false;
        }
        if sig.error_code.is_empty() && facts.specific_code().is_some() {
            return false;
        }
    }
    if let Some(re) = &sig.missing_class {
        match &facts.missing_class {
            Some(class) if re.is_match(class) => {}
            _ => return false,
        }
    }
    true
}

/// The best match of `case` in `chain`: confidence and evidence.
fn match_case(case: &FailureCase, chain: &Chain, facts: &Facts) -> Option<(f64, Vec<Evidence>)> {
    let mut best: Option<(f64, Vec<Evidence>)> = None;
    for sig in &case.signatures {
        if !facts_fit(sig, facts) {
            continue;
        }
        let mut consider = |score: f64, evidence: Vec<Evidence>| {
            if best.as_ref().is_none_or(|(b, _)| score > *b) {
                best = Some((score, evidence));
            }
        };
        if sig.exception.is_none() && sig.message.is_none() {
            // A signature on facts alone: the evidence is where the answer (or linkage error) was read.
            let at = if sig.missing_class.is_some() { facts.linkage_at } else { facts.answer_at };
            let Some(ex) = at.and_then(|i| chain.exceptions.get(i)).or_else(|| chain.exceptions.first()) else {
                continue;
            };
            let Some(mut evidence) = context_evidence(sig, chain) else { continue };
            push_unique(&mut evidence, header(ex));
            evidence.sort_by_key(|e| e.line);
            consider(sig.confidence + depth_bonus(chain, ex), evidence);
            continue;
        }
        for ex in &chain.exceptions {
            let Some(evidence) = match_signature(sig, ex, chain) else { continue };
            consider(sig.confidence + depth_bonus(chain, ex), evidence);
        }
    }
    best.map(|(s, e)| (s.min(1.0), e))
}

/// The root cause is usually deepest: among equal signatures the deeper exception wins. A quoted cause ranks as
/// the header it is quoted in, so the trace's own `Caused by:` of the same failure wins over a quote of it.
fn depth_bonus(chain: &Chain, ex: &Exception) -> f64 {
    let mut e = ex;
    while e.quoted
        && let Some(parent) = e.parent.and_then(|p| chain.exceptions.get(p))
    {
        e = parent;
    }
    (e.depth as f64).min(10.0) * 0.001
}

fn push_unique(evidence: &mut Vec<Evidence>, e: Evidence) {
    if !evidence.contains(&e) {
        evidence.push(e);
    }
}

/// The `anywhere` context of a signature: `Some(vec![])` when it has none, `None` when it has one that nothing in
/// the chain matches.
fn context_evidence(sig: &Signature, chain: &Chain) -> Option<Vec<Evidence>> {
    let Some(re) = &sig.anywhere else { return Some(Vec::new()) };
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
    Some(vec![hit])
}

fn match_signature(sig: &Signature, ex: &Exception, chain: &Chain) -> Option<Vec<Evidence>> {
    if sig.exception.as_ref().is_some_and(|class| !class_matches(super::facts::unshaded(&ex.class), class)) {
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
    for hit in context_evidence(sig, chain)? {
        push_unique(&mut evidence, hit);
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

/// Whether the guards let this chain be diagnosed at all.
fn admissible(chain: &Chain, facts: &Facts) -> bool {
    let has_trace = chain.exceptions.iter().any(|e| !e.frames.is_empty() || e.omitted > 0);
    // A trace relayed line by line through an INFO logger (a CLI printing a child's stderr) still says
    // `Caused by:`; the SDK's request loggers never do.
    let relayed = chain.exceptions.first().is_some_and(|e| e.header.contains("Caused by: "));
    if let Some(level) = chain.level
        && (level <= Level::Debug || (level.is_informational() && !has_trace && !relayed))
    {
        return false;
    }
    match facts.other_service() {
        None => true,
        Some("kms") => facts.s3,
        Some("sts") => facts.s3 || facts.credential_provider,
        Some(_) => false,
    }
}

/// A chain's verdict: the best case (index into the catalogue), its confidence and evidence.
type Verdict = Option<(usize, f64, Vec<Evidence>)>;

/// Collects diagnoses over many chains: per chain the best case, then per case the count and best confidence.
#[derive(Debug, Default)]
pub struct Matcher<'c> {
    found: Vec<Diagnosis<'c>>,
    /// Verdicts of chains already seen, by their text (line numbers aside).
    memo: HashMap<u64, (Verdict, Facts)>,
    /// Chains seen.
    pub chains: usize,
}

/// A fast, non-cryptographic hasher (the multiply-rotate of rustc's FxHash): chain keys are hashed over every
/// frame of every chain, and nothing adversarial depends on them (a collision only reuses a verdict).
#[derive(Default)]
struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A hash of what a chain says (classes, messages, frames), not where it says it.
fn chain_key(chain: &Chain) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = FxHasher::default();
    chain.level.hash(&mut h);
    for e in &chain.exceptions {
        e.class.hash(&mut h);
        e.message.hash(&mut h);
        e.depth.hash(&mut h);
        e.frames.len().hash(&mut h);
        for f in &e.frames {
            // A frame's method (what signatures look at) and its length: cheaper than all of its text.
            let text = f.text.as_bytes();
            text.len().hash(&mut h);
            h.write(&text[..memchr::memchr(b'(', text).unwrap_or(text.len())]);
        }
    }
    h.finish()
}

/// The first input line of a chain: remembered evidence is kept relative to it.
fn base_line(chain: &Chain) -> usize {
    chain.exceptions.first().map_or(0, |e| e.line)
}

fn moved(evidence: &[Evidence], from: usize, to: usize) -> Vec<Evidence> {
    evidence.iter().map(|e| Evidence { line: e.line.saturating_sub(from) + to, text: e.text.clone() }).collect()
}

impl<'c> Matcher<'c> {
    /// An empty collector.
    pub fn new() -> Self {
        Matcher { found: Vec::new(), memo: HashMap::new(), chains: 0 }
    }

    /// The best case for one chain, without recording it.
    fn judge(catalog: &'c Catalog, chain: &Chain, facts: &Facts) -> Verdict {
        if !admissible(chain, facts) {
            return None;
        }
        let mut best: Verdict = None;
        for (index, case) in catalog.cases.iter().enumerate() {
            if let Some((conf, ev)) = match_case(case, chain, facts)
                && conf >= MIN_CONFIDENCE
                && best.as_ref().is_none_or(|(_, b, _)| conf > *b)
            {
                best = Some((index, conf, ev));
            }
        }
        best
    }

    /// Matches one chain against the catalogue.
    pub fn add(&mut self, catalog: &'c Catalog, chain: &Chain) {
        self.chains += 1;
        let key = chain_key(chain);
        let base = base_line(chain);
        if !self.memo.contains_key(&key) {
            let facts = Facts { level: chain.level, ..Facts::of_chain(chain) };
            let verdict = Self::judge(catalog, chain, &facts);
            let relative = verdict.map(|(i, c, ev)| (i, c, moved(&ev, base, 0)));
            if self.memo.len() >= MEMO_CAPACITY {
                self.memo.clear();
            }
            self.memo.insert(key, (relative, facts));
        }
        // A repeat only counts; evidence and facts are copied for a failure's first occurrence alone.
        let Some((Some((index, confidence, evidence)), facts)) = self.memo.get(&key) else { return };
        let (index, confidence) = (*index, *confidence);
        let case = &catalog.cases[index];
        match self.found.iter_mut().find(|d| d.case.id == case.id) {
            Some(d) => {
                d.count += 1;
                if confidence > d.confidence {
                    d.confidence = confidence;
                }
            }
            None => {
                let evidence = moved(evidence, 0, base);
                self.found.push(Diagnosis { case, confidence, evidence, facts: facts.clone(), count: 1 })
            }
        }
    }

    /// The diagnoses, best first (confidence, then how often, then first seen).
    pub fn finish(mut self) -> Vec<Diagnosis<'c>> {
        self.found.sort_by(|a, b| b.confidence.total_cmp(&a.confidence).then(b.count.cmp(&a.count)));
        self.found
    }
}
