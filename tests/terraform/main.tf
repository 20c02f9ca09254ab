# The reference architecture of fixtures/reference/ as Terraform manages it:
# the primary side through the default `aws` provider (us-east-1), the DR side
# through `aws.dr` (us-west-2). scripts/real-plans applies it to a moto server
# and checks drguard against the plans real Terraform writes for it. Endpoints
# come from AWS_ENDPOINT_URL; nothing here is meant for a real account.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
  }
}

provider "aws" {
  region                      = "us-east-1"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  s3_use_path_style           = true
}

provider "aws" {
  alias                       = "dr"
  region                      = "us-west-2"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  s3_use_path_style           = true
}

locals {
  domain = "api.yourstore.com"
  tags   = { App = "shop" }
}

# --- Network -----------------------------------------------------------------

resource "aws_vpc" "primary" {
  cidr_block = "10.0.0.0/16"
  tags       = local.tags
}

resource "aws_subnet" "primary" {
  for_each          = { a = "10.0.1.0/24", b = "10.0.2.0/24", c = "10.0.3.0/24" }
  vpc_id            = aws_vpc.primary.id
  cidr_block        = each.value
  availability_zone = "us-east-1${each.key}"
  tags              = local.tags
}

resource "aws_vpc" "dr" {
  provider   = aws.dr
  cidr_block = "10.1.0.0/16"
  tags       = local.tags
}

resource "aws_subnet" "dr" {
  provider          = aws.dr
  for_each          = { a = "10.1.1.0/24", b = "10.1.2.0/24", c = "10.1.3.0/24" }
  vpc_id            = aws_vpc.dr.id
  cidr_block        = each.value
  availability_zone = "us-west-2${each.key}"
  tags              = local.tags
}

# --- Golden image and its DR copy ----------------------------------------------

data "aws_ami" "base" {
  most_recent = true
  owners      = ["amazon"]
}

resource "aws_ami_copy" "golden" {
  name              = "shop-golden"
  source_ami_id     = data.aws_ami.base.id
  source_ami_region = "us-east-1"
  tags              = local.tags
  lifecycle {
    # moto answers DescribeImages with the source image's description.
    ignore_changes = [description]
  }
}

resource "aws_ami_copy" "golden_dr" {
  provider          = aws.dr
  name              = "dr-copy-${aws_ami_copy.golden.id}"
  source_ami_id     = aws_ami_copy.golden.id
  source_ami_region = "us-east-1"
  tags              = merge(local.tags, { SourceImageId = aws_ami_copy.golden.id })
  lifecycle {
    # moto answers DescribeImages with the source image's description.
    ignore_changes = [description]
  }
}
