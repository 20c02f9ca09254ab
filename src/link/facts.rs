//! What link knows about one resource, per resource type: the facts merged
//! into the resource's CEL value next to its model fields
//! (`resource.role`, `resource.guards_primary`, …).
//!
//! Each type's facts are a struct, so the compiler checks every name link
//! writes and every place link reads its own facts back (the budget's data
//! stores read a bucket's replication rules). A struct is serialised once
//! into the resource's value ([`to_annotations`]); every field is always
//! present, `null` when unknown, so rule expressions never fail on a missing
//! key. The doc comments here are the annotation table of
//! `docs/writing-rules.md` (generated, checked fresh by a test).

use schemars::JsonSchema;
use serde::Serialize;

use super::Role;
pub use super::readiness::{KeyStatus, TlsCertificate};

/// A resource's facts, as the map merged into its CEL value.
pub type Annotations = serde_json::Map<String, serde_json::Value>;

/// The facts as a map (an empty map for a struct without fields).
pub fn to_annotations<T: Serialize>(facts: &T) -> Annotations {
    match serde_json::to_value(facts) {
        Ok(serde_json::Value::Object(map)) => map,
        // Facts are structs of plain data: anything else is a bug in this file,
        // and no facts is what the rules then see (they read null).
        _ => Annotations::new(),
    }
}

/// `route53.health_check`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct HealthCheckFacts {
    /// True when this check is the one on the PRIMARY failover record of `app.domain`.
    pub guards_primary: bool,
    /// True when this check is the one on the SECONDARY failover record.
    pub guards_secondary: bool,
    /// For the SECONDARY's own check: the PRIMARY's check, to compare timings with (parity).
    pub primary_peer: Option<PeerHealthCheck>,
    /// True when its checkers poll the endpoint (HTTP, HTTPS, their `_STR_MATCH` forms, TCP).
    pub polls: bool,
    /// True when it decides the PRIMARY's health: the PRIMARY record's check or, through calculated checks, one of its children.
    pub decides_primary: bool,
    /// True when it decides the failover: the check of the PRIMARY or SECONDARY record, or a child of one.
    pub decides_failover: bool,
    /// Why Route 53 cannot judge the endpoint with it (disabled, inverted, calculated threshold out of range), or null.
    pub defect: Option<String>,
    /// True when the name it probes is `app.domain` itself (its results then depend on the records it guards).
    pub probes_app_domain: bool,
    /// Child checks it names that are not in the snapshot.
    pub missing_children: Vec<String>,
}

/// The check guarding the PRIMARY record, as a SECONDARY check's peer.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PeerHealthCheck {
    /// Its id.
    pub id: String,
    /// Its `RequestInterval`, seconds (null when it does not poll).
    pub request_interval: Option<i64>,
    /// Its `FailureThreshold` (null when it does not poll).
    pub failure_threshold: Option<i64>,
}

/// `route53.record_set`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RecordSetFacts {
    /// The hosted zone's id.
    pub zone_id: String,
    /// The hosted zone's name, normalised (lower case, no trailing dot).
    pub zone_name: String,
    /// True when the record's name is `app.domain`.
    pub is_app_record: bool,
}

/// `elbv2.load_balancer`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct LoadBalancerFacts {
    /// `primary` or `dr` when a failover record (or the accelerator) sends the app's traffic to it.
    pub role: Option<Role>,
    /// The certificates its HTTPS and TLS listeners present, each looked up in ACM in its region.
    pub tls_certificates: Vec<TlsCertificate>,
}

/// `autoscaling.group`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AutoScalingGroupFacts {
    /// `primary` or `dr` when it serves the app's load balancer on that side.
    pub role: Option<Role>,
    /// True when its tags satisfy `[scope].tags` (always true without a scope).
    pub in_scope: bool,
    /// The AMI its launch template version launches.
    pub image_id: Option<String>,
    /// The instance type its launch template version launches.
    pub instance_type: Option<String>,
    /// The launch template version it launches, resolved (`$Latest` → a number).
    pub launch_template_version: Option<i64>,
    /// The DR copies of the AMIs the primary group launches: the DR group must launch one.
    pub expected_image_ids: Vec<String>,
    /// True when it launches one of `expected_image_ids`.
    pub lineage_matches_primary: bool,
    /// The state of the AMI it launches in its own region (`available`,
    /// `pending`, …); null when no such AMI is there: it cannot launch.
    pub image_state: Option<String>,
    /// For a DR group: the security groups, subnets and instance profile
    /// its launches need that are not in its region, one line each.
    pub unresolvable_launch_references: Vec<String>,
    /// For a DR group: what was checked, in words.
    pub launch_references_checked: String,
}

