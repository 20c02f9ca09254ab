//! The app's topology as a Mermaid flowchart: one subgraph per region, the
//! traffic path in each (failover record → load balancer → Auto Scaling
//! group → image), the data stores below it, and the arrows between the
//! regions (AMI copies, replication) labelled with the measured lag and the
//! guarantee the budget credits.
//!
//! Every relation comes from what link derived (`Linked`: the failover
//! records, each side's load balancers, groups and images, the AMI copies)
//! and from the budget's data stores; the snapshot only supplies display
//! names and the two joins link flattens away (which group sits behind which
//! load balancer, which endpoint group holds which load balancer).

use std::collections::HashMap;
use std::fmt::Write;

use super::mermaid;
use crate::budget::stores::data_stores;
use crate::budget::{Budget, human_seconds};
use crate::config::Config;
use crate::link::{Annotator, FailoverRecord, Linked};
use crate::snapshot::Snapshot;

/// How a node is drawn.
#[derive(Clone, Copy)]
enum Shape {
    /// Compute and images.
    Box,
    /// Entry points: DNS names, accelerators, records.
    Stadium,
    /// Data stores.
    Cylinder,
}

/// How an edge is drawn.
#[derive(Clone, Copy)]
enum Arrow {
    /// Traffic and launches.
    Solid,
    /// What happens on failover, and copies.
    Dotted,
    /// Replication of data.
    Thick,
}

/// Where a node goes: a region's subgraph (0 primary, 1 DR) or outside both.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Region(usize),
    Outside,
}

/// The diagram as it is built: declarations per place, edges, and the ids
/// handed out (`n0`, `n1`, … in order of first use, never resource ids).
#[derive(Default)]
struct Diagram {
    regions: [Vec<String>; 2],
    outside: Vec<String>,
    edges: Vec<String>,
    ids: HashMap<String, String>,
    /// Per region: the lowest node of the traffic path, and the data stores
    /// that an invisible link keeps below it.
    anchor: [Option<String>; 2],
    stores: [Vec<String>; 2],
    /// Per region: the node traffic enters by (its failover record, else the
    /// first node declared there).
    entry: [Option<String>; 2],
}

impl Diagram {
    /// The node for `key` (a kind and a resource id), declared on first use.
    fn node(&mut self, place: Place, key: &str, shape: Shape, label: &str) -> String {
        if let Some(id) = self.ids.get(key) {
            return id.clone();
        }
        let id = format!("n{}", self.ids.len());
        self.ids.insert(key.to_string(), id.clone());
        let declaration = match shape {
            Shape::Box => format!("{id}[\"{label}\"]"),
            Shape::Stadium => format!("{id}([\"{label}\"])"),
            Shape::Cylinder => format!("{id}[(\"{label}\")]"),
        };
        match place {
            Place::Region(index) => {
                if let Some(list) = self.regions.get_mut(index) {
                    list.push(declaration);
                }
                if let Some(entry @ None) = self.entry.get_mut(index) {
                    *entry = Some(id.clone());
                }
            }
            Place::Outside => self.outside.push(declaration),
        }
        id
    }

    fn edge(&mut self, from: &str, to: &str, arrow: Arrow, label: Option<String>) {
        let link = match arrow {
            Arrow::Solid => "-->",
            Arrow::Dotted => "-.->",
            Arrow::Thick => "==>",
        };
        let edge = match label.filter(|l| !l.is_empty()) {
            Some(label) => format!("{from} {link}|\"{label}\"| {to}"),
            None => format!("{from} {link} {to}"),
        };
        if !self.edges.contains(&edge) {
            self.edges.push(edge);
        }
    }

    fn store(&mut self, region: usize, id: String) {
        if let Some(list) = self.stores.get_mut(region) {
            list.push(id);
        }
    }

    fn is_empty(&self) -> bool {
        self.regions.iter().all(Vec::is_empty)
    }
}

