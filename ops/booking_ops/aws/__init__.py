"""The AWS target (dev, staging, prod): boto3 against what the CDK app in infra/ deployed."""
