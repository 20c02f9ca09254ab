//! `audit --plan` on plans written by real Terraform (1.11.4, hashicorp/aws
//! 5.100.0) for `tests/terraform/`, applied to moto 5.2.5 and snapshotted
//! with `drguard snapshot` (fixtures/plan/terraform/, made by
//! `scripts/real-plans --keep`; docs/plan.md, "Against real Terraform").
//! Real plans carry what hand-written ones leave out: attributes the
//! provider computes (unknown on create), links inside blocks, `for`
//! expressions over `for_each` instances, ids passed into a module (the DR
//! group is `module.dr`, called with the DR provider), replaced resources.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::common;

const CONFIG: &str = "tests/live/drguard.toml";

fn audit(plan: &str, snapshot: Option<&str>) -> (i32, Value) {
    let plan = format!("fixtures/plan/terraform/{plan}.json");
    let mut args = vec![
        "audit", "--config", CONFIG, "--plan", &plan, "--format", "json", "--quiet",
    ];
    let snapshot = snapshot.map(|s| format!("fixtures/plan/terraform/{s}.snapshot.json"));
    if let Some(snapshot) = &snapshot {
        args.extend(["--snapshot", snapshot]);
    }
    let output = common::drguard(&common::root(), &args);
    let code = output.status.code().unwrap_or(-1);
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
        panic!(
            "exit {code}, no JSON report; stderr:\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (code, report)
}

fn result<'r>(report: &'r Value, rule: &str) -> &'r Value {
    report["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule_id"] == rule)
        .unwrap_or_else(|| panic!("no {rule} result"))
}

fn with_status(report: &Value, status: &str) -> BTreeSet<String> {
    report["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == status)
        .map(|r| r["rule_id"].as_str().unwrap().to_string())
        .collect()
}

/// The rules that read the runbook's content (what a plan that templates
/// the runbook with ARNs it creates cannot say before apply).
const RUNBOOK_READERS: &[&str] = &[
    "DRG-ASG-004",
    "DRG-BUD-001",
    "DRG-BUD-003",
    "DRG-EVT-001",
    "DRG-REG-001",
    "DRG-SSM-001",
    "DRG-SSM-002",
    "DRG-SSM-003",
    "DRG-SSM-004",
    "DRG-SSM-005",
    "DRG-SSM-006",
    "DRG-SSM-007",
];

/// The DR side created over an account that has only the primary: every
/// link (record → load balancer and health check, group → template and
/// subnets of a `for_each` through the module's input variables, cluster →
/// global cluster, replication rule → bucket) resolves, and attributes the provider computes are AWS's
/// defaults; only the runbook, whose content embeds new ARNs, is unknown.
#[test]
fn a_real_plan_creating_the_dr_side_links_and_leaves_only_the_runbook_unknown() {
    let (code, report) = audit("create-dr", Some("primary-only"));
    assert_eq!(code, 3, "the runbook is known only after apply");
    assert_eq!(
        report["plan"]["unknown"],
        serde_json::json!([
            "`aws_ssm_document.failover`: its content is known only after apply",
            "aws_ssm_document.failover.content"
        ])
    );
    for rule in [
        "DRG-R53-004",
        "DRG-R53-005",
        "DRG-ELB-002",
        "DRG-ASG-002",
        "DRG-AMI-001",
        "DRG-AMI-002",
        "DRG-RDS-002",
        "DRG-S3-001",
        "DRG-S3-002",
        "DRG-S3-003",
        "DRG-PAR-004",
    ] {
        assert_eq!(result(&report, rule)["status"], "pass", "{rule}");
    }
    let s3 = result(&report, "DRG-S3-003")["message"].as_str().unwrap();
    assert!(s3.contains("shop-assets-usw2"), "{s3}");
    // A health check the plan creates has no status yet: not judged.
    let serviceable = result(&report, "DRG-R53-008");
    assert_eq!(serviceable["status"], "not_applicable");
    assert!(
        serviceable["message"]
            .as_str()
            .unwrap()
            .contains("has no status yet"),
        "{serviceable:#}"
    );
    let errors = with_status(&report, "error");
    let expected: BTreeSet<String> = RUNBOOK_READERS.iter().map(|r| r.to_string()).collect();
    assert_eq!(errors, expected);
}

/// Everything created (`--plan` alone): the cluster created with the master
/// credentials is the global cluster's writer, whatever order the plan
/// lists the clusters in (the DR one comes first).
#[test]
fn a_real_plan_creating_everything_finds_the_writer_and_passes_nothing_unknown() {
    let (code, report) = audit("create-all", None);
    assert_eq!(code, 3);
    assert_eq!(result(&report, "DRG-RDS-001")["status"], "pass");
    assert_eq!(result(&report, "DRG-RDS-002")["status"], "pass");
    assert!(with_status(&report, "fail").is_empty(), "{report:#}");
    // The DR image copy is named after the primary image, which is new too.
    let unknown: Vec<&str> = report["plan"]["unknown"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u.as_str().unwrap())
        .collect();
    assert!(
        unknown.contains(&"aws_ami_copy.golden_dr.name"),
        "{unknown:?}"
    );
    assert_eq!(result(&report, "DRG-AMI-001")["status"], "error");
    assert_eq!(result(&report, "DRG-AMI-002")["status"], "error");
}

/// Terraform replaces a health check whose interval changes: its id, the
/// record's `health_check_id` and the alarm's dimension are known only
/// after apply, and all three follow the new check.
#[test]
fn a_real_replaced_health_check_fails_only_its_rule() {
    let (base_code, base) = audit("noop", Some("reference"));
    let (code, report) = audit("hc-interval", Some("reference"));
    assert_eq!(code, base_code.max(1));
    assert_eq!(
        report["plan"]["unknown"],
        serde_json::json!([]),
        "{:#}",
        report["plan"]
    );
    let new: BTreeSet<String> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["plan_new"] == true)
        .map(|r| format!("{} {}", r["rule_id"].as_str().unwrap(), r["plan_address"]))
        .collect();
    assert_eq!(
        new,
        BTreeSet::from(["DRG-R53-001 \"aws_route53_health_check.primary\"".to_string()])
    );
    assert_eq!(
        with_status(&base, "error"),
        with_status(&report, "error"),
        "nothing in error"
    );
}

