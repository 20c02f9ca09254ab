# The DR group and its launch template, as a module the root calls with the
# DR provider (`providers = { aws = aws.dr }`): ids reach it as input
# variables, which drguard follows to the module call's arguments.

terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
variable "image_id" { type = string }
variable "min_size" { type = number }
variable "subnets" { type = list(string) }
variable "target_group_arn" { type = string }
output "name" { value = aws_autoscaling_group.web_dr.name }
resource "aws_launch_template" "web_dr" {
  name          = "shop-web-usw2"
  image_id      = var.image_id
  instance_type = "m6i.large"
  tags          = { App = "shop" }
  lifecycle {
    # moto reports the template's tags as tag_specifications too.
    ignore_changes = [tag_specifications]
  }
}

resource "aws_autoscaling_group" "web_dr" {
  name                      = "shop-web-usw2"
  min_size                  = var.min_size
  max_size                  = 30
  desired_capacity          = 2
  vpc_zone_identifier       = var.subnets
  target_group_arns         = [var.target_group_arn]
  health_check_type         = "ELB"
  health_check_grace_period = 60
  wait_for_capacity_timeout = "0"
  launch_template {
    id      = aws_launch_template.web_dr.id
    version = "$Latest"
  }
  tag {
    key                 = "App"
    value               = "shop"
    propagate_at_launch = true
  }
}
