# --- Load balancers, launch templates, Auto Scaling groups ---------------------

resource "aws_lb" "primary" {
  name               = "shop-alb-use1"
  load_balancer_type = "application"
  subnets            = [for s in aws_subnet.primary : s.id]
  tags               = local.tags
}

resource "aws_lb_target_group" "web" {
  name     = "shop-web-use1"
  port     = 80
  protocol = "HTTP"
  vpc_id   = aws_vpc.primary.id
  health_check {
    path = "/health"
  }
  tags = local.tags
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.primary.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}

resource "aws_lb" "dr" {
  provider           = aws.dr
  name               = "shop-alb-usw2"
  load_balancer_type = "application"
  subnets            = [for s in aws_subnet.dr : s.id]
  tags               = local.tags
}

resource "aws_lb_target_group" "web_dr" {
  provider = aws.dr
  name     = "shop-web-usw2"
  port     = 80
  protocol = "HTTP"
  vpc_id   = aws_vpc.dr.id
  health_check {
    path = "/health"
  }
  tags = local.tags
}

resource "aws_lb_listener" "dr_http" {
  provider          = aws.dr
  load_balancer_arn = aws_lb.dr.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web_dr.arn
  }
}

resource "aws_launch_template" "web" {
  name          = "shop-web-use1"
  image_id      = var.primary_image != "" ? var.primary_image : aws_ami_copy.golden.id
  instance_type = "m6i.large"
  tags          = local.tags
  lifecycle {
    # moto reports the template's tags as tag_specifications too.
    ignore_changes = [tag_specifications]
  }
}

resource "aws_autoscaling_group" "web" {
  name                      = "shop-web-use1"
  min_size                  = 2
  max_size                  = 30
  desired_capacity          = 2
  vpc_zone_identifier       = [for s in aws_subnet.primary : s.id]
  target_group_arns         = [aws_lb_target_group.web.arn]
  health_check_type         = "ELB"
  health_check_grace_period = 60
  wait_for_capacity_timeout = "0"
  launch_template {
    id      = aws_launch_template.web.id
    version = "$Latest"
  }
  tag {
    key                 = "App"
    value               = "shop"
    propagate_at_launch = true
  }
}


module "dr" {
  source           = "./modules/dr"
  providers        = { aws = aws.dr }
  image_id         = var.dr_image != "" ? var.dr_image : aws_ami_copy.golden_dr.id
  min_size         = var.dr_min_size
  subnets          = [for s in aws_subnet.dr : s.id]
  target_group_arn = aws_lb_target_group.web_dr.arn
}
