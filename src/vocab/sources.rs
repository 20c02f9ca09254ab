//! Data-source names: what `requires` in a rule, `[[collect.skip]]` and
//! collection gaps refer to. `service` covers all of a service's data;
//! `service.resource` one kind of it. Which names exist is service knowledge
//! (`crate::snapshot::spec`); how two names relate is decided here.

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