/// What the diagram reads: the snapshot for names, the config for the two
/// regions, link's result for relations, the budget for guarantees.
pub struct Inputs<'a> {
    /// The audited snapshot.
    pub snapshot: &'a Snapshot,
    /// The configuration (regions, scope).
    pub config: &'a Config,
    /// What link derived from the snapshot.
    pub linked: &'a Linked<'a>,
    /// The budget: the guarantee each kind of store is credited with.
    pub budget: &'a Budget,
}

/// The topology flowchart, or `None` when link found nothing to draw (no
/// failover record, load balancer, group or data store in either region).
pub fn render(inputs: &Inputs<'_>) -> Option<String> {
    let mut diagram = Diagram::default();
    traffic(&mut diagram, inputs);
    images(&mut diagram, inputs);
    data(&mut diagram, inputs);
    if diagram.is_empty() {
        return None;
    }
    let topology = &inputs.linked.topology;
    let mut out = String::from("flowchart TB\n");
    for declaration in &diagram.outside {
        let _ = writeln!(out, "    {declaration}");
    }
    let titles = [
        format!("{} · primary", topology.primary.region),
        format!("{} · DR", topology.dr.region),
    ];
    for (index, (nodes, title)) in diagram.regions.iter().zip(&titles).enumerate() {
        if nodes.is_empty() {
            continue;
        }
        let _ = writeln!(out, "    subgraph r{index}[\"{}\"]", mermaid::label(title));
        for declaration in nodes {
            let _ = writeln!(out, "        {declaration}");
        }
        out.push_str("    end\n");
    }
    for edge in &diagram.edges {
        let _ = writeln!(out, "    {edge}");
    }
    // Invisible links keep each region's data stores below its traffic path,
    // and the DR region below the primary: side by side, the replication
    // arrows cross each other and their labels overlap.
    for (anchor, stores) in diagram.anchor.iter().zip(&diagram.stores) {
        if let Some(anchor) = anchor {
            for store in stores {
                let _ = writeln!(out, "    {anchor} ~~~ {store}");
            }
        }
    }
    if let [_, Some(dr_entry)] = &diagram.entry {
        let [primary_stores, _] = &diagram.stores;
        let [primary_anchor, _] = &diagram.anchor;
        let bottom: Vec<&String> = if primary_stores.is_empty() {
            primary_anchor.iter().collect()
        } else {
            primary_stores.iter().collect()
        };
        for node in bottom {
            let _ = writeln!(out, "    {node} ~~~ {dr_entry}");
        }
    }
    Some(out)
}

