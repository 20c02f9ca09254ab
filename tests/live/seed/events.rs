//! EventBridge: the rule that copies each new golden AMI to DR, and the
//! rule that starts the failover runbook when the design has one.

use aws_types::SdkConfig;

use super::{Design, Result, Trigger};
use crate::seed::cloudwatch::{DR_ALARM, DR_ROUTE53_ALARM, PRIMARY_ALARM};

/// The AMI copy automation, when the design has it.
pub async fn seed(east: &SdkConfig, west: &SdkConfig, design: &Design) -> Result {
    // EventBridge: the AMI copy automation.
    if design.ami_copy_rule {
        let events = aws_sdk_eventbridge::Client::new(east);
        events
            .put_rule()
            .name("shop-ami-copy-to-dr")
            .event_pattern(
                r#"{"source":["aws.ec2"],"detail-type":["EC2 AMI State Change"],"detail":{"State":["available"]}}"#,
            )
            .description("Copy every new golden AMI to us-west-2")
            .state(aws_sdk_eventbridge::types::RuleState::Enabled)
            .send()
            .await?;
        events
            .put_targets()
            .rule("shop-ami-copy-to-dr")
            .targets(
                aws_sdk_eventbridge::types::Target::builder()
                    .id("copy-ami")
                    .arn("arn:aws:lambda:us-east-1:123456789012:function:shop-copy-ami-to-dr")
                    .build()?,
            )
            .send()
            .await?;
    }
    if let Some(trigger) = design.trigger {
        let (config, alarm) = match trigger {
            Trigger::DrAlarm => (west, DR_ALARM),
            Trigger::DrRoute53Alarm => (west, DR_ROUTE53_ALARM),
            Trigger::PrimaryRegion => (east, PRIMARY_ALARM),
        };
        let events = aws_sdk_eventbridge::Client::new(config);
        events
            .put_rule()
            .name("shop-start-failover")
            .event_pattern(format!(
                r#"{{"source":["aws.cloudwatch"],"detail-type":["CloudWatch Alarm State Change"],"detail":{{"alarmName":["{alarm}"],"state":{{"value":["ALARM"]}}}}}}"#
            ))
            .description("Start the failover runbook")
            .state(aws_sdk_eventbridge::types::RuleState::Enabled)
            .send()
            .await?;
        events
            .put_targets()
            .rule("shop-start-failover")
            .targets(
                aws_sdk_eventbridge::types::Target::builder()
                    .id("runbook")
                    .arn("arn:aws:ssm:us-west-2:123456789012:automation-definition/shop-dr-failover:$DEFAULT")
                    .role_arn("arn:aws:iam::123456789012:role/shop-dr-automation")
                    .build()?,
            )
            .send()
            .await?;
    }
    Ok(())
}
