# --- Route 53: failover records guarded by fast health checks -----------------

resource "aws_route53_zone" "main" {
  name = "yourstore.com"
}

resource "aws_route53_health_check" "primary" {
  fqdn              = aws_lb.primary.dns_name
  port              = 443
  type              = "HTTPS"
  resource_path     = "/health"
  request_interval  = var.hc_interval
  failure_threshold = 3
  disabled          = var.hc_disabled
  tags              = local.tags
}

resource "aws_route53_health_check" "dr" {
  fqdn              = aws_lb.dr.dns_name
  port              = 443
  type              = "HTTPS"
  resource_path     = "/health"
  request_interval  = 10
  failure_threshold = 3
  tags              = local.tags
}

resource "aws_route53_record" "primary" {
  zone_id         = aws_route53_zone.main.zone_id
  name            = local.domain
  type            = "A"
  set_identifier  = "primary"
  health_check_id = aws_route53_health_check.primary.id
  failover_routing_policy {
    type = "PRIMARY"
  }
  alias {
    name                   = aws_lb.primary.dns_name
    zone_id                = aws_lb.primary.zone_id
    evaluate_target_health = true
  }
}

resource "aws_route53_record" "secondary" {
  count           = var.secondary ? 1 : 0
  zone_id         = aws_route53_zone.main.zone_id
  name            = local.domain
  type            = "A"
  set_identifier  = "secondary"
  health_check_id = aws_route53_health_check.dr.id
  failover_routing_policy {
    type = "SECONDARY"
  }
  alias {
    name                   = aws_lb.dr.dns_name
    zone_id                = aws_lb.dr.zone_id
    evaluate_target_health = true
  }
}

# Non-alias failover records, which DRG-R53-006 holds to a TTL of 60 s.
resource "aws_route53_record" "primary_v6" {
  zone_id         = aws_route53_zone.main.zone_id
  name            = local.domain
  type            = "AAAA"
  ttl             = var.ttl
  records         = ["2001:db8::1"]
  set_identifier  = "primary-v6"
  health_check_id = aws_route53_health_check.primary.id
  failover_routing_policy {
    type = "PRIMARY"
  }
}

resource "aws_route53_record" "secondary_v6" {
  count           = var.secondary ? 1 : 0
  zone_id         = aws_route53_zone.main.zone_id
  name            = local.domain
  type            = "AAAA"
  ttl             = var.ttl
  records         = ["2001:db8::2"]
  set_identifier  = "secondary-v6"
  health_check_id = aws_route53_health_check.dr.id
  failover_routing_policy {
    type = "SECONDARY"
  }
}