/// The failover records, the accelerator, and each side's load balancers,
/// groups and the images they launch.
fn traffic(diagram: &mut Diagram, inputs: &Inputs<'_>) {
    let topology = &inputs.linked.topology;
    let records = [
        (0, "PRIMARY", topology.primary_record.as_ref()),
        (1, "SECONDARY", topology.secondary_record.as_ref()),
    ];
    let domain = topology.domain.clone().or_else(|| {
        records
            .iter()
            .find_map(|(_, _, r)| r.map(|r| r.name.clone()))
    });
    let entry = domain
        .filter(|_| records.iter().any(|(_, _, r)| r.is_some()))
        .map(|d| {
            diagram.node(
                Place::Outside,
                "domain",
                Shape::Stadium,
                &mermaid::lines(["Route 53", d.as_str()]),
            )
        });
    for (index, side) in [&topology.primary, &topology.dr].into_iter().enumerate() {
        let Some(data) = inputs.snapshot.regions.get(&side.region) else {
            continue;
        };
        let annotator = Annotator::new(inputs.config, topology, &inputs.linked.lookups);
        for arn in &side.load_balancer_arns {
            let lb = data.load_balancers.iter().find(|lb| &lb.arn == arn);
            let kind = match lb.map(|lb| lb.lb_type.as_str()) {
                Some("application") => "ALB",
                Some("network") => "NLB",
                Some("gateway") => "GWLB",
                _ => "load balancer",
            };
            let name = lb.map_or_else(|| crate::link::arn_tail(arn), |lb| lb.name.as_str());
            let id = diagram.node(
                Place::Region(index),
                &format!("lb:{arn}"),
                Shape::Box,
                &mermaid::label(&format!("{kind} {name}")),
            );
            set_anchor(diagram, index, &id);
        }
        for name in &side.auto_scaling_groups {
            let Some(group) = data.auto_scaling_groups.iter().find(|g| &g.name == name) else {
                continue;
            };
            let id = diagram.node(
                Place::Region(index),
                &format!("asg:{}:{name}", side.region),
                Shape::Box,
                &mermaid::lines([
                    format!("ASG {name}"),
                    format!(
                        "min {} · desired {} · max {}",
                        group.min_size, group.desired_capacity, group.max_size
                    ),
                ]),
            );
            // The load balancers whose target groups (on this side) hold the group.
            for tg in data.target_groups.iter().filter(|tg| {
                side.target_group_arns.contains(&tg.arn)
                    && group.target_group_arns.contains(&tg.arn)
            }) {
                for lb in tg
                    .load_balancer_arns
                    .iter()
                    .filter_map(|arn| diagram.ids.get(&format!("lb:{arn}")))
                    .cloned()
                    .collect::<Vec<_>>()
                {
                    diagram.edge(&lb, &id, Arrow::Solid, None);
                }
            }
            set_anchor(diagram, index, &id);
            if let Some(image) = annotator.auto_scaling_group(&side.region, group).image_id {
                let ami = image_node(diagram, inputs, index, &side.region, &image);
                diagram.edge(&id, &ami, Arrow::Solid, None);
                set_anchor(diagram, index, &ami);
            }
        }
    }
    accelerator(diagram, inputs);
    for (index, label, record) in records {
        let Some(record) = record else { continue };
        let id = diagram.node(
            Place::Region(index),
            &format!("record:{label}"),
            Shape::Stadium,
            &record_label(label, record, inputs),
        );
        if diagram.anchor.get(index).is_some_and(Option::is_none) {
            set_anchor(diagram, index, &id);
        }
        if let Some(entry) = diagram.entry.get_mut(index) {
            *entry = Some(id.clone());
        }
        if let Some(entry) = &entry {
            let arrow = if index == 0 {
                Arrow::Solid
            } else {
                Arrow::Dotted
            };
            diagram.edge(entry, &id, arrow, None);
        }
        // The record's target: a load balancer of the side, or the accelerator.
        let target = match &record.load_balancer_arn {
            Some(arn) => diagram.ids.get(&format!("lb:{arn}")).cloned(),
            None if record.target_kind == "accelerator" => diagram.ids.get("accelerator").cloned(),
            None => None,
        };
        if let Some(target) = target {
            diagram.edge(&id, &target, Arrow::Solid, None);
        }
    }
}

/// The Global Accelerator fronting the app, with an edge to each load
/// balancer of its endpoint groups (labelled with the group's traffic dial).
fn accelerator(diagram: &mut Diagram, inputs: &Inputs<'_>) {
    let Some(link) = &inputs.linked.topology.accelerator else {
        return;
    };
    let Some(accelerator) = inputs
        .snapshot
        .global
        .accelerators
        .iter()
        .find(|a| a.arn == link.arn)
    else {
        return;
    };
    let id = diagram.node(
        Place::Outside,
        "accelerator",
        Shape::Stadium,
        &mermaid::lines(["Global Accelerator", accelerator.name.as_str()]),
    );
    for group in accelerator
        .listeners
        .iter()
        .flat_map(|l| l.endpoint_groups.iter())
    {
        for endpoint in &group.endpoints {
            if let Some(lb) = diagram
                .ids
                .get(&format!("lb:{}", endpoint.endpoint_id))
                .cloned()
            {
                let dial = group
                    .traffic_dial_percentage
                    .map(|p| mermaid::label(&format!("traffic dial {p}%")));
                diagram.edge(&id, &lb, Arrow::Solid, dial);
            }
        }
    }
}

