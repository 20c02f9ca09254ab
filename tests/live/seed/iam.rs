//! IAM: the runbook's role, trusted by SSM Automation, and the web tier's
//! instance profile with its role (both launch templates name it).

use aws_types::SdkConfig;

use super::{Design, Result};

/// The role the runbook assumes (its `AutomationAssumeRole` default).
pub const RUNBOOK_ROLE: &str = "shop-dr-automation";
/// The instance profile of both launch templates, and its role.
pub const INSTANCE_PROFILE: &str = "shop-web";

fn trust(service: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"{service}"}},"Action":"sts:AssumeRole"}}]}}"#
    )
}

/// The runbook role (unless the design removes it) and the instance profile.
pub async fn seed(east: &SdkConfig, design: &Design) -> Result {
    let iam = aws_sdk_iam::Client::new(east);
    if design.runbook_role_exists {
        iam.create_role()
            .role_name(RUNBOOK_ROLE)
            .assume_role_policy_document(trust("ssm.amazonaws.com"))
            .send()
            .await?;
    }
    iam.create_role()
        .role_name(INSTANCE_PROFILE)
        .assume_role_policy_document(trust("ec2.amazonaws.com"))
        .send()
        .await?;
    iam.create_instance_profile()
        .instance_profile_name(INSTANCE_PROFILE)
        .send()
        .await?;
    iam.add_role_to_instance_profile()
        .instance_profile_name(INSTANCE_PROFILE)
        .role_name(INSTANCE_PROFILE)
        .send()
        .await?;
    Ok(())
}
