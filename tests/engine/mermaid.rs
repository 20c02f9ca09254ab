//! The Mermaid diagrams of the Markdown reports: the topology flowchart and
//! the RTO Gantt chart of the bundled example (snapshotted, so every change
//! shows in review), hostile names that must stay inside their labels, and
//! snapshots with nothing to draw, which get a note instead of an empty
//! block. `tests/mermaid/render.sh` renders the same reports in Chromium.

use crate::common;

use std::path::Path;

use serde_json::Value;

/// Runs `drguard COMMAND --format markdown` and returns the report.
fn markdown(command: &str, config: &Path, snapshot: &Path) -> String {
    let output = common::drguard(
        &common::root(),
        &[
            command,
            "--config",
            config.to_str().unwrap(),
            "--snapshot",
            snapshot.to_str().unwrap(),
            "--format",
            "markdown",
        ],
    );
    assert_ne!(
        output.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The bodies of the ```mermaid blocks of a report, in order.
fn diagrams(report: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in report.lines() {
        match (&mut current, line) {
            (None, "```mermaid") => current = Some(Vec::new()),
            (Some(lines), "```") => {
                blocks.push(lines.join("\n"));
                current = None;
            }
            (Some(lines), line) => lines.push(line),
            (None, _) => {}
        }
    }
    assert!(current.is_none(), "unclosed mermaid block in\n{report}");
    for block in &blocks {
        assert!(
            block.lines().count() > 1,
            "a diagram without statements:\n{block}"
        );
    }
    blocks
}

fn reference() -> (std::path::PathBuf, std::path::PathBuf) {
    (
        common::root().join("fixtures/reference/drguard.toml"),
        common::root().join("fixtures/reference/snapshot.json"),
    )
}

/// Writes `doc` as a snapshot file in `dir`.
fn snapshot_file(dir: &Path, doc: &Value) -> std::path::PathBuf {
    let path = dir.join("snapshot.json");
    std::fs::write(&path, serde_json::to_string_pretty(doc).unwrap()).unwrap();
    path
}

#[test]
fn reference_diagrams_show_the_topology_and_the_timeline() {
    let (config, snapshot) = reference();
    let audit = markdown("audit", &config, &snapshot);
    let budget = markdown("budget", &config, &snapshot);
    let audit_diagrams = diagrams(&audit);
    let budget_diagrams = diagrams(&budget);
    assert_eq!(audit_diagrams.len(), 2, "{audit}");
    assert_eq!(budget_diagrams.len(), 1, "{budget}");
    let (topology, gantt) = (&audit_diagrams[0], &audit_diagrams[1]);
    // The budget report and the audit summary draw the same timeline.
    assert_eq!(gantt, &budget_diagrams[0]);

    assert!(topology.starts_with("flowchart TB\n"));
    for expected in [
        "subgraph r0[\"us-east-1 · primary\"]",
        "subgraph r1[\"us-west-2 · DR\"]",
        "([\"PRIMARY record<br/>A alias<br/>health check hc-primary-0001 · 10 s × 3\"])",
        "[\"ASG shop-web-usw2<br/>min 2 · desired 2 · max 30\"]",
        "==>|\"Global Database<br/>max lag 850ms<br/>no RPO guarantee\"|",
        "==>|\"Cross-Region Replication<br/>max latency 38s<br/>RTC 15m\"|",
        "-.->|\"AMI copy\"|",
        "-->|\"traffic dial 0#37;\"|",
    ] {
        assert!(topology.contains(expected), "{expected} not in\n{topology}");
    }
    // The traffic path of each side, in order: record → ALB → ASG → AMI.
    let id_of = |label: &str| {
        let line = topology.lines().find(|l| l.contains(label)).unwrap();
        line.trim().split(['[', '(']).next().unwrap().to_string()
    };
    let chain = [
        id_of("PRIMARY record"),
        id_of("ALB shop-alb-use1"),
        id_of("ASG shop-web-use1"),
        id_of("AMI ami-0golden000000001"),
    ];
    for pair in chain.windows(2) {
        let edge = format!("    {} --> {}", pair[0], pair[1]);
        assert!(
            topology.lines().any(|l| l == edge),
            "{edge} not in\n{topology}"
        );
    }

    assert!(gantt.starts_with("gantt\n"));
    assert!(gantt.contains("dateFormat YYYY-MM-DD HH:mm:ss"));
    let tasks: Vec<&str> = gantt.lines().filter(|l| l.contains(" :")).collect();
    // 8 steps twice, plus the target in each section.
    assert_eq!(tasks.len(), 18, "{gantt}");
    let critical: Vec<&str> = tasks
        .iter()
        .filter(|t| t.contains(":crit, n"))
        .map(|t| t.trim().split(' ').next().unwrap())
        .collect();
    assert_eq!(
        critical,
        [
            "detection",
            "decision",
            "database_promotion",
            "db_reconnect",
            "dns_failover"
        ]
    );
    assert!(gantt.contains("NOT ACHIEVABLE"), "{gantt}");
    assert!(gantt.contains("    warm_up 2m :n6, 2000-01-01 00:15:30, 2000-01-01 00:17:30"));
    assert!(
        gantt.contains("    dns_failover 7m :crit, w7, 2000-01-01 00:47:48, 2000-01-01 00:54:48")
    );
    assert!(gantt.contains("    RTO target 15m :milestone, nt, 2000-01-01 00:15:00, 0s"));

    insta::assert_snapshot!("mermaid_topology_reference", topology);
    insta::assert_snapshot!("mermaid_gantt_reference", gantt);
}