/// A failover record: its role, type, TTL or alias, and health check.
fn record_label(role: &str, record: &FailoverRecord, inputs: &Inputs<'_>) -> String {
    let routing = if record.alias {
        format!("{} alias", record.record_type)
    } else {
        match record.ttl {
            Some(ttl) => format!("{} · TTL {ttl} s", record.record_type),
            None => record.record_type.clone(),
        }
    };
    let primary_check = inputs.linked.topology.primary_health_check.as_ref();
    let check = match &record.health_check_id {
        Some(id) if !record.health_check_exists => format!("health check {id} missing"),
        Some(id) => match primary_check.filter(|hc| &hc.id == id) {
            Some(hc) => match (
                hc.request_interval,
                hc.failure_threshold,
                &record.health_check_defect,
            ) {
                (_, _, Some(_)) => format!("health check {id} · cannot judge"),
                (Some(interval), Some(threshold), None) => {
                    format!("health check {id} · {interval} s × {threshold}")
                }
                _ => format!("health check {id} · {}", hc.check_type),
            },
            None => format!("health check {id}"),
        },
        None if record.evaluate_target_health => "evaluates target health".into(),
        None => "no health check".into(),
    };
    mermaid::lines([format!("{role} record"), routing, check])
}

fn set_anchor(diagram: &mut Diagram, region: usize, id: &str) {
    if let Some(anchor) = diagram.anchor.get_mut(region) {
        *anchor = Some(id.to_string());
    }
}

/// The node of an AMI in `region` (index `place`), named after the image.
fn image_node(
    diagram: &mut Diagram,
    inputs: &Inputs<'_>,
    place: usize,
    region: &str,
    image_id: &str,
) -> String {
    let name = inputs
        .snapshot
        .regions
        .get(region)
        .and_then(|r| r.images.iter().find(|i| i.id == image_id))
        .and_then(|i| i.name.clone())
        .unwrap_or_default();
    diagram.node(
        Place::Region(place),
        &format!("ami:{region}:{image_id}"),
        Shape::Box,
        &mermaid::lines([format!("AMI {image_id}"), name]),
    )
}

/// The primary's AMIs and their copies in the DR region.
fn images(diagram: &mut Diagram, inputs: &Inputs<'_>) {
    let topology = &inputs.linked.topology;
    for copy in &topology.ami_copies {
        let from = image_node(
            diagram,
            inputs,
            0,
            &topology.primary.region,
            &copy.primary_image_id,
        );
        let to = image_node(diagram, inputs, 1, &topology.dr.region, &copy.dr_image_id);
        let state = (copy.dr_image_state != "available").then(|| copy.dr_image_state.clone());
        let label = mermaid::lines([Some("AMI copy".to_string()), state].into_iter().flatten());
        diagram.edge(&from, &to, Arrow::Dotted, Some(label));
    }
}

/// The guarantee the budget credits a kind of store with (`aurora`, `s3`,
/// `elasticache` in the built-in model), as label text.
fn guarantee(budget: &Budget, store: &str) -> String {
    match budget
        .rpo
        .stores
        .iter()
        .find(|s| s.id == store)
        .and_then(|s| s.guaranteed_seconds)
    {
        Some(seconds) => format!("guarantee {}", human_seconds(seconds)),
        None => "no RPO guarantee".into(),
    }
}

