//! EC2 and Auto Scaling: the golden AMIs and their DR copies, launch
//! templates (with the web tier's security group, instance profile and an
//! EBS volume under the region's app key), and the groups of both regions in
//! their subnets.

use aws_types::SdkConfig;

use super::iam::INSTANCE_PROFILE;
use super::kms::Keys;
use super::network::Site;
use super::{Design, PRIMARY, Result};

pub(super) async fn register_image(
    ec2: &aws_sdk_ec2::Client,
    name: &str,
    build: &str,
) -> Result<String> {
    let image = ec2
        .register_image()
        .name(name)
        .description(format!("shop golden image build {build}"))
        .root_device_name("/dev/xvda")
        .send()
        .await?;
    let id = image.image_id().unwrap_or_default().to_string();
    ec2.create_tags()
        .resources(&id)
        .tags(tag_ec2("App", "shop"))
        .tags(tag_ec2("Build", build))
        .send()
        .await?;
    Ok(id)
}

pub(super) fn tag_ec2(key: &str, value: &str) -> aws_sdk_ec2::types::Tag {
    aws_sdk_ec2::types::Tag::builder()
        .key(key)
        .value(value)
        .build()
}

pub(super) async fn copy_image(
    dr: &aws_sdk_ec2::Client,
    source: &str,
    name: &str,
) -> Result<String> {
    // moto omits SourceImageId on copies: the description names the source,
    // as CopyImage's default description does on AWS.
    let copy = dr
        .copy_image()
        .source_image_id(source)
        .source_region(PRIMARY)
        .name(name)
        .description(format!(
            "Copied from SourceAmi {source} from SourceRegion {PRIMARY}"
        ))
        .send()
        .await?;
    let id = copy.image_id().unwrap_or_default().to_string();
    dr.create_tags()
        .resources(&id)
        .tags(tag_ec2("App", "shop"))
        .send()
        .await?;
    Ok(id)
}

/// What a launch template gives its instances besides the AMI and type.
#[derive(Default)]
pub(super) struct Launch {
    pub security_group: Option<String>,
    pub instance_profile: Option<String>,
    pub kms_key: Option<String>,
}

/// A template version's data: the AMI, `m7i.large`, and what `launch` adds.
fn template_data(image: &str, launch: &Launch) -> aws_sdk_ec2::types::RequestLaunchTemplateData {
    let mut data = aws_sdk_ec2::types::RequestLaunchTemplateData::builder()
        .image_id(image)
        .instance_type(aws_sdk_ec2::types::InstanceType::M7iLarge)
        .set_security_group_ids(launch.security_group.clone().map(|g| vec![g]));
    if let Some(profile) = &launch.instance_profile {
        data = data.iam_instance_profile(
            aws_sdk_ec2::types::LaunchTemplateIamInstanceProfileSpecificationRequest::builder()
                .name(profile)
                .build(),
        );
    }
    if let Some(key) = &launch.kms_key {
        data = data.block_device_mappings(
            aws_sdk_ec2::types::LaunchTemplateBlockDeviceMappingRequest::builder()
                .device_name("/dev/xvda")
                .ebs(
                    aws_sdk_ec2::types::LaunchTemplateEbsBlockDeviceRequest::builder()
                        .encrypted(true)
                        .kms_key_id(key)
                        .volume_size(20)
                        .build(),
                )
                .build(),
        );
    }
    data.build()
}

pub(super) async fn launch_template(
    ec2: &aws_sdk_ec2::Client,
    name: &str,
    images: &[&str],
) -> Result<String> {
    launch_template_with(ec2, name, images, &Launch::default()).await
}