#[test]
fn budget_markdown_carries_the_claims_and_the_verdict() {
    let (config, snapshot) = reference();
    let budget = markdown("budget", &config, &snapshot);
    for expected in [
        "#### Compared with the reference design's RTO/RPO table",
        "| detection | 1m | 30s–48s | health check hc-primary-0001",
        "| RTO total | 9m | not achievable | the failover cannot complete (DRG-SSM-003); once fixed, 17m30s–54m48s: critical path detection 30s → decision 10m → database_promotion 5m → db_reconnect 30s → dns_failover 1m30s |",
        "| RPO (guaranteed) | 5m | none | typical loss is 38s, but nothing bounds it for: aurora, elasticache; s3 guarantees 15m |",
        "| s3 | 10s | 38s | 15m | ❌ 10m over |",
        "| downtime the target allows | 52.56 |",
        "| 2 expected failover(s) × 17m30s | 35 |",
        "#### Verdict against the targets",
        "- ❌ `DRG-BUD-001` (critical) RTO not achievable",
        "- ❌ `DRG-BUD-003` (medium) a failover that cannot complete",
    ] {
        assert!(budget.contains(expected), "{expected} not in\n{budget}");
    }
    // Every step the terminal report compares is in the Markdown table too.
    let human = common::drguard(
        &common::root(),
        &[
            "budget",
            "--config",
            config.to_str().unwrap(),
            "--snapshot",
            snapshot.to_str().unwrap(),
        ],
    );
    let human = String::from_utf8(human.stdout).unwrap();
    let compared = human.split("Compared with").nth(1).unwrap();
    for step in ["detection", "decision", "cache_promotion", "dns_failover"] {
        assert!(compared.contains(step));
        assert!(budget.contains(&format!("| {step} |")), "{step}");
    }
}

/// The hostile-names fixture applied to the reference snapshot.
fn hostile_snapshot() -> Value {
    let fixture: Value = serde_json::from_str(
        &std::fs::read_to_string(common::root().join("tests/mermaid/fixtures/hostile-names.json"))
            .unwrap(),
    )
    .unwrap();
    let mut doc = common::reference_json();
    common::apply_patch(&mut doc, fixture["patch"].as_array().unwrap());
    doc
}

/// True when `text` (the inside of a quoted label) holds only safe
/// characters and well-formed entity codes.
fn escaped(text: &str) -> bool {
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '#' {
            let Some((code, after)) = rest[1..].split_once(';') else {
                return false;
            };
            if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
                return false;
            }
            rest = after;
            continue;
        }
        if "\"[]{}|;:<>`*%&\\~'\n".contains(c) {
            return false;
        }
        rest = &rest[c.len_utf8()..];
    }
    true
}

