"""The ports the tiers talk on; security groups and network ACLs are written from the same ones."""

from __future__ import annotations

HTTP_PORT = 80
HTTPS_PORT = 443
APP_PORT = 8000
POSTGRES_PORT = 5432
MYSQL_PORT = 3306
REDIS_PORT = 6379
# Replies come back to the client's ephemeral port; NAT gateways and load balancers use
# 1024-65535, so a stateless ACL must let that whole range back in.
EPHEMERAL = (1024, 65535)
