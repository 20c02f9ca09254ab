//! Every crash, panic or timeout the fuzzers found, replayed on stable, and
//! every target's seeds.
//!
//! Each input in `fuzz/regressions/<target>/` and `fuzz/seeds/<target>/`
//! goes through the very driver the fuzz target runs (`fuzz/src/drivers.rs`,
//! included below), so the test fails if the bug comes back: a panic fails
//! it, and so does an input that takes longer than [`LIMIT`] (the fuzzers'
//! timeouts). A folder a test names must exist and hold inputs: a test that
//! replays nothing could never fail. See docs/fuzzing.md.

#[path = "../../fuzz/src/drivers.rs"]
#[allow(dead_code)]
mod drivers;

#[cfg(feature = "live")]
#[path = "../../fuzz/src/aws.rs"]
mod aws;

use crate::common;

use std::sync::mpsc;
use std::time::Duration;

/// Well above what any input takes in a debug build; a regression of a
/// timeout (unbounded recursion, exponential matching) runs far longer.
const LIMIT: Duration = Duration::from_secs(60);

/// Replays the target's found crashes (`fuzz/regressions/<target>`).
fn replay(target: &str, driver: fn(&[u8])) {
    replay_folder(&format!("fuzz/regressions/{target}"), driver);
}

/// Replays the target's seeds (`fuzz/seeds/<target>`).
fn replay_seeds(target: &str, driver: fn(&[u8])) {
    replay_folder(&format!("fuzz/seeds/{target}"), driver);
}

fn replay_folder(folder: &str, driver: fn(&[u8])) {
    let path = common::root().join(folder);
    let entries = std::fs::read_dir(&path)
        .unwrap_or_else(|e| panic!("{folder}: cannot read the folder this test replays: {e}"));
    let mut inputs: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
    inputs.sort();
    assert!(
        !inputs.is_empty(),
        "{folder} is empty: a replay of nothing cannot fail"
    );
    for path in inputs {
        let data = std::fs::read(&path).unwrap();
        let name = path.display().to_string();
        let (done, finished) = mpsc::channel();
        // A thread of its own: a timeout fails the test instead of hanging it,
        // and the main thread's stack size is not what the fuzzer had.
        let worker = std::thread::Builder::new()
            .name(name.clone())
            .spawn(move || {
                driver(&data);
                let _ = done.send(());
            })
            .unwrap();
        match finished.recv_timeout(LIMIT) {
            Ok(()) => worker.join().unwrap(),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                panic!("{name}: still running after {LIMIT:?} (a fuzzer timeout is back)")
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                panic!(
                    "{name}: the driver panicked (a fuzzer crash is back): {:?}",
                    worker.join().err()
                )
            }
        }
    }
}

// `config` and `rule_file` have no found crash yet: their seeds run.
#[test]
fn config_inputs() {
    replay_seeds("config", drivers::config);
}

#[test]
fn rule_file_inputs() {
    replay_seeds("rule_file", drivers::rule_file);
}

#[test]
fn cel_inputs() {
    replay_seeds("cel", drivers::cel);
    replay("cel", drivers::cel);
}

#[test]
fn snapshot_inputs() {
    replay("snapshot", drivers::snapshot);
}

#[test]
fn ssm_document_inputs() {
    replay_seeds("ssm_document", drivers::ssm_document);
    replay("ssm_document", drivers::ssm_document);
}

#[test]
fn plan_inputs() {
    replay_seeds("plan", drivers::plan);
}

/// The AWS-response target's own seeds (real answer shapes, 4xx/5xx errors;
/// it has no found crash to replay yet) go through the whole driver: collection through the SDK with every data
/// call answered in-process, fail-closed gaps, and a snapshot that reads back.
#[cfg(feature = "live")]
#[test]
fn aws_response_seeds_and_inputs() {
    replay_seeds("aws_response", aws::aws_response);
}

/// The snapshot fuzzer's label finding, pinned to the exact position:
/// serde_json counts columns in bytes, so an error after non-ASCII text on
/// the same line must point at the offending byte, not characters further on.
#[test]
fn snapshot_errors_point_at_the_offending_text_after_non_ascii() {
    use miette::Diagnostic;
    let text = "{\"schema_version\": \"1\", \"résumé\": \"Ռ\", x}";
    let file = drguard::source::SourceFile::new("s.json", text);
    let err = drguard::snapshot::parse(&file).unwrap_err();
    let label = err.labels().unwrap().next().unwrap();
    assert_eq!(&text[label.offset()..label.offset() + label.len()], "x");
}
