//! SSM: the failover runbook in the DR region (and extra documents).

use aws_types::SdkConfig;

use super::{Design, Result};

pub(super) fn runbook(design: &Design) -> String {
    let scale = if design.runbook_scale_step {
        "  - name: ScaleUpDrAsg\n    action: aws:executeAwsApi\n    inputs:\n      Service: autoscaling\n      Api: UpdateAutoScalingGroup\n      AutoScalingGroupName: '{{ DrAsgName }}'\n      DesiredCapacity: '{{ DesiredCapacity }}'\n      MinSize: 10\n      MaxSize: 30\n"
    } else {
        ""
    };
    let wait = if design.runbook_wait_step {
        "  - name: WaitForWriters\n    action: aws:waitForAwsResourceProperty\n    inputs:\n      Service: rds\n      Api: DescribeDBClusters\n      DBClusterIdentifier: '{{ DrClusterId }}'\n      PropertySelector: '$.DBClusters[0].Status'\n      DesiredValues:\n        - available\n"
    } else {
        ""
    };
    let dns = if design.runbook_dns_step {
        "  - name: SwitchDnsToDr\n    action: aws:executeAwsApi\n    inputs:\n      Service: route53\n      Api: ChangeResourceRecordSets\n      HostedZoneId: '{{ HostedZoneId }}'\n      ChangeBatch:\n        Changes:\n          - Action: UPSERT\n            ResourceRecordSet:\n              Name: api.yourstore.com\n              Type: A\n              SetIdentifier: secondary-us-west-2\n              Failover: SECONDARY\n"
    } else {
        ""
    };
    format!(
        "description: Fail the shop over to us-west-2\nschemaVersion: '0.3'\nassumeRole: '{{{{ AutomationAssumeRole }}}}'\nparameters:\n  AutomationAssumeRole:\n    type: String\n    default: arn:aws:iam::123456789012:role/shop-dr-automation\n  DrClusterId:\n    type: String\n    default: {cluster}\n  DrAsgName:\n    type: String\n    default: shop-web-usw2\n  DesiredCapacity:\n    type: Integer\n    default: {desired}\n  HostedZoneId:\n    type: String\n    default: '{{{{ HostedZone }}}}'\nmainSteps:\n  - name: PromoteAuroraDR\n    action: aws:executeAwsApi\n    inputs:\n      Service: rds\n      Api: PromoteReadReplicaDBCluster\n      DBClusterIdentifier: '{{{{ DrClusterId }}}}'\n{scale}  - name: PromoteCacheDR\n    action: aws:executeAwsApi\n    inputs:\n      Service: elasticache\n      Api: FailoverGlobalReplicationGroup\n      GlobalReplicationGroupId: ldgnf-shop-cache-global\n      PrimaryRegion: us-west-2\n      PrimaryReplicationGroupId: shop-cache-usw2\n{wait}{dns}",
        cluster = design.runbook_dr_cluster,
        desired = design.runbook_desired_capacity,
        scale = scale,
        wait = wait,
        dns = dns,
    )
}

/// The runbook, naming the seeded hosted zone.
pub async fn seed(west: &SdkConfig, design: &Design, zone_id: &str) -> Result {
    // SSM: the failover runbook in the DR region.
    let ssm = aws_sdk_ssm::Client::new(west);
    ssm.create_document()
        .name("shop-dr-failover")
        .document_type(aws_sdk_ssm::types::DocumentType::Automation)
        .document_format(aws_sdk_ssm::types::DocumentFormat::Yaml)
        .content(runbook(design).replace("{{ HostedZone }}", zone_id))
        .tags(
            aws_sdk_ssm::types::Tag::builder()
                .key("App")
                .value("shop")
                .build()?,
        )
        .send()
        .await?;
    for i in 0..design.extra_documents {
        ssm.create_document()
            .name(format!("ops-{i:03}"))
            .document_type(aws_sdk_ssm::types::DocumentType::Automation)
            .document_format(aws_sdk_ssm::types::DocumentFormat::Json)
            .content(r#"{"schemaVersion":"0.3","mainSteps":[{"name":"Wait","action":"aws:sleep","inputs":{"Duration":"PT1S"}}]}"#)
            .send()
            .await?;
    }
    Ok(())
}
