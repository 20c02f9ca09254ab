//! EventBridge: the rule that copies each new golden AMI to DR.

use aws_types::SdkConfig;

use super::{Design, Result};

/// The AMI copy automation, when the design has it.
pub async fn seed(east: &SdkConfig, design: &Design) -> Result {
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
    Ok(())
}