pub(super) async fn launch_template_with(
    ec2: &aws_sdk_ec2::Client,
    name: &str,
    images: &[&str],
    launch: &Launch,
) -> Result<String> {
    let data = |image: &str| template_data(image, launch);
    let first = images.first().ok_or("no image")?;
    let template = ec2
        .create_launch_template()
        .launch_template_name(name)
        .launch_template_data(data(first))
        .send()
        .await?;
    let id = template
        .launch_template()
        .and_then(|t| t.launch_template_id())
        .unwrap_or_default()
        .to_string();
    for image in images.iter().skip(1) {
        ec2.create_launch_template_version()
            .launch_template_id(&id)
            .launch_template_data(data(image))
            .send()
            .await?;
    }
    Ok(id)
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn group(
    sdk: &SdkConfig,
    name: &str,
    template_id: &str,
    version: &str,
    azs: &[String],
    tg_arn: &str,
    subnets: &[String],
    (min, desired, max): (i32, i32, i32),
) -> Result {
    let autoscaling = aws_sdk_autoscaling::Client::new(sdk);
    autoscaling
        .create_auto_scaling_group()
        .auto_scaling_group_name(name)
        .launch_template(
            aws_sdk_autoscaling::types::LaunchTemplateSpecification::builder()
                .launch_template_id(template_id)
                .version(version)
                .build(),
        )
        .min_size(min)
        .max_size(max)
        .desired_capacity(desired)
        .set_availability_zones(Some(azs.to_vec()))
        .set_vpc_zone_identifier((!subnets.is_empty()).then(|| subnets.join(",")))
        .target_group_arns(tg_arn)
        .health_check_type("ELB")
        .health_check_grace_period(300)
        .default_instance_warmup(120)
        .tags(
            aws_sdk_autoscaling::types::Tag::builder()
                .key("App")
                .value("shop")
                .resource_id(name)
                .resource_type("auto-scaling-group")
                .propagate_at_launch(true)
                .build(),
        )
        .send()
        .await?;
    Ok(())
}

/// Images, launch templates and groups of both regions (and the extra DR
/// groups the pagination tests ask for).
pub async fn seed(
    east: &SdkConfig,
    west: &SdkConfig,
    design: &Design,
    primary: &Site,
    dr: &Site,
    keys: &Keys,
) -> Result {
    // Images and launch templates.
    let ec2_east = aws_sdk_ec2::Client::new(east);
    let ec2_west = aws_sdk_ec2::Client::new(west);
    let previous = register_image(&ec2_east, "shop-golden-2026-11-04", "405").await?;
    let golden = register_image(&ec2_east, "shop-golden-2026-11-18", "412").await?;
    let golden_copy = copy_image(&ec2_west, &golden, "shop-golden-2026-11-18").await?;
    let previous_copy = copy_image(&ec2_west, &previous, "shop-golden-2026-11-04").await?;
    let primary_launch = Launch {
        security_group: Some(primary.security_group.clone()),
        instance_profile: Some(INSTANCE_PROFILE.into()),
        kms_key: Some(keys.primary.clone()),
    };
    let primary_template = launch_template_with(
        &ec2_east,
        "shop-web-use1",
        &[&previous, &golden],
        &primary_launch,
    )
    .await?;
    let dr_image = if design.dr_launches_previous_ami {
        &previous_copy
    } else {
        &golden_copy
    };
    let dr_launch = Launch {
        security_group: Some(dr.security_group.clone()),
        instance_profile: Some(INSTANCE_PROFILE.into()),
        kms_key: Some(keys.dr.clone()),
    };
    let dr_template =
        launch_template_with(&ec2_west, "shop-web-usw2", &[dr_image], &dr_launch).await?;
    let mut primary_group_azs = primary.azs.clone();
    primary_group_azs.truncate(design.primary_azs);
    let mut primary_group_subnets = primary.subnets.clone();
    primary_group_subnets.truncate(design.primary_azs);
    group(
        east,
        "shop-web-use1",
        &primary_template,
        "$Latest",
        &primary_group_azs,
        &primary.tg_arn,
        &primary_group_subnets,
        (6, 10, 30),
    )
    .await?;
    group(
        west,
        "shop-web-usw2",
        &dr_template,
        "$Default",
        &dr.azs,
        &dr.tg_arn,
        &dr.subnets,
        (design.dr_min_size, design.dr_desired, design.dr_max_size),
    )
    .await?;
    if design.dr_template_primary_sg {
        // The fault: a new default version of the DR template names the
        // primary region's group. Made after the group exists: moto launches
        // the group's instances at once and refuses an unknown group id (AWS
        // accepts the template and fails each launch).
        let foreign = Launch {
            security_group: Some(primary.security_group.clone()),
            ..dr_launch
        };
        let version = ec2_west
            .create_launch_template_version()
            .launch_template_id(&dr_template)
            .launch_template_data(template_data(dr_image, &foreign))
            .send()
            .await?;
        let number = version
            .launch_template_version()
            .and_then(|v| v.version_number())
            .ok_or("CreateLaunchTemplateVersion returned no version")?;
        ec2_west
            .modify_launch_template()
            .launch_template_id(&dr_template)
            .default_version(number.to_string())
            .send()
            .await?;
    }
    for i in 0..design.extra_groups {
        group(
            west,
            &format!("batch-{i:03}"),
            &dr_template,
            "$Default",
            &dr.azs,
            &dr.tg_arn,
            &dr.subnets,
            (0, 0, 1),
        )
        .await?;
    }
    for i in 0..design.extra_templated_groups {
        let name = format!("batch-lt-{i:03}");
        let template = launch_template(&ec2_west, &name, &[dr_image.as_str(); 3]).await?;
        let version = ["$Latest", "$Default", "2"][i % 3];
        group(
            west,
            &name,
            &template,
            version,
            &dr.azs,
            &dr.tg_arn,
            &dr.subnets,
            (0, 0, 1),
        )
        .await?;
    }
    Ok(())
}