/// `ec2.image`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ImageFacts {
    /// `primary` when the primary group launches it; null otherwise.
    pub role: Option<Role>,
    /// Its copy in the DR region, when one was found.
    pub dr_copy: Option<DrCopy>,
}

/// An AMI's copy in the DR region.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DrCopy {
    /// The copy's id.
    pub id: String,
    /// The copy's state (`available`, `pending`, …).
    pub state: String,
    /// How it was matched: `source_image_id`, `tag`, `name` or `description`.
    pub matched_by: String,
}

/// `rds.db_cluster`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DbClusterFacts {
    /// `primary` or `dr` by region.
    pub role: Option<Role>,
    /// True when its tags satisfy `[scope].tags`.
    pub in_scope: bool,
    /// The global cluster it is a member of.
    pub global_cluster_id: Option<String>,
    /// True when it is the writer member of its global cluster.
    pub is_global_writer: bool,
    /// Its Aurora Global Database lag over the metric window, when CloudWatch has datapoints.
    pub replication_lag: Option<ReplicationLag>,
    /// Its DB instances: none makes it headless (nothing to promote until one is added).
    pub instances: Vec<String>,
    /// The instance classes of those instances.
    pub instance_classes: Vec<String>,
    /// The engine version of its global cluster's writer member (managed failover needs the same major and minor).
    pub primary_engine_version: Option<String>,
    /// True when its engine version has the writer's major and minor version; null when either is unknown.
    pub same_minor_version: Option<bool>,
    /// The writer member's writer instance class.
    pub primary_writer_class: Option<String>,
    /// True when one of its instances is at least as large as the primary's writer; null when a size is unknown.
    pub can_carry_primary_load: Option<bool>,
    /// Its encryption key, resolved in the key's region; null when it names none.
    pub kms_key: Option<KeyStatus>,
}

/// An Aurora secondary's lag metric.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ReplicationLag {
    /// `AuroraGlobalDBRPOLag`, else `AuroraGlobalDBReplicationLag`.
    pub metric: String,
    /// Maximum over the window, milliseconds.
    pub maximum_ms: Option<f64>,
    /// Average over the window, milliseconds.
    pub average_ms: Option<f64>,
    /// Datapoints in the window.
    pub datapoints: i64,
    /// The window, seconds.
    pub window_seconds: i64,
}

/// `rds.global_cluster`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GlobalClusterFacts {
    /// The writer member's region.
    pub writer_region: Option<String>,
    /// The secondary members' regions.
    pub secondary_regions: Vec<String>,
    /// True when the writer member is in scope (or unknown).
    pub in_scope: bool,
}

/// `elasticache.replication_group`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CacheReplicationGroupFacts {
    /// `primary` or `dr` by region.
    pub role: Option<Role>,
    /// True when its tags satisfy `[scope].tags`.
    pub in_scope: bool,
    /// Its replica in the DR region: the DR member of its global datastore where the data shows one, else the first in-scope group there.
    pub dr_replica: Option<CacheReplica>,
    /// For a DR group: the primary-region group it mirrors (parity).
    pub primary_peer: Option<CachePeer>,
}

/// A cache group's DR replica.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CacheReplica {
    /// The replica's id.
    pub id: String,
    /// `global_datastore` or `region`: how it was found.
    pub via: String,
}

/// The primary-region group a DR cache group mirrors.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CachePeer {
    /// Its id.
    pub id: String,
    /// Its node type.
    pub node_type: Option<String>,
    /// Its engine.
    pub engine: Option<String>,
    /// Its engine version.
    pub engine_version: Option<String>,
}

