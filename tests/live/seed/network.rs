//! The network each region runs on: a VPC, subnets in the given AZs, the
//! web tier's security group, an ALB with its target group: HTTPS on 443
//! with the region's certificate and HTTP on 80 redirecting to it, or HTTP on
//! 80 alone without a certificate.

use aws_types::SdkConfig;

use super::Result;

pub struct Site {
    pub lb_dns: String,
    pub lb_zone: String,
    pub tg_arn: String,
    pub azs: Vec<String>,
    /// One subnet per AZ, in the order of `azs`.
    pub subnets: Vec<String>,
    /// The web tier's security group (`shop-web-<name>`).
    pub security_group: String,
}

/// The TLS policy of the HTTPS listeners.
pub const SSL_POLICY: &str = "ELBSecurityPolicy-TLS13-1-2-2021-06";

pub async fn site(
    sdk: &SdkConfig,
    name: &str,
    azs: &[&str],
    certificate: Option<&str>,
) -> Result<Site> {
    use aws_sdk_elasticloadbalancingv2::types::{
        Action, ActionTypeEnum, Certificate, ProtocolEnum, RedirectActionConfig,
        RedirectActionStatusCodeEnum,
    };
    let ec2 = aws_sdk_ec2::Client::new(sdk);
    let vpc = ec2.create_vpc().cidr_block("10.0.0.0/16").send().await?;
    let vpc_id = vpc
        .vpc()
        .and_then(|v| v.vpc_id())
        .unwrap_or_default()
        .to_string();
    let mut subnets = Vec::new();
    for (i, az) in azs.iter().enumerate() {
        let subnet = ec2
            .create_subnet()
            .vpc_id(&vpc_id)
            .cidr_block(format!("10.0.{i}.0/24"))
            .availability_zone(*az)
            .send()
            .await?;
        subnets.push(
            subnet
                .subnet()
                .and_then(|s| s.subnet_id())
                .unwrap_or_default()
                .to_string(),
        );
    }
    let security_group = ec2
        .create_security_group()
        .group_name(format!("shop-web-{name}"))
        .description("shop web tier")
        .vpc_id(&vpc_id)
        .send()
        .await?
        .group_id()
        .ok_or("CreateSecurityGroup returned no id")?
        .to_string();
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(sdk);
    let lb = elb
        .create_load_balancer()
        .name(format!("shop-alb-{name}"))
        .set_subnets(Some(subnets.clone()))
        .r#type(aws_sdk_elasticloadbalancingv2::types::LoadBalancerTypeEnum::Application)
        .scheme(aws_sdk_elasticloadbalancingv2::types::LoadBalancerSchemeEnum::InternetFacing)
        .send()
        .await?;
    let lb = lb
        .load_balancers()
        .first()
        .ok_or("no load balancer")?
        .clone();
    let tg = elb
        .create_target_group()
        .name(format!("shop-web-{name}"))
        .protocol(aws_sdk_elasticloadbalancingv2::types::ProtocolEnum::Http)
        .port(80)
        .vpc_id(&vpc_id)
        .health_check_path("/health")
        .health_check_interval_seconds(10)
        .health_check_timeout_seconds(5)
        .healthy_threshold_count(2)
        .unhealthy_threshold_count(2)
        .send()
        .await?;
    let tg_arn = tg
        .target_groups()
        .first()
        .and_then(|t| t.target_group_arn())
        .unwrap_or_default()
        .to_string();
    let lb_arn = lb.load_balancer_arn().unwrap_or_default().to_string();
    let forward = Action::builder()
        .r#type(ActionTypeEnum::Forward)
        .target_group_arn(&tg_arn)
        .build();
    // One forward listener only: moto appends the load balancer to the
    // target group's LoadBalancerArns once per forwarding listener.
    let http_action = match certificate {
        Some(certificate) => {
            elb.create_listener()
                .load_balancer_arn(&lb_arn)
                .protocol(ProtocolEnum::Https)
                .port(443)
                .ssl_policy(SSL_POLICY)
                .certificates(Certificate::builder().certificate_arn(certificate).build())
                .default_actions(forward)
                .send()
                .await?;
            Action::builder()
                .r#type(ActionTypeEnum::Redirect)
                .redirect_config(
                    RedirectActionConfig::builder()
                        .protocol("HTTPS")
                        .port("443")
                        .status_code(RedirectActionStatusCodeEnum::Http301)
                        .build(),
                )
                .build()
        }
        None => forward,
    };
    elb.create_listener()
        .load_balancer_arn(&lb_arn)
        .protocol(ProtocolEnum::Http)
        .port(80)
        .default_actions(http_action)
        .send()
        .await?;
    Ok(Site {
        lb_dns: lb.dns_name().unwrap_or_default().to_string(),
        lb_zone: lb
            .canonical_hosted_zone_id()
            .unwrap_or_default()
            .to_string(),
        tg_arn,
        azs: azs.iter().map(|s| s.to_string()).collect(),
        subnets,
        security_group,
    })
}
