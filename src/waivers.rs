//! Waivers: a known gap accepted until a date, written as `[[waiver]]` in `drguard.toml`.
//!
//! A waiver names a rule id and a glob over resource ARNs. A `fail` result it
//! matches is reported as `waived` and stops gating, until the waiver's
//! `expires` date has passed: from the day after, the result is a failure
//! again and carries the expired waiver so every report can say why it came
//! back. [`apply`] does not touch the evaluation: it returns a [`Waivers`]
//! table keyed by result fingerprint, which the report view joins. A
//! waiver that waives nothing (no failing result matches it) is stale and is
//! reported, so the config does not collect dead entries. `error` results are
//! never waived: missing data stays fail-closed.
//!
//! The date is passed in (`--as-of`, default today in UTC), never read from
//! the wall clock here, so tests and reruns decide the same way.

use chrono::NaiveDate;
use serde::Serialize;

use std::collections::HashMap;

use crate::config::Waiver;
use crate::rules::{Evaluation, Outcome, Status};

/// A waiver attached to a result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaiverMark {
    /// Why the gap is accepted.
    pub reason: String,
    /// Last day the waiver applies (`YYYY-MM-DD`).
    pub expires: String,
    /// Who owns the gap, when given.
    pub owner: Option<String>,
    /// True when the waiver matched but had expired: the result stays a failure.
    pub expired: bool,
    /// Where the waiver is written (`drguard.toml:12:1`).
    pub defined_at: String,
}

/// What became of one `[[waiver]]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WaiverState {
    /// It waives at least one failing result.
    Active,
    /// Its date has passed; the results it matches fail again.
    Expired,
    /// It is in date but no failing result matches it: remove it.
    Stale,
}

impl WaiverState {
    /// Name in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            WaiverState::Active => "active",
            WaiverState::Expired => "expired",
            WaiverState::Stale => "stale",
        }
    }
}

/// One configured waiver and what it did in this audit.
#[derive(Debug, Clone)]
pub struct WaiverOutcome {
    /// The waiver as configured.
    pub waiver: Waiver,
    /// Active, expired or stale.
    pub state: WaiverState,
    /// Failing results it matched (waived when active, left failing when expired).
    pub matched: usize,
    /// True when its rule id produced any result at all (false: a disabled rule).
    pub rule_seen: bool,
    /// Days from the audit's date to its last day (0: it expires today;
    /// negative once expired).
    pub days_left: i64,
    /// In date, but expiring within `[waivers] expiry_notice` days: every
    /// report announces it, so nobody is surprised by a red pipeline.
    pub expiring_soon: bool,
}

impl WaiverOutcome {
    /// A one-line account for people: what the waiver did, or why it did nothing.
    pub fn describe(&self) -> String {
        let w = &self.waiver;
        match self.state {
            WaiverState::Active if self.expiring_soon => format!(
                "{} on {} expires {} ({}): its {} result(s) fail again from the day after; fix them or renew the waiver at {}: {}",
                w.rule,
                w.resource,
                match self.days_left {
                    0 => "today".to_string(),
                    1 => "tomorrow".to_string(),
                    n => format!("in {n} days"),
                },
                w.expires,
                self.matched,
                w.defined_at,
                w.reason
            ),
            WaiverState::Active => format!(
                "{} on {} waives {} failing result(s) until {}: {}",
                w.rule, w.resource, self.matched, w.expires, w.reason
            ),
            WaiverState::Expired => format!(
                "{} on {} expired on {} ({} result(s) fail again): {}",
                w.rule, w.resource, w.expires, self.matched, w.reason
            ),
            WaiverState::Stale if !self.rule_seen => format!(
                "{} on {} matches no result: no enabled rule has the id {} (stale; fix or remove it at {})",
                w.rule, w.resource, w.rule, w.defined_at
            ),
            WaiverState::Stale => format!(
                "{} on {} matches no failing result (stale; remove it from {})",
                w.rule, w.resource, w.defined_at
            ),
        }
    }
}

/// True when the waiver applies on `today` (the expiry day itself included).
pub fn in_date(waiver: &Waiver, today: NaiveDate) -> bool {
    today <= waiver.expires
}

/// What the waivers did in one audit: the mark on each failing result a
/// waiver matched, and the state of each `[[waiver]]`.
#[derive(Debug, Clone, Default)]
pub struct Waivers {
    /// Result fingerprint → the waiver that covers it (in date or expired).
    pub marks: HashMap<String, WaiverMark>,
    /// Every configured waiver, in config order, with what it did.
    pub outcomes: Vec<WaiverOutcome>,
}

impl Waivers {
    /// The waiver covering a result, if any (expired ones included).
    pub fn mark(&self, outcome: &Outcome<'_>) -> Option<&WaiverMark> {
        if outcome.status != Status::Fail || self.marks.is_empty() {
            return None;
        }
        self.marks.get(&outcome.fingerprint())
    }

