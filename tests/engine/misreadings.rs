//! The contract is never misread: a fraction is not a percentage, a low
//! availability must say `%`, and a region or domain the snapshot does not
//! hold is called out with the closest name it does hold.

use crate::common;

fn audit_with(replace: (&str, &str)) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let config = common::reference_config_text().replace(replace.0, replace.1);
    assert_ne!(config, common::reference_config_text(), "nothing replaced");
    common::audit_doc(
        dir.path(),
        &common::reference_json(),
        Some(&config),
        &["--format", "json"],
    )
}

/// Standard error with miette's line wrapping and gutters folded away.
fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr)
        .replace(['│', '×'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_fraction_is_an_error_that_suggests_the_percentage() {
    for (written, suggested) in [("\"0.9999\"", "99.99%"), ("0.999", "99.9%")] {
        let output = audit_with(("\"99.99%\"", written));
        assert_eq!(output.status.code(), Some(2), "{written}");
        let text = stderr(&output);
        assert!(
            text.contains(&format!("did you mean \"{suggested}\"")),
            "{text}"
        );
        assert!(text.contains("drguard.toml:"), "located: {text}");
    }
}

#[test]
fn a_low_availability_needs_its_sign_and_is_questioned() {
    let bare = audit_with(("\"99.99%\"", "\"85\""));
    assert_eq!(bare.status.code(), Some(2));
    assert!(stderr(&bare).contains("write \"85%\" if you mean it"));
    let explicit = audit_with(("\"99.99%\"", "\"85%\""));
    assert_eq!(explicit.status.code(), Some(1), "{}", stderr(&explicit));
    assert!(
        stderr(&explicit).contains("warning: ")
            && stderr(&explicit).contains("85% allows 1314 hours"),
        "{}",
        stderr(&explicit)
    );
}

#[test]
fn a_region_the_snapshot_lacks_is_an_error_with_the_closest_one() {
    let output = audit_with(("dr_region = \"us-west-2\"", "dr_region = \"us-west-1\""));
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(text.contains("holds no data for that region"), "{text}");
    assert!(text.contains("did you mean \"us-west-2\""), "{text}");
    assert!(output.stdout.is_empty(), "nothing audited");
}

#[test]
fn a_domain_no_record_carries_is_a_warning_with_the_closest_name() {
    let output = audit_with(("\"api.yourstore.com\"", "\"api.yourstor.com\""));
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(
        text.contains("warning: `app.domain` = \"api.yourstor.com\": no record set has that name; did you mean \"api.yourstore.com\"?"),
        "{text}"
    );
}