/// The data stores of each region and the replication between them.
fn data(diagram: &mut Diagram, inputs: &Inputs<'_>) {
    let stores = data_stores(inputs.snapshot, inputs.config, inputs.linked);
    let topology = &inputs.linked.topology;
    let annotator = Annotator::new(inputs.config, topology, &inputs.linked.lookups);
    for aurora in &stores.aurora {
        let writer = aurora
            .primary_cluster_id
            .as_deref()
            .unwrap_or(&aurora.global_cluster_id);
        let from = diagram.node(
            Place::Region(0),
            &format!("aurora:{writer}"),
            Shape::Cylinder,
            &mermaid::lines([
                format!("Aurora {writer}"),
                format!("writer of {}", aurora.global_cluster_id),
            ]),
        );
        diagram.store(0, from.clone());
        let Some(secondary) = &aurora.dr_cluster_id else {
            continue;
        };
        let to = diagram.node(
            Place::Region(1),
            &format!("aurora:{secondary}"),
            Shape::Cylinder,
            &mermaid::lines([format!("Aurora {secondary}"), "secondary".into()]),
        );
        diagram.store(1, to.clone());
        let lag = match aurora.lag_max_ms {
            Some(ms) => format!("max lag {}", human_seconds(ms / 1000.0)),
            None => "no lag datapoints".into(),
        };
        let label = mermaid::lines([
            "Global Database".to_string(),
            lag,
            guarantee(inputs.budget, "aurora"),
        ]);
        diagram.edge(&from, &to, Arrow::Thick, Some(label));
    }
    let rtc_figure = inputs
        .budget
        .defaults
        .iter()
        .find(|d| d.name == "s3_rtc_guarantee")
        .and_then(|d| d.seconds);
    for bucket in &stores.s3 {
        let from = diagram.node(
            Place::Region(0),
            &format!("s3:{}", bucket.bucket),
            Shape::Cylinder,
            &mermaid::lines([
                format!("S3 {}", bucket.bucket),
                // Said on the node: a bucket with no edge to the DR side
                // could be read as one whose replica was left out.
                match (bucket.replicated, bucket.replication_unknown) {
                    (true, _) => String::new(),
                    (false, true) => "replication not read".into(),
                    (false, false) => "not replicated".into(),
                },
            ]),
        );
        diagram.store(0, from.clone());
        let Some(source) = inputs.linked.lookups.bucket(&bucket.bucket) else {
            continue;
        };
        for rule in annotator.bucket(source).dr_replication_rules {
            let to = diagram.node(
                Place::Region(1),
                &format!("s3:{}", rule.destination_bucket),
                Shape::Cylinder,
                &mermaid::lines([
                    format!("S3 {}", rule.destination_bucket),
                    if rule.destination_exists {
                        String::new()
                    } else {
                        "not in the snapshot".into()
                    },
                ]),
            );
            diagram.store(1, to.clone());
            let latency = match bucket.latency_max_seconds {
                Some(s) => format!("max latency {}", human_seconds(s)),
                None => "no latency datapoints".into(),
            };
            let bound = match (rule.replication_time_enabled, rtc_figure) {
                (true, Some(s)) => format!("RTC {}", human_seconds(s)),
                (true, None) => "RTC".into(),
                (false, _) => "no RTC · no RPO guarantee".into(),
            };
            let label = mermaid::lines(["Cross-Region Replication".to_string(), latency, bound]);
            diagram.edge(&from, &to, Arrow::Thick, Some(label));
        }
    }
    for cache in &stores.elasticache {
        let from = diagram.node(
            Place::Region(0),
            &format!("cache:{}", cache.id),
            Shape::Cylinder,
            &mermaid::lines([
                format!("ElastiCache {}", cache.id),
                if cache.dr_replica.is_some() {
                    String::new()
                } else {
                    "no DR replica".into()
                },
            ]),
        );
        diagram.store(0, from.clone());
        let Some(replica) = &cache.dr_replica else {
            continue;
        };
        let to = diagram.node(
            Place::Region(1),
            &format!("cache:{replica}"),
            Shape::Cylinder,
            &mermaid::label(&format!("ElastiCache {replica}")),
        );
        diagram.store(1, to.clone());
        let via = match &cache.global_datastore {
            Some(id) => format!("Global Datastore {id}"),
            None => "replica".into(),
        };
        let label = mermaid::lines([
            via,
            "lag not measured".into(),
            guarantee(inputs.budget, "elasticache"),
        ]);
        diagram.edge(&from, &to, Arrow::Thick, Some(label));
    }
}
