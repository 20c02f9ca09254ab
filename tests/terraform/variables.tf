# Each variable is one regression scripts/real-plans plans against the applied
# defaults; the defaults are the reference architecture drguard passes.

variable "ttl" {
  description = "TTL of the non-alias failover records (AAAA)"
  type        = number
  default     = 60
}

variable "hc_interval" {
  description = "Request interval of the primary health check, in seconds"
  type        = number
  default     = 10
}

variable "hc_disabled" {
  description = "Disable the primary health check"
  type        = bool
  default     = false
}

variable "secondary" {
  description = "Keep the SECONDARY failover records"
  type        = bool
  default     = true
}

variable "replication" {
  description = "Keep the bucket replication configuration"
  type        = bool
  default     = true
}

variable "rtc" {
  description = "Replication Time Control and metrics on the replication rule"
  type        = bool
  default     = true
}

variable "dr_in_global" {
  description = "Keep the DR Aurora cluster a member of the global cluster"
  type        = bool
  default     = true
}

variable "dr_min_size" {
  description = "MinSize of the DR Auto Scaling group"
  type        = number
  default     = 2
}

variable "primary_image" {
  description = "Image the primary launch template launches (empty: the golden AMI)"
  type        = string
  default     = ""
}

variable "dr_image" {
  description = "Image the DR launch template launches (empty: the golden AMI's DR copy)"
  type        = string
  default     = ""
}

variable "aurora_api" {
  description = "API the runbook's Aurora step calls"
  type        = string
  default     = "FailoverGlobalCluster"
}