/// A flowchart line with its quoted labels replaced by `Q` and its ids by
/// `N` (nodes) and `R` (subgraphs); each label must be escaped.
fn skeleton(line: &str) -> String {
    let parts: Vec<&str> = line.trim().split('"').collect();
    assert!(parts.len() % 2 == 1, "unbalanced quotes: {line}");
    let mut out = String::new();
    for (index, part) in parts.iter().enumerate() {
        if index % 2 == 1 {
            // Lines of a label are joined with `<br/>`, which drguard writes itself.
            assert!(
                part.split("<br/>").all(escaped),
                "label not escaped: {part:?} in {line}"
            );
            out.push('Q');
            continue;
        }
        let mut chars = part.chars().peekable();
        while let Some(c) = chars.next() {
            let id = (c == 'n' || c == 'r') && chars.peek().is_some_and(char::is_ascii_digit);
            if id {
                while chars.peek().is_some_and(char::is_ascii_digit) {
                    chars.next();
                }
                out.push(if c == 'n' { 'N' } else { 'R' });
            } else {
                out.push(c);
            }
        }
    }
    out
}

fn check_flowchart(chart: &str) {
    let allowed = [
        "flowchart TB",
        "N[Q]",
        "N([Q])",
        "N[(Q)]",
        "subgraph R[Q]",
        "end",
        "N --> N",
        "N -.-> N",
        "N ==> N",
        "N ~~~ N",
        "N -->|Q| N",
        "N -.->|Q| N",
        "N ==>|Q| N",
    ];
    for line in chart.lines() {
        let shape = skeleton(line);
        assert!(allowed.contains(&shape.as_str()), "{shape} from {line}");
    }
}

fn check_gantt(chart: &str) {
    for line in chart.lines().skip(1) {
        let line = line.trim();
        if ["title ", "dateFormat ", "axisFormat ", "section "]
            .iter()
            .any(|k| line.starts_with(k))
            || line == "todayMarker off"
        {
            continue;
        }
        let (name, data) = line.split_once(" :").unwrap_or_else(|| panic!("{line}"));
        assert!(escaped(name), "task name not escaped: {name:?}");
        let lower = name.to_ascii_lowercase();
        for keyword in ["section", "title", "click", "excludes", "dateformat"] {
            assert!(!lower.starts_with(keyword), "{name}");
        }
        assert!(!name.starts_with(|c: char| c.is_ascii_digit()), "{name}");
        let fields: Vec<&str> = data.split(", ").collect();
        let dates = &fields[fields.len() - 2..];
        assert!(
            dates[0].starts_with("2000-") && (dates[1].starts_with("2000-") || dates[1] == "0s"),
            "{line}"
        );
    }
}

#[test]
fn hostile_names_stay_inside_their_labels() {
    let dir = tempfile::tempdir().unwrap();
    let snapshot = snapshot_file(dir.path(), &hostile_snapshot());
    let config = common::root().join("tests/mermaid/fixtures/hostile.toml");
    let audit = markdown("audit", &config, &snapshot);
    let budget = markdown("budget", &config, &snapshot);
    let charts = diagrams(&audit);
    assert_eq!(charts.len(), 2, "{audit}");
    check_flowchart(&charts[0]);
    check_gantt(&charts[1]);
    assert_eq!(diagrams(&budget), [charts[1].clone()]);

    let topology = &charts[0];
    for expected in [
        "[\"ALB shop#quot;#93;#59;click n0 #quot;evil\"]",
        "[\"ASG web use1 #37;#37;#123;init#58; #123;#125;#125;#37;#37; #lt;b#gt;bold#lt;/b#gt;<br/>",
        "[\"ASG end<br/>",
        "[(\"S3 assets#35;dr#59;1\")]",
        "[(\"ElastiCache cache#quot;usw2#quot;#93;\")]",
        "([\"Global Accelerator<br/>ga --#gt; #quot;x#quot; #59; y\"])",
        "fl#176;#176;35#182; ß",
    ] {
        assert!(topology.contains(expected), "{expected} not in\n{topology}");
    }
    // The S3 replication to the renamed bucket is still drawn between regions.
    assert!(topology.contains("==>|\"Cross-Region Replication<br/>max latency 38s<br/>RTC\"|"));
    let gantt = &charts[1];
    for expected in [
        "    detect #quot;x#quot;#93;#59; #35;1 30s :crit, n0, ",
        "    #115;ection#58; promote 2m :crit, n1, ",
        "    #50;024-01-01 #37;#37; click now 0s :crit, n2, ",
    ] {
        assert!(gantt.contains(expected), "{expected} not in\n{gantt}");
    }
    // Markdown outside the diagrams keeps table cells intact.
    assert!(
        budget.contains("| db\\|\"x\" | 1s | none | none | ❌ nothing bounds the loss | fixed |")
    );
}

