"""On-demand list prices, us-east-1, in USD, as published by AWS on the date below.

Update PRICES_AS_OF together with any figure you change; nothing here is fetched at run time.
Free tiers are not applied (they end after 12 months or are shared across an account).
"""

from __future__ import annotations

PRICES_AS_OF = "2025-06-01"
REGION = "us-east-1"
HOURS_PER_MONTH = 730

# Networking
NAT_GATEWAY_HOUR = 0.045
NAT_GATEWAY_GB = 0.045
INTERFACE_ENDPOINT_AZ_HOUR = 0.01
INTERFACE_ENDPOINT_GB = 0.01
PUBLIC_IPV4_HOUR = 0.005  # every public IPv4 address: NAT gateways' and the ALB's (one per AZ)
CROSS_AZ_GB = 0.02  # 0.01 out of one AZ and 0.01 into the other
DATA_TRANSFER_OUT_GB = 0.09  # internet egress from the ALB, first 10 TB
ALB_HOUR = 0.0225
ALB_LCU_HOUR = 0.008
# API Gateway HTTP API (dev's entry instead of the ALB), checked 2026-12-02 against
# aws.amazon.com/api-gateway/pricing ("you pay only for the API calls you receive and the amount
# of data transferred out") and the AWS whitepaper "Best Practices for Designing Amazon API
# Gateway Private APIs and Private Integration", Table 4: $1.00 per million requests for the
# first 300 M (then $0.90), metered in 512 KB increments. The VPC link (v2, no NLB) has no charge
# of its own; responses leave at DATA_TRANSFER_OUT_GB.
HTTP_API_MILLION_REQUESTS = 1.00
# AWS Cloud Map (AWS price list, effective 2025-08-01, checked 2026-12-02): $0.10 per
# registered resource (an ECS task) a month, $1.00 per million discovery API calls; a private
# DNS namespace is a Route 53 private hosted zone (ROUTE53_HOSTED_ZONE_MONTH)
CLOUD_MAP_RESOURCE_MONTH = 0.10
CLOUD_MAP_MILLION_DISCOVERY_CALLS = 1.00

# EC2 (the NAT instance, EKS nodes), Linux on-demand, and gp3 volumes (as of PRICES_AS_OF)
EC2_INSTANCE_HOUR = {
    "t4g.nano": 0.0042,
    "t4g.micro": 0.0084,
    "t4g.small": 0.0168,
    "t4g.medium": 0.0336,
    "t4g.large": 0.0672,
    "t4g.xlarge": 0.1344,
}
EBS_GP3_GB_MONTH = 0.08

# EKS (as of PRICES_AS_OF): the control plane on standard support ($0.60/h on extended support)
EKS_CONTROL_PLANE_HOUR = 0.10
# the NLB ingress-nginx's Service gets (EKS has no ALB in front of the pods)
NLB_HOUR = 0.0225
NLB_NLCU_HOUR = 0.006

# Compute: Fargate, Linux/ARM64
FARGATE_ARM_VCPU_HOUR = 0.03238
FARGATE_ARM_GB_HOUR = 0.00356

# RDS for PostgreSQL, single-AZ; Multi-AZ (one standby) is twice the instance and storage
RDS_INSTANCE_HOUR = {
    "t4g.micro": 0.016,
    "t4g.small": 0.032,
    "t4g.medium": 0.065,
    "t4g.large": 0.129,
    "m7g.large": 0.168,
    "r7g.large": 0.239,
}
# RDS for MySQL 8.0, single-AZ (Graviton burstable: the same list price as PostgreSQL's here);
# gp3 storage and backups are priced as for PostgreSQL
RDS_MYSQL_INSTANCE_HOUR = {
    "t4g.micro": 0.016,
    "t4g.small": 0.032,
    "t4g.medium": 0.065,
    "t4g.large": 0.129,
}
RDS_GP3_GB_MONTH = 0.115
RDS_BACKUP_GB_MONTH = 0.095  # beyond 100 % of provisioned storage

# ElastiCache for Valkey (node-based; 20 % under Redis OSS)
ELASTICACHE_VALKEY_NODE_HOUR = {
    "cache.t4g.micro": 0.0128,
    "cache.t4g.small": 0.0256,
    "cache.t4g.medium": 0.052,
    "cache.m7g.large": 0.1264,
}

# Edge
CLOUDFRONT_GB_OUT = 0.085  # North America / Europe, first 10 TB
CLOUDFRONT_HTTPS_10K_REQUESTS = 0.01
CLOUDFRONT_FUNCTION_MILLION_INVOCATIONS = 0.10
WAF_WEB_ACL_MONTH = 5.0
WAF_RULE_MONTH = 1.0  # each rule and each managed rule group
WAF_MILLION_REQUESTS = 0.60
ROUTE53_HOSTED_ZONE_MONTH = 0.50
ACM_PUBLIC_CERTIFICATE = 0.0

# Storage and registry
S3_STANDARD_GB_MONTH = 0.023
S3_PUT_1K = 0.005
S3_GET_1K = 0.0004
S3_GLACIER_IR_GB_MONTH = 0.004
ECR_GB_MONTH = 0.10

# Security, secrets, keys
SECRET_MONTH = 0.40
KMS_KEY_MONTH = 1.0
GUARDDUTY_MILLION_EVENTS = 4.0  # CloudTrail management events analysed
GUARDDUTY_FLOW_GB = 1.0  # VPC flow and DNS logs analysed, first 500 GB

# Observability
CLOUDWATCH_LOGS_INGEST_GB = 0.50
CLOUDWATCH_LOGS_STORE_GB_MONTH = 0.03
CLOUDWATCH_ALARM_METRIC_MONTH = 0.10  # standard resolution, per metric in the alarm
CLOUDWATCH_DASHBOARD_MONTH = 3.0
CLOUDWATCH_CUSTOM_METRIC_MONTH = 0.30  # Container Insights metrics are billed as custom
CLOUDTRAIL_FIRST_MANAGEMENT_TRAIL = 0.0