/// `s3.bucket`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct BucketFacts {
    /// `primary` or `dr` by the bucket's region.
    pub role: Option<Role>,
    /// True when its tags satisfy `[scope].tags`.
    pub in_scope: bool,
    /// `arn:aws:s3:::NAME`.
    pub arn: String,
    /// Every replication rule, its destination resolved.
    pub replication_rules: Vec<ReplicationRuleFacts>,
    /// The `Enabled` rules whose destination is (or may be) in the DR region.
    pub dr_replication_rules: Vec<ReplicationRuleFacts>,
    /// True when its default encryption is SSE-KMS (`aws:kms`, `aws:kms:dsse`): S3 then replicates such objects only when a rule asks.
    pub sse_kms_default: bool,
}

/// `secretsmanager.secret`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SecretFacts {
    /// `primary` or `dr` by region.
    pub role: Option<Role>,
    /// True when its tags satisfy `[scope].tags`.
    pub in_scope: bool,
    /// True when it is a primary secret (not a replica of another region's).
    pub is_primary: bool,
    /// The status of its replica in the DR region (`InSync`, `InProgress`, `Failed`), null when it has none.
    pub dr_replica_status: Option<String>,
    /// True when the DR region holds a secret of the same name (a replica, or one kept by hand).
    pub dr_secret_exists: bool,
    /// Its encryption key, resolved in its region; null when it uses the AWS-managed key.
    pub kms_key: Option<KeyStatus>,
}

/// One replication rule with its destination looked up.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ReplicationRuleFacts {
    /// The rule's id.
    pub id: Option<String>,
    /// `Enabled` or `Disabled`.
    pub status: String,
    /// The destination bucket's name.
    pub destination_bucket: String,
    /// True when the destination bucket is in the snapshot.
    pub destination_exists: bool,
    /// The destination bucket's region, when known.
    pub destination_region: Option<String>,
    /// True when the destination bucket has versioning `Enabled`.
    pub destination_versioned: bool,
    /// True when the destination is in the DR region, or unknown (DRG-S3-003 reports it missing).
    pub to_dr: bool,
    /// Replication Time Control enabled on the rule.
    pub replication_time_enabled: bool,
    /// Replication metrics enabled on the rule.
    pub metrics_enabled: bool,
    /// Delete markers replicated.
    pub delete_marker_replication: bool,
    /// `SourceSelectionCriteria.SseKmsEncryptedObjects` (`Enabled` to replicate SSE-KMS objects).
    pub sse_kms_encrypted_objects: Option<String>,
    /// The key replicas are encrypted with in the destination, resolved there.
    pub replica_key: Option<KeyStatus>,
}

/// `ssm.document`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DocumentFacts {
    /// True when it is the failover runbook link chose.
    pub is_runbook: bool,
    /// True when its tags satisfy `[scope].tags`.
    pub in_scope: bool,
}

/// Every resource type that has facts, with the JSON Schema of its struct
/// (doc comments included): the source of the annotation table in
/// `docs/writing-rules.md`.
pub fn schemas() -> Vec<(&'static str, serde_json::Value)> {
    fn schema<T: JsonSchema>() -> serde_json::Value {
        serde_json::to_value(schemars::schema_for!(T)).unwrap_or_default()
    }
    vec![
        ("route53.health_check", schema::<HealthCheckFacts>()),
        ("route53.record_set", schema::<RecordSetFacts>()),
        ("elbv2.load_balancer", schema::<LoadBalancerFacts>()),
        ("secretsmanager.secret", schema::<SecretFacts>()),
        ("autoscaling.group", schema::<AutoScalingGroupFacts>()),
        ("ec2.image", schema::<ImageFacts>()),
        ("rds.db_cluster", schema::<DbClusterFacts>()),
        ("rds.global_cluster", schema::<GlobalClusterFacts>()),
        (
            "elasticache.replication_group",
            schema::<CacheReplicationGroupFacts>(),
        ),
        ("s3.bucket", schema::<BucketFacts>()),
        ("ssm.document", schema::<DocumentFacts>()),
    ]
}

