# --- Aurora Global Database ----------------------------------------------------

resource "aws_rds_global_cluster" "shop" {
  global_cluster_identifier = "shop-global"
  engine                    = "aurora-postgresql"
  engine_version            = "15.4"
  lifecycle {
    ignore_changes = [tags_all]
  }
}

resource "aws_rds_cluster" "primary" {
  cluster_identifier        = "shop-aurora-use1"
  engine                    = aws_rds_global_cluster.shop.engine
  engine_version            = aws_rds_global_cluster.shop.engine_version
  global_cluster_identifier = aws_rds_global_cluster.shop.id
  master_username           = "shop"
  master_password           = "not-a-secret-moto-only"
  skip_final_snapshot       = true
  tags                      = local.tags
  lifecycle {
    # moto reports a Serverless v1 scaling configuration for every cluster.
    ignore_changes = [scaling_configuration]
  }
}

resource "aws_rds_cluster_instance" "primary" {
  count              = 2
  identifier         = "shop-aurora-use1-${count.index}"
  cluster_identifier = aws_rds_cluster.primary.id
  engine             = aws_rds_cluster.primary.engine
  engine_version     = aws_rds_cluster.primary.engine_version
  instance_class     = "db.r6g.large"
  tags               = local.tags
}

resource "aws_rds_cluster" "dr" {
  provider                  = aws.dr
  cluster_identifier        = "shop-aurora-usw2"
  engine                    = aws_rds_global_cluster.shop.engine
  engine_version            = aws_rds_global_cluster.shop.engine_version
  global_cluster_identifier = var.dr_in_global ? aws_rds_global_cluster.shop.id : null
  skip_final_snapshot       = true
  tags                      = local.tags
  lifecycle {
    # moto reports a Serverless v1 scaling configuration for every cluster.
    ignore_changes = [scaling_configuration]
  }
  depends_on = [aws_rds_cluster_instance.primary]
}

resource "aws_rds_cluster_instance" "dr" {
  provider           = aws.dr
  count              = 1
  identifier         = "shop-aurora-usw2-${count.index}"
  cluster_identifier = aws_rds_cluster.dr.id
  engine             = aws_rds_cluster.dr.engine
  engine_version     = aws_rds_cluster.dr.engine_version
  instance_class     = "db.r6g.large"
  tags               = local.tags
}

# --- S3 cross-region replication with Replication Time Control ----------------

resource "aws_s3_bucket" "assets" {
  bucket = "shop-assets-use1"
  tags   = local.tags
}

resource "aws_s3_bucket_versioning" "assets" {
  bucket = aws_s3_bucket.assets.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket" "assets_dr" {
  provider = aws.dr
  bucket   = "shop-assets-usw2"
  tags     = local.tags
}

resource "aws_s3_bucket_versioning" "assets_dr" {
  provider = aws.dr
  bucket   = aws_s3_bucket.assets_dr.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_iam_role" "replication" {
  name = "shop-s3-replication"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "s3.amazonaws.com" } }]
  })
}

resource "aws_s3_bucket_replication_configuration" "assets" {
  count      = var.replication ? 1 : 0
  bucket     = aws_s3_bucket.assets.id
  role       = aws_iam_role.replication.arn
  depends_on = [aws_s3_bucket_versioning.assets, aws_s3_bucket_versioning.assets_dr]
  rule {
    id     = "to-dr"
    status = "Enabled"
    filter {}
    # moto 5.2.5 reports delete-marker replication as Disabled whatever
    # was put, so the reference leaves it off to keep a no-op plan a no-op.
    delete_marker_replication {
      status = "Disabled"
    }
    destination {
      bucket        = aws_s3_bucket.assets_dr.arn
      storage_class = "STANDARD"
      dynamic "replication_time" {
        for_each = var.rtc ? [1] : []
        content {
          status = "Enabled"
          time {
            minutes = 15
          }
        }
      }
      dynamic "metrics" {
        for_each = var.rtc ? [1] : []
        content {
          status = "Enabled"
          event_threshold {
            minutes = 15
          }
        }
      }
    }
  }
}
