//! Data-source names: what `requires` in a rule, `[[collect.skip]]` and
//! collection gaps refer to. `service` covers all of a service's data;
//! `service.resource` one kind of it.

/// Every known data source with a one-line description.
pub const SOURCES: &[(&str, &str)] = &[
    (
        "route53",
        "Route 53 hosted zones, record sets and health checks",
    ),
    (
        "route53.hosted_zones",
        "Route 53 hosted zones and their record sets",
    ),
    (
        "route53.health_checks",
        "Route 53 health checks and their status",
    ),
    (
        "globalaccelerator",
        "Global Accelerator accelerators, listeners and endpoint groups",
    ),
    ("elbv2", "load balancers and target groups"),
    ("elbv2.load_balancers", "load balancers"),
    ("elbv2.target_groups", "target groups"),
    ("autoscaling", "Auto Scaling groups and warm pools"),
    ("ec2", "launch templates and AMIs"),
    (
        "ec2.launch_templates",
        "launch template versions the groups use",
    ),
    ("ec2.images", "AMIs owned by the account"),
    ("rds", "Aurora global clusters and regional DB clusters"),
    ("rds.global_clusters", "Aurora global clusters"),
    ("rds.db_clusters", "regional DB clusters"),
    (
        "rds.cluster_parameters",
        "rds.global_db_rpo from Aurora PostgreSQL cluster parameter groups",
    ),
    (
        "elasticache",
        "ElastiCache replication groups and global datastores",
    ),
    (
        "elasticache.replication_groups",
        "ElastiCache replication groups",
    ),
    (
        "elasticache.global_replication_groups",
        "ElastiCache global datastores",
    ),
    ("s3", "S3 buckets, versioning and replication"),
    ("s3.buckets", "the bucket list and bucket regions"),
    ("s3.versioning", "bucket versioning"),
    ("s3.replication", "bucket replication configuration"),
    ("ssm", "SSM Automation documents and their steps"),
    ("events", "EventBridge rules and targets"),
    ("cloudwatch", "CloudWatch replication-lag metrics"),
];

/// True for a known data-source name.
pub fn is_known(name: &str) -> bool {
    SOURCES.iter().any(|(known, _)| *known == name)
}

/// All names, for error messages.
pub fn names() -> Vec<&'static str> {
    SOURCES.iter().map(|(name, _)| *name).collect()
}

/// True when data named `have` (a gap or a skip: `service` or `service.resource`)
/// is part of what `wanted` (a rule's requirement) needs.
pub fn overlaps(wanted: &str, have: &str) -> bool {
    let (wanted_service, wanted_part) = split(wanted);
    let (have_service, have_part) = split(have);
    wanted_service == have_service
        && match (wanted_part, have_part) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        }
}

fn split(name: &str) -> (&str, Option<&str>) {
    match name.split_once('.') {
        Some((service, part)) => (service, Some(part)),
        None => (name, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_and_part_overlap() {
        assert!(overlaps("s3", "s3.replication"));
        assert!(overlaps("s3.replication", "s3"));
        assert!(overlaps("s3.replication", "s3.replication"));
        assert!(!overlaps("s3.replication", "s3.versioning"));
        assert!(!overlaps("rds", "s3"));
    }
}
