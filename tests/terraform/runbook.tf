# --- The failover runbook, its role, and what starts it ------------------------

resource "aws_iam_role" "automation" {
  name = "shop-dr-automation"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ssm.amazonaws.com" } }]
  })
  tags = local.tags
}

resource "aws_ssm_document" "failover" {
  provider        = aws.dr
  name            = "shop-dr-failover"
  document_type   = "Automation"
  document_format = "YAML"
  tags            = local.tags
  content         = <<-YAML
    schemaVersion: '0.3'
    description: Fail the shop over to us-west-2
    assumeRole: '{{ AutomationAssumeRole }}'
    parameters:
      AutomationAssumeRole:
        type: String
        default: ${aws_iam_role.automation.arn}
      DesiredCapacity:
        type: Integer
        default: 10
    mainSteps:
      - name: PromoteAuroraDR
        action: aws:executeAwsApi
        inputs:
          Service: rds
          Api: ${var.aurora_api}
    %{~if var.aurora_api == "FailoverGlobalCluster"~}
          GlobalClusterIdentifier: ${aws_rds_global_cluster.shop.id}
          TargetDbClusterIdentifier: ${aws_rds_cluster.dr.arn}
          AllowDataLoss: true
    %{~else~}
          DBClusterIdentifier: ${aws_rds_cluster.dr.id}
    %{~endif~}
      - name: ScaleUpDrAsg
        action: aws:executeAwsApi
        inputs:
          Service: autoscaling
          Api: UpdateAutoScalingGroup
          AutoScalingGroupName: ${module.dr.name}
          DesiredCapacity: '{{ DesiredCapacity }}'
          MaxSize: 30
          MinSize: 10
  YAML
}

resource "aws_cloudwatch_metric_alarm" "primary_health" {
  provider            = aws.dr
  alarm_name          = "shop-primary-unhealthy"
  namespace           = "AWS/Route53"
  metric_name         = "HealthCheckStatus"
  dimensions          = { HealthCheckId = aws_route53_health_check.primary.id }
  statistic           = "Minimum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "LessThanThreshold"
  tags                = local.tags
}

resource "aws_cloudwatch_event_rule" "ami_copy" {
  name = "shop-ami-copy"
  event_pattern = jsonencode({
    source      = ["aws.ec2"]
    detail-type = ["EC2 AMI State Change"]
    detail      = { State = ["available"] }
  })
  tags = local.tags
}

resource "aws_cloudwatch_event_target" "ami_copy" {
  rule     = aws_cloudwatch_event_rule.ami_copy.name
  arn      = "arn:aws:ssm:us-east-1:${aws_iam_role.automation.arn != "" ? split(":", aws_iam_role.automation.arn)[4] : ""}:automation-definition/AWS-CopyImage:$DEFAULT"
  role_arn = aws_iam_role.automation.arn
}