/// The annotation table: one row per fact (nested fields as `a.b`), with its
/// type and its doc comment.
pub fn markdown() -> String {
    let mut out =
        String::from("| resource type | annotation | type | meaning |\n|---|---|---|---|\n");
    for (kind, schema) in schemas() {
        let defs = schema.get("$defs").cloned().unwrap_or_default();
        let mut rows = Vec::new();
        fields(&schema, &defs, "", &mut rows);
        for (name, kind_name, meaning) in rows {
            out.push_str(&format!(
                "| `{kind}` | `{name}` | {kind_name} | {} |\n",
                meaning.replace('|', "\\|").replace('\n', " ")
            ));
        }
    }
    out
}

/// Flattens an object schema's properties into rows, nested objects as `a.b`.
fn fields(
    schema: &serde_json::Value,
    defs: &serde_json::Value,
    prefix: &str,
    rows: &mut Vec<(String, String, String)>,
) {
    let Some(properties) = schema.get("properties").and_then(|p| p.as_object()) else {
        return;
    };
    for (name, property) in properties {
        let path = format!("{prefix}{name}");
        let description = property
            .get("description")
            .and_then(|d| d.as_str())
            .unwrap_or_default()
            .to_string();
        let (type_name, nested) = type_of(property, defs);
        rows.push((path.clone(), type_name, description));
        if let Some(nested) = nested {
            fields(&nested, defs, &format!("{path}."), rows);
        }
    }
}

/// A property's type for people, and the object schema to expand under it.
fn type_of(
    property: &serde_json::Value,
    defs: &serde_json::Value,
) -> (String, Option<serde_json::Value>) {
    let resolve = |reference: &str| {
        let name = reference.rsplit('/').next().unwrap_or(reference);
        defs.get(name).cloned().unwrap_or_default()
    };
    if let Some(reference) = property.get("$ref").and_then(|r| r.as_str()) {
        return describe(&resolve(reference), defs, false);
    }
    if let Some(any) = property.get("anyOf").and_then(|a| a.as_array()) {
        // `Option<T>` of a named type: `T` or null.
        if let Some(reference) = any
            .iter()
            .find_map(|v| v.get("$ref").and_then(|r| r.as_str()))
        {
            return describe(&resolve(reference), defs, true);
        }
    }
    describe(property, defs, false)
}

fn describe(
    schema: &serde_json::Value,
    defs: &serde_json::Value,
    nullable: bool,
) -> (String, Option<serde_json::Value>) {
    let or_null = |text: String| {
        if nullable {
            format!("{text} or null")
        } else {
            text
        }
    };
    if let Some(values) = schema.get("enum").and_then(|e| e.as_array()) {
        let names: Vec<String> = values
            .iter()
            .filter_map(|v| v.as_str().map(|s| format!("`{s}`")))
            .collect();
        return (or_null(names.join(" or ")), None);
    }
    if let Some(variants) = schema.get("oneOf").and_then(|o| o.as_array()) {
        let names: Vec<String> = variants
            .iter()
            .filter_map(|v| v.get("const").and_then(|c| c.as_str()))
            .map(|s| format!("`{s}`"))
            .collect();
        return (or_null(names.join(" or ")), None);
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(serde_json::Value::String(one)) => vec![one.as_str()],
        Some(serde_json::Value::Array(many)) => many.iter().filter_map(|t| t.as_str()).collect(),
        _ => Vec::new(),
    };
    let nullable = nullable || types.contains(&"null");
    let main = types
        .iter()
        .find(|t| **t != "null")
        .copied()
        .unwrap_or("any");
    match main {
        "object" => (
            if nullable {
                "object or null".into()
            } else {
                "object".into()
            },
            Some(schema.clone()),
        ),
        "array" => {
            let items = schema.get("items").cloned().unwrap_or_default();
            let (item, nested) = type_of(&items, defs);
            let text = format!("list of {item}");
            (
                if nullable {
                    format!("{text} or null")
                } else {
                    text
                },
                nested,
            )
        }
        "integer" | "number" => (
            if nullable {
                "number or null".into()
            } else {
                "number".into()
            },
            None,
        ),
        other => (
            if nullable {
                format!("{other} or null")
            } else {
                other.to_string()
            },
            None,
        ),
    }
}
