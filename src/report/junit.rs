//! JUnit XML for CI test reports (GitLab `artifacts:reports:junit`, Jenkins).
//!
//! One `testsuite` per account and region (`aws/<account>/<region|global>`),
//! one `testcase` per rule × resource: `classname` is the rule id, `name` the
//! rule name and the resource. A `fail` result is a `failure` (type = severity),
//! `waived` and `not_applicable` are `skipped` (with the waiver's reason and
//! expiry, or why nothing applied), `error` is an `error` (not evaluated).
//! The output is valid against the Jenkins xunit plugin's `junit-10.xsd`
//! (`schemas/junit-10.xsd`; the test suite checks it).

use std::collections::BTreeMap;
use std::fmt::Write;

use super::AuditResult;
use crate::audit::ResultRow;
use crate::rules::Status;

/// Escapes text for XML content and attribute values; drops the control
/// characters XML 1.0 cannot carry at all.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

#[derive(Default)]
struct Tally {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl Tally {
    fn count(&mut self, status: Status) {
        self.tests += 1;
        match status {
            Status::Fail => self.failures += 1,
            Status::Error => self.errors += 1,
            Status::Waived | Status::NotApplicable => self.skipped += 1,
            Status::Pass => {}
        }
    }
}

fn testcase(outcome: &ResultRow<'_>, out: &mut String) {
    let rule = outcome.rule;
    let name = format!(
        "{}: {} {}",
        rule.name.as_str(),
        outcome.resource.kind,
        outcome.resource.id
    );
    let _ = write!(
        out,
        "    <testcase classname=\"{}\" name=\"{}\" time=\"0\"",
        escape(&outcome.rule.id),
        escape(&name)
    );
    let baseline = outcome
        .baseline_state
        .map(|s| format!("\nsince baseline: {}", s.as_str()))
        .unwrap_or_default();
    match outcome.status {
        Status::Pass => out.push_str("/>\n"),
        Status::Fail => {
            let mut body = format!("{}\nresource: {}", outcome.message, outcome.resource.arn);
            let _ = write!(body, "\nfix: {}", rule.remediation.trim());
            if let Some(waiver) = &outcome.waiver {
                let _ = write!(
                    body,
                    "\nwaiver expired on {}: {}",
                    waiver.expires, waiver.reason
                );
            }
            body.push_str(&baseline);
            let _ = write!(
                out,
                ">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>\n",
                outcome.severity.as_str(),
                escape(&outcome.message),
                escape(&body)
            );
        }
        Status::Waived | Status::NotApplicable => {
            let message = match &outcome.waiver {
                Some(waiver) => format!(
                    "waived until {}{}: {}",
                    waiver.expires,
                    waiver
                        .owner
                        .as_deref()
                        .map(|o| format!(" (owner {o})"))
                        .unwrap_or_default(),
                    waiver.reason
                ),
                None => outcome.message.clone(),
            };
            let _ = write!(
                out,
                ">\n      <skipped type=\"{}\" message=\"{}\">{}</skipped>\n    </testcase>\n",
                outcome.status.as_str(),
                escape(&message),
                escape(&format!("{}{baseline}", outcome.message))
            );
        }
        Status::Error => {
            let _ = write!(
                out,
                ">\n      <error type=\"not_evaluated\" message=\"{}\">{}</error>\n    </testcase>\n",
                escape(&outcome.message),
                escape(&outcome.message)
            );
        }
    }
}

/// Renders the JUnit XML report.
pub fn render(result: &AuditResult<'_>) -> String {
    let account = &result.snapshot.account_id;
    let mut suites: BTreeMap<&str, Vec<&ResultRow<'_>>> = BTreeMap::new();
    for outcome in result.rows {
        suites
            .entry(outcome.resource.region.as_str())
            .or_default()
            .push(outcome);
    }
    let mut total = Tally::default();
    let mut body = String::new();
    for (region, outcomes) in &suites {
        let mut tally = Tally::default();
        let mut cases = String::new();
        for outcome in outcomes {
            tally.count(outcome.status);
            total.count(outcome.status);
            testcase(outcome, &mut cases);
        }
        let _ = writeln!(
            body,
            "  <testsuite name=\"aws/{}/{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"0\" timestamp=\"{}\" package=\"drguard\">",
            escape(account),
            escape(region),
            tally.tests,
            tally.failures,
            tally.errors,
            tally.skipped,
            escape(&result.snapshot.captured_at)
        );
        body.push_str("    <properties>\n");
        for (name, value) in [
            ("app", result.config.app.name.as_str()),
            ("account", account.as_str()),
            ("region", region),
            ("fail_on", result.gate.fail_on.as_str()),
        ] {
            let _ = writeln!(
                body,
                "      <property name=\"{name}\" value=\"{}\"/>",
                escape(value)
            );
        }
        body.push_str("    </properties>\n");
        body.push_str(&cases);
        body.push_str("  </testsuite>\n");
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"drguard {}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"0\">",
        escape(&result.config.app.name),
        total.tests,
        total.failures,
        total.errors
    );
    out.push_str(&body);
    out.push_str("</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escape_makes_any_text_safe_xml() {
        assert_eq!(
            escape("a<b & \"c\" 'd'\n\u{1}e"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&#10;e"
        );
    }
}