/// The SECONDARY records deleted (`count = 0`): the failover has nowhere to
/// go, and the results name the deleted records.
#[test]
fn a_real_plan_deleting_the_secondary_names_the_records() {
    let (code, report) = audit("secondary-deleted", Some("reference"));
    assert_eq!(code, 1);
    let secondary = result(&report, "DRG-R53-005");
    assert_eq!(secondary["status"], "fail");
    assert_eq!(secondary["plan_new"], true);
    let changes = secondary["plan_changes"].to_string();
    assert!(
        changes.contains("aws_route53_record.secondary[0]`: deleted")
            && changes.contains("aws_route53_record.secondary_v6[0]`: deleted"),
        "{changes}"
    );
}

/// A launch template moved to an image the snapshot does not hold, with no
/// copy in the DR region: DRG-AMI-001 asks for the copy on the template's
/// address, and the DR group no longer launches the primary's image.
#[test]
fn a_real_plan_with_an_uncopied_image_fails_the_image_rules() {
    let (_, report) = audit("image-not-copied", Some("reference"));
    let image = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule_id"] == "DRG-AMI-001" && r["status"] == "fail")
        .expect("DRG-AMI-001 fails");
    assert_eq!(image["resource_id"], "ami-0a1b2c3d4e5f60718");
    assert_eq!(image["plan_address"], "aws_launch_template.web");
    assert!(
        image["message"]
            .as_str()
            .unwrap()
            .contains("not in the snapshot"),
        "{image:#}"
    );
    assert_eq!(result(&report, "DRG-AMI-002")["status"], "fail");
}

/// The DR group's MinSize lowered inside `module.dr`: its region comes from
/// the provider the module call passes, and the result names the module
/// address and the attribute.
#[test]
fn a_real_plan_changing_the_dr_group_in_its_module_names_the_module_address() {
    let (_, base) = audit("noop", Some("reference"));
    let (code, report) = audit("dr-min-size", Some("reference"));
    assert_eq!(code, 1);
    let new: Vec<&Value> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["plan_new"] == true)
        .collect();
    assert_eq!(new.len(), 1, "{new:#?}");
    assert_eq!(new[0]["rule_id"], "DRG-ASG-002");
    assert_eq!(new[0]["region"], "us-west-2");
    assert_eq!(
        new[0]["plan_address"],
        "module.dr.aws_autoscaling_group.web_dr"
    );
    assert_eq!(
        new[0]["plan_changes"],
        serde_json::json!(["`module.dr.aws_autoscaling_group.web_dr`: `min_size` 2 → 1"])
    );
    assert_eq!(
        with_status(&base, "fail"),
        BTreeSet::from(["DRG-ELB-003".to_string(), "DRG-SSM-005".to_string()]),
        "the no-op plan fails what the account fails"
    );
}
