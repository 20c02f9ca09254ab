//! The RTO timeline as a Mermaid Gantt chart: one bar per failover step that
//! takes time, nominal and worst case in two sections, the critical path in
//! red (`crit`), and the RTO target as a milestone in each section.
//!
//! Times are written as local date-times from a fixed day, not as Unix
//! timestamps (`dateFormat X`): Mermaid parses and draws both in the
//! reader's time zone, so the axis reads minutes after the failure in every
//! zone, whereas a timestamp axis is shifted by the zone's offset (and
//! Mermaid 11.17 reads a bare-number start as milliseconds). A milestone
//! rather than a `vert` marker, because `vert` is recent (Mermaid 11.7) and
//! an older renderer such as GitHub's may refuse the whole chart for it.

use std::fmt::Write;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};

use super::mermaid;
use crate::budget::{Budget, StepResult, human_seconds};

/// The day the failure happens on the chart's clock (only its time of day
/// is shown).
fn origin() -> Option<NaiveDateTime> {
    NaiveDate::from_ymd_opt(2000, 1, 1)?.and_hms_opt(0, 0, 0)
}

/// `seconds` after the failure as a Gantt date-time (whole seconds; a value
/// that is not a finite, non-negative duration is drawn at the origin).
fn at(seconds: f64) -> String {
    let whole = if seconds.is_finite() && seconds > 0.0 {
        // Clamped to a year: a longer timeline is a modelling error and
        // would only push the other bars out of sight.
        seconds.round().min(365.0 * 86_400.0) as i64
    } else {
        0
    };
    origin()
        .and_then(|o| o.checked_add_signed(TimeDelta::try_seconds(whole)?))
        .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_else(|| "2000-01-01 00:00:00".into())
}

/// The steps that take time, in the model's order (as the tables list them).
fn applicable(budget: &Budget) -> Vec<&StepResult> {
    budget.rto.steps.iter().filter(|s| s.applies).collect()
}

/// The Gantt chart of the budget's timeline, or `None` when no step applies
/// (there is nothing to draw, and an empty chart is an error on GitHub).
pub fn render(budget: &Budget) -> Option<String> {
    let steps = applicable(budget);
    if steps.is_empty() {
        return None;
    }
    let rto = &budget.rto;
    let last = steps
        .iter()
        .map(|s| s.worst_case_start_seconds + s.worst_case_seconds)
        .chain([rto.target_seconds, rto.worst_case_seconds])
        .fold(0.0, f64::max);
    let mut out = String::from("gantt\n");
    let _ = writeln!(
        out,
        "    title RTO timeline{} · nominal {} · worst case {} · target {}",
        if rto.achievable {
            ""
        } else {
            " · NOT ACHIEVABLE, once the blockers are fixed"
        },
        mermaid::label(&rto.estimate_text()),
        mermaid::label(&rto.worst_case_text()),
        mermaid::label(&human_seconds(rto.target_seconds))
    );
    out.push_str("    dateFormat YYYY-MM-DD HH:mm:ss\n");
    // Minutes and seconds after the failure; hours and minutes past an hour.
    let axis = if last < 3600.0 { "%M:%S" } else { "%H:%M" };
    let _ = writeln!(out, "    axisFormat {axis}");
    out.push_str("    todayMarker off\n");
    let target = format!("RTO target {}", human_seconds(rto.target_seconds));
    for (title, prefix) in [("Nominal", 'n'), ("Worst case", 'w')] {
        let _ = writeln!(out, "    section {title}");
        for (index, step) in steps.iter().enumerate() {
            let (start, duration, critical) = if prefix == 'n' {
                (step.start_seconds, step.seconds, step.on_critical_path)
            } else {
                (
                    step.worst_case_start_seconds,
                    step.worst_case_seconds,
                    rto.worst_case_path.contains(&step.id),
                )
            };
            let _ = writeln!(
                out,
                "    {} :{}{prefix}{index}, {}, {}",
                mermaid::task_name(&format!("{} {}", step.id, human_seconds(duration))),
                if critical { "crit, " } else { "" },
                at(start),
                at(start + duration)
            );
        }
        let _ = writeln!(
            out,
            "    {} :milestone, {prefix}t, {}, 0s",
            mermaid::task_name(&target),
            at(rto.target_seconds)
        );
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_local_date_times_from_the_origin() {
        assert_eq!(at(0.0), "2000-01-01 00:00:00");
        assert_eq!(at(750.4), "2000-01-01 00:12:30");
        assert_eq!(at(90_061.0), "2000-01-02 01:01:01");
        assert_eq!(at(f64::NAN), "2000-01-01 00:00:00");
        assert_eq!(at(-5.0), "2000-01-01 00:00:00");
        assert_eq!(at(f64::INFINITY), "2000-01-01 00:00:00");
        assert_eq!(at(1e300), "2000-12-31 00:00:00");
    }
}