    /// The status a report shows: `waived` for a failure an in-date waiver
    /// covers, the evaluated status otherwise.
    pub fn status(&self, outcome: &Outcome<'_>) -> Status {
        match self.mark(outcome) {
            Some(mark) if !mark.expired => Status::Waived,
            _ => outcome.status,
        }
    }
}

/// Matches the waivers against the failing results, as of `today`; a waiver
/// in date whose last day is at most `notice_days` away is `expiring_soon`.
///
/// When several waivers match a result, the first one in date wins; an
/// expired one is attached only when no waiver in date matches.
pub fn apply(
    evaluation: &Evaluation<'_>,
    waivers: &[Waiver],
    today: NaiveDate,
    notice_days: u64,
) -> Waivers {
    let mut matched = vec![0usize; waivers.len()];
    let mut marks = HashMap::new();
    for outcome in &evaluation.outcomes {
        if outcome.status != Status::Fail {
            continue;
        }
        let candidates = || {
            waivers.iter().enumerate().filter(|(_, w)| {
                w.rule == outcome.rule.id && glob_match(&w.resource, &outcome.resource.arn)
            })
        };
        let chosen = candidates()
            .find(|(_, w)| in_date(w, today))
            .or_else(|| candidates().next());
        let Some((index, waiver)) = chosen else {
            continue;
        };
        if let Some(count) = matched.get_mut(index) {
            *count += 1;
        }
        marks.insert(
            outcome.fingerprint(),
            WaiverMark {
                reason: waiver.reason.clone(),
                expires: waiver.expires.to_string(),
                owner: waiver.owner.clone(),
                expired: !in_date(waiver, today),
                defined_at: waiver.defined_at.clone(),
            },
        );
    }
    let seen: std::collections::HashSet<&str> = evaluation
        .outcomes
        .iter()
        .map(|o| o.rule.id.as_str())
        .collect();
    let outcomes = waivers
        .iter()
        .zip(matched)
        .map(|(waiver, matched)| {
            let state = if !in_date(waiver, today) {
                WaiverState::Expired
            } else if matched == 0 {
                WaiverState::Stale
            } else {
                WaiverState::Active
            };
            let days_left = (waiver.expires - today).num_days();
            WaiverOutcome {
                rule_seen: seen.contains(waiver.rule.as_str()),
                waiver: waiver.clone(),
                state,
                matched,
                days_left,
                expiring_soon: state == WaiverState::Active
                    && u64::try_from(days_left).is_ok_and(|d| d <= notice_days && notice_days > 0),
            }
        })
        .collect();
    Waivers { marks, outcomes }
}

/// Glob match over the whole text: `*` matches any run of characters (`/` and `:`
/// included, so `arn:aws:s3:::legacy-*` works), `?` exactly one; everything else is literal.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    let (mut p, mut t) = (0usize, 0usize);
    // Position of the last `*` and the text position it was tried at.
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some('*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(c) if *c == '?' || Some(c) == text.get(t) => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((star_p, star_t)) => {
                    p = star_p + 1;
                    t = star_t + 1;
                    star = Some((star_p, star_t + 1));
                }
                None => return false,
            },
        }
    }
    pattern
        .get(p..)
        .is_some_and(|rest| rest.iter().all(|c| *c == '*'))
}

/// Today's date in UTC from the system clock: the default of `--as-of`, read
/// once by the command line and passed down.
pub fn today_utc() -> NaiveDate {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    chrono::DateTime::from_timestamp(i64::try_from(seconds).unwrap_or_default(), 0)
        .map(|dt| dt.date_naive())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn globs_match_whole_arns() {
        assert!(glob_match(
            "arn:aws:s3:::legacy-bucket",
            "arn:aws:s3:::legacy-bucket"
        ));
        assert!(!glob_match(
            "arn:aws:s3:::legacy",
            "arn:aws:s3:::legacy-bucket"
        ));
        assert!(glob_match(
            "arn:aws:s3:::legacy-*",
            "arn:aws:s3:::legacy-bucket"
        ));
        assert!(glob_match("*", "drguard:app/shop"));
        assert!(glob_match(
            "arn:aws:*:us-west-2:*",
            "arn:aws:ec2:us-west-2:1:x/y"
        ));
        assert!(!glob_match(
            "arn:aws:*:us-west-2:*",
            "arn:aws:ec2:us-east-1:1:x/y"
        ));
        assert!(glob_match("arn:aws:s3:::b?cket", "arn:aws:s3:::bucket"));
        assert!(!glob_match("arn:aws:s3:::b?cket", "arn:aws:s3:::bcket"));
        assert!(glob_match("*a*b*c", "xxaxxbxxc"));
        assert!(!glob_match("*a*b*c", "xxaxxcxxb"));
        assert!(glob_match("", ""));
        assert!(!glob_match("", "x"));
    }
}