/// The reference snapshot with every resource list emptied.
fn empty_snapshot() -> Value {
    let mut doc = common::reference_json();
    let clear = |object: &mut Value| {
        for value in object.as_object_mut().unwrap().values_mut() {
            if value.is_array() {
                *value = Value::Array(Vec::new());
            }
        }
    };
    for region in doc["regions"].as_object_mut().unwrap().values_mut() {
        clear(region);
    }
    clear(&mut doc["global"]);
    doc
}

#[test]
fn nothing_to_draw_is_a_note_never_an_empty_diagram() {
    let dir = tempfile::tempdir().unwrap();
    let snapshot = snapshot_file(dir.path(), &empty_snapshot());
    let topology_note = "_Nothing to draw: the snapshot has no failover record";
    let timeline_note =
        "_No failover step applies to this configuration: there is no timeline to draw._";

    // No topology, and a budget model in which no step applies.
    let nothing = common::root().join("tests/mermaid/fixtures/nothing.toml");
    let audit = markdown("audit", &nothing, &snapshot);
    let budget = markdown("budget", &nothing, &snapshot);
    assert!(!audit.contains("```mermaid") && !budget.contains("```mermaid"));
    assert!(
        audit.contains(topology_note) && audit.contains(timeline_note),
        "{audit}"
    );
    assert!(budget.contains(timeline_note), "{budget}");
    assert!(budget.contains("critical path: none."), "{budget}");
    assert!(
        !budget.contains("| step | start |"),
        "no empty step table:\n{budget}"
    );
    assert!(budget.contains("_No replicated data store applies to this configuration._"));

    // No topology, but the built-in model still has a manual decision.
    let (reference_config, _) = reference();
    let audit = markdown("audit", &reference_config, &snapshot);
    assert!(audit.contains(topology_note), "{audit}");
    let charts = diagrams(&audit);
    assert_eq!(charts.len(), 1, "{audit}");
    assert!(charts[0].starts_with("gantt\n"));
    assert!(
        charts[0].contains("    decision 10m :crit, n0, 2000-01-01 00:00:00, 2000-01-01 00:10:00")
    );
}

#[test]
fn a_record_that_points_at_the_accelerator_leads_to_it() {
    let mut doc = common::reference_json();
    doc["global"]["hosted_zones"][0]["record_sets"][2]["alias_target"]["dns_name"] =
        "a1234567890abcdef.awsglobalaccelerator.com.".into();
    let dir = tempfile::tempdir().unwrap();
    let snapshot = snapshot_file(dir.path(), &doc);
    let (config, _) = reference();
    let charts = diagrams(&markdown("audit", &config, &snapshot));
    let topology = &charts[0];
    check_flowchart(topology);
    let id_of = |label: &str| {
        let line = topology.lines().find(|l| l.contains(label)).unwrap();
        line.trim().split(['[', '(']).next().unwrap().to_string()
    };
    let (record, accelerator) = (id_of("PRIMARY record"), id_of("Global Accelerator"));
    let edge = format!("    {record} --> {accelerator}");
    assert!(
        topology.lines().any(|l| l == edge),
        "{edge} not in\n{topology}"
    );
}
