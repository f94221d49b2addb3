"""Small plan documents for the policy tests, built in code rather than kept as fixtures.

:func:`compliant` builds a plan that every rule accepts: Bedrock, Vertex AI and Foundry
set up as the kit intends. A test breaks one thing in it (``plan.props(name)[...] = ...``
or ``plan.remove(name)``) and expects exactly that rule to object. :class:`PlanBuilder`
also builds plans from nothing for cases the compliant plan does not cover.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from policies import offline

PROJECT = "claude-access"
ACCOUNT = "111122223333"
REGION = "us-east-1"
SG_ID = "sg-0123456789abcdef0"
LOG_BUCKET = "claude-invocation-logs-prod"
VERTEX_BUCKET = "claude-vertex-logs-prod"
FOUNDRY_ID = (
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/claude/providers/"
    "Microsoft.CognitiveServices/accounts/claude-foundry"
)
TOPIC_ARN = f"arn:aws:sns:{REGION}:{ACCOUNT}:claude-oncall"
KEY_ARN = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
SONNET_PROFILE = (
    f"arn:aws:bedrock:{REGION}:{ACCOUNT}:inference-profile/us.anthropic.claude-sonnet-4-6"
)
SONNET_MODEL = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-6"


def document(*statements: dict[str, Any]) -> str:
    """An IAM policy document as the plan carries it: a JSON string."""
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action: Any, resource: Any, **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def tags(environment: str = "prod") -> dict[str, str]:
    return {
        "owner": "platform@example.com",
        "cost-center": "cc-4711",
        "environment": environment,
        "managed-by": "claude-access",
    }


@dataclass
class PlanBuilder:
    """A plan document under construction."""

    stack: str = "prod"
    environment: str | None = "prod"
    resources: list[dict[str, Any]] = field(default_factory=list)

    def urn(self, resource_type: str, name: str) -> str:
        return f"urn:pulumi:{self.stack}::{PROJECT}::{resource_type}::{name}"

    def add(
        self,
        resource_type: str,
        name: str,
        props: dict[str, Any] | None = None,
        *,
        id: str | None = None,
        provider: str | None = None,
        custom: bool = True,
    ) -> str:
        """Add a resource and return its URN."""
        entry: dict[str, Any] = {
            "urn": self.urn(resource_type, name),
            "type": resource_type,
            "name": name,
            "custom": custom,
            "props": props or {},
        }
        if custom:
            entry["id"] = id or f"{name}-id"
        if provider is not None:
            entry["provider"] = provider
        self.resources.append(entry)
        return str(entry["urn"])

    def provider(self, package: str, name: str, **props: Any) -> str:
        """Add a provider resource; return the reference '<urn>::<id>' resources hold."""
        urn = self.add(f"pulumi:providers:{package}", name, props, id=f"{name}-provider-id")
        return f"{urn}::{name}-provider-id"

    def entry(self, name: str) -> dict[str, Any]:
        matches = [r for r in self.resources if r["name"] == name]
        assert len(matches) == 1, f"expected one resource named {name!r}, found {len(matches)}"
        return matches[0]

    def props(self, name: str) -> dict[str, Any]:
        """The props of the resource called ``name``, to change in place."""
        props: dict[str, Any] = self.entry(name)["props"]
        return props

    def remove(self, *names: str) -> None:
        self.resources = [r for r in self.resources if r["name"] not in names]

    def to_dict(self) -> dict[str, Any]:
        plan: dict[str, Any] = {
            "schemaVersion": 1,
            "project": PROJECT,
            "stack": self.stack,
            "resources": self.resources,
            "outputs": {},
        }
        if self.environment is not None:
            plan["environment"] = self.environment
        return plan

    def check(
        self, config: dict[str, Any] | None = None, environment: str | None = None
    ) -> list[offline.Violation]:
        return offline.check(self.to_dict(), config, environment=environment)

    def messages(self, policy: str, config: dict[str, Any] | None = None) -> list[str]:
        """The messages one policy reports on this plan."""
        return [v.message for v in self.check(config) if v.policy == policy]


def _aws(plan: PlanBuilder, env: str) -> None:
    aws = plan.provider("aws", "aws-us-east-1", region=REGION)
    plan.add(
        "claude-access:aws:BedrockPrivateAccess",
        "private-us-east-1",
        {"region": REGION},
        custom=False,
    )
    plan.add(
        "aws:kms/key:Key",
        "kit-key",
        {
            "enableKeyRotation": True,
            "policy": document(
                allow("kms:*", "*", Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:root"})
            ),
            "tags": tags(env),
        },
        id="1234abcd-12ab-34cd-56ef-1234567890ab",
        provider=aws,
    )
    plan.add(
        "aws:ec2/securityGroup:SecurityGroup",
        "bedrock-sg",
        {
            "vpcId": "vpc-0a1b2c3d",
            "ingress": [
                {"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": ["10.0.0.0/16"]}
            ],
            "tags": tags(env),
        },
        id=SG_ID,
        provider=aws,
    )
    plan.add(
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        "bedrock-sg-https",
        {
            "securityGroupId": SG_ID,
            "cidrIpv4": "10.1.0.0/16",
            "ipProtocol": "tcp",
            "fromPort": 443,
            "toPort": 443,
            "tags": tags(env),
        },
        provider=aws,
    )
    for service, actions, resources in (
        ("bedrock-runtime", ["bedrock:InvokeModel"], [SONNET_PROFILE, SONNET_MODEL]),
        (
            "bedrock-mantle",
            ["bedrock-mantle:CreateInference"],
            [f"arn:aws:bedrock-mantle:{REGION}:{ACCOUNT}:project/*"],
        ),
    ):
        plan.add(
            "aws:ec2/vpcEndpoint:VpcEndpoint",
            f"{service}-us-east-1",
            {
                "serviceName": f"com.amazonaws.{REGION}.{service}",
                "vpcEndpointType": "Interface",
                "privateDnsEnabled": True,
                "securityGroupIds": [SG_ID],
                "subnetIds": ["subnet-0a1b2c3d"],
                "policy": document(
                    allow(
                        actions,
                        resources,
                        Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                        Condition={"StringEquals": {"aws:PrincipalAccount": ACCOUNT}},
                    )
                ),
                "tags": tags(env),
            },
            id=f"vpce-{service}",
            provider=aws,
        )
    plan.add(
        "aws:iam/role:Role",
        "invoker",
        {
            "assumeRolePolicy": document(
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": [f"arn:aws:iam::{ACCOUNT}:role/app"]},
                    "Action": "sts:AssumeRole",
                }
            ),
            "inlinePolicies": [
                {
                    "name": "invoke",
                    "policy": document(
                        allow(
                            ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
                            [SONNET_PROFILE, SONNET_MODEL],
                            Sid="InvokeClaude",
                        ),
                        allow("bedrock:ListFoundationModels", "*", Sid="List"),
                    ),
                }
            ],
            "tags": tags(env),
        },
        provider=aws,
    )
    plan.add(
        "aws:cloudwatch/logGroup:LogGroup",
        "invocations",
        {"name": "/claude/bedrock", "kmsKeyId": KEY_ARN, "retentionInDays": 365, "tags": tags(env)},
        provider=aws,
    )
    plan.add(
        "aws:s3/bucket:Bucket",
        "invocation-logs",
        {"bucket": LOG_BUCKET, "objectLockEnabled": True, "tags": tags(env)},
        id=LOG_BUCKET,
        provider=aws,
    )
    plan.add(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "invocation-logs-sse",
        {
            "bucket": LOG_BUCKET,
            "rules": [
                {
                    "applyServerSideEncryptionByDefault": {
                        "sseAlgorithm": "aws:kms",
                        "kmsMasterKeyId": KEY_ARN,
                    },
                    "bucketKeyEnabled": True,
                }
            ],
        },
        provider=aws,
    )
    plan.add(
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "invocation-logs-pab",
        {
            "bucket": LOG_BUCKET,
            "blockPublicAcls": True,
            "blockPublicPolicy": True,
            "ignorePublicAcls": True,
            "restrictPublicBuckets": True,
        },
        provider=aws,
    )
    plan.add(
        "aws:s3/bucketVersioning:BucketVersioning",
        "invocation-logs-versioning",
        {"bucket": LOG_BUCKET, "versioningConfiguration": {"status": "Enabled"}},
        provider=aws,
    )
    plan.add(
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
        "invocation-logs-lock",
        {
            "bucket": LOG_BUCKET,
            "objectLockEnabled": "Enabled",
            "rule": {"defaultRetention": {"mode": "COMPLIANCE", "days": 365}},
        },
        provider=aws,
    )
    plan.add(
        "aws:s3/bucketPolicy:BucketPolicy",
        "invocation-logs-policy",
        {
            "bucket": LOG_BUCKET,
            "policy": document(
                {
                    "Effect": "Deny",
                    "Principal": {"AWS": "*"},
                    "Action": "s3:*",
                    "Resource": [f"arn:aws:s3:::{LOG_BUCKET}/*"],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                }
            ),
        },
        provider=aws,
    )
    plan.add(
        "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration",
        "invocation-logging-us-east-1",
        {
            "loggingConfig": {
                "cloudwatchConfig": {
                    "logGroupName": "/claude/bedrock",
                    "roleArn": f"arn:aws:iam::{ACCOUNT}:role/log-delivery",
                },
                "s3Config": {"bucketName": LOG_BUCKET, "keyPrefix": "bedrock"},
                "textDataDeliveryEnabled": True,
            }
        },
        provider=aws,
    )
    for metric in ("InvocationThrottles", "InvocationServerErrors"):
        plan.add(
            "aws:cloudwatch/metricAlarm:MetricAlarm",
            f"bedrock-{metric}",
            {
                "namespace": "AWS/Bedrock",
                "metricName": metric,
                "comparisonOperator": "GreaterThanThreshold",
                "threshold": 0,
                "evaluationPeriods": 1,
                "alarmActions": [TOPIC_ARN],
                "tags": tags(env),
            },
            provider=aws,
        )
    plan.add(
        "aws:budgets/budget:Budget",
        "aws-budget",
        {
            "budgetType": "COST",
            "limitAmount": "1000",
            "limitUnit": "USD",
            "timeUnit": "MONTHLY",
            "notifications": [
                {
                    "comparisonOperator": "GREATER_THAN",
                    "notificationType": kind,
                    "threshold": threshold,
                    "thresholdType": "PERCENTAGE",
                    "subscriberEmailAddresses": ["finops@example.com"],
                }
                for threshold, kind in ((50, "ACTUAL"), (80, "ACTUAL"), (100, "FORECASTED"))
            ],
            "tags": tags(env),
        },
        provider=aws,
    )
    plan.add(
        "aws:secretsmanager/secretVersion:SecretVersion",
        "anthropic-api-key",
        {"secretId": "claude/anthropic", "secretString": "[secret]"},
        provider=aws,
    )


def _gcp(plan: PlanBuilder, env: str) -> None:
    gcp = plan.provider("gcp", "gcp", project="claude-prod", region="us-east5")
    plan.add(
        "gcp:projects/service:Service",
        "aiplatform",
        {"service": "aiplatform.googleapis.com"},
        provider=gcp,
    )
    plan.add(
        "gcp:compute/subnetwork:Subnetwork",
        "workloads",
        {"region": "us-east5", "ipCidrRange": "10.2.0.0/20", "privateIpGoogleAccess": True},
        provider=gcp,
    )
    plan.add(
        "gcp:projects/iAMAuditConfig:IAMAuditConfig",
        "vertex-audit",
        {
            "project": "claude-prod",
            "service": "aiplatform.googleapis.com",
            "auditLogConfigs": [
                {"logType": "ADMIN_READ"},
                {"logType": "DATA_READ"},
                {"logType": "DATA_WRITE"},
            ],
        },
        provider=gcp,
    )
    plan.add(
        "gcp:storage/bucket:Bucket",
        "vertex-logs",
        {
            "name": VERTEX_BUCKET,
            "location": "US",
            "retentionPolicy": {"retentionPeriod": 31536000, "isLocked": True},
            "labels": tags(env),
        },
        id=VERTEX_BUCKET,
        provider=gcp,
    )
    plan.add(
        "gcp:logging/projectSink:ProjectSink",
        "vertex-sink",
        {
            "destination": f"storage.googleapis.com/{VERTEX_BUCKET}",
            "filter": 'protoPayload.serviceName="aiplatform.googleapis.com"',
            "uniqueWriterIdentity": True,
        },
        provider=gcp,
    )
    plan.add(
        "gcp:projects/iAMMember:IAMMember",
        "invoker-vertex-user",
        {
            "project": "claude-prod",
            "role": "roles/aiplatform.user",
            "member": "serviceAccount:invoker@claude-prod.iam.gserviceaccount.com",
        },
        provider=gcp,
    )
    plan.add(
        "gcp:billing/budget:Budget",
        "gcp-budget",
        {
            "billingAccount": "000000-000000-000000",
            "amount": {"specifiedAmount": {"currencyCode": "USD", "units": "1000"}},
            "thresholdRules": [
                {"thresholdPercent": 0.5},
                {"thresholdPercent": 0.8},
                {"thresholdPercent": 1.0, "spendBasis": "FORECASTED_SPEND"},
            ],
        },
        provider=gcp,
    )


def _azure(plan: PlanBuilder, env: str) -> None:
    azure = plan.provider("azure-native", "azure")
    plan.add(
        "azure-native:cognitiveservices:Account",
        "foundry",
        {
            "accountName": "claude-foundry",
            "resourceGroupName": "claude",
            "location": "eastus2",
            "kind": "AIServices",
            "sku": {"name": "S0"},
            "identity": {"type": "SystemAssigned"},
            "properties": {
                "customSubDomainName": "claude-foundry",
                "publicNetworkAccess": "Disabled",
                "networkAcls": {"defaultAction": "Deny"},
                "disableLocalAuth": True,
            },
            "tags": tags(env),
        },
        id=FOUNDRY_ID,
        provider=azure,
    )
    plan.add(
        "azure-native:cognitiveservices:Deployment",
        "claude-sonnet-4-6",
        {
            "accountName": "claude-foundry",
            "resourceGroupName": "claude",
            "deploymentName": "claude-sonnet-4-6",
            "properties": {"model": {"format": "Anthropic", "name": "claude-sonnet-4-6"}},
            "sku": {"name": "GlobalStandard", "capacity": 1},
            "tags": tags(env),
        },
        provider=azure,
    )
    plan.add(
        "azure-native:network:PrivateEndpoint",
        "foundry-pe",
        {
            "location": "eastus2",
            "resourceGroupName": "claude",
            "subnet": {"id": "/subscriptions/0/resourceGroups/net/providers/.../subnets/pe"},
            "privateLinkServiceConnections": [
                {"name": "foundry", "privateLinkServiceId": FOUNDRY_ID, "groupIds": ["account"]}
            ],
            "tags": tags(env),
        },
        provider=azure,
    )
    plan.add(
        "azure-native:monitor:DiagnosticSetting",
        "foundry-diagnostics",
        {
            "resourceUri": FOUNDRY_ID,
            "workspaceId": "/subscriptions/0/resourceGroups/claude/providers/"
            "Microsoft.OperationalInsights/workspaces/claude",
            "logs": [
                {"categoryGroup": "audit", "enabled": True},
                {"categoryGroup": "allLogs", "enabled": True},
            ],
        },
        provider=azure,
    )
    plan.add(
        "azure-native:authorization:RoleAssignment",
        "invoker-foundry-user",
        {
            "principalId": "11111111-1111-1111-1111-111111111111",
            "principalType": "ServicePrincipal",
            "roleDefinitionId": "/providers/Microsoft.Authorization/roleDefinitions/"
            "a97b65f3-24c7-4388-baec-2e87135dc908",
            "scope": FOUNDRY_ID,
        },
        provider=azure,
    )
    plan.add(
        "azure-native:consumption:Budget",
        "azure-budget",
        {
            "scope": "/subscriptions/00000000-0000-0000-0000-000000000000",
            "amount": 1000,
            "category": "Cost",
            "timeGrain": "Monthly",
            "notifications": {
                name: {
                    "enabled": True,
                    "operator": "GreaterThan",
                    "threshold": threshold,
                    "thresholdType": kind,
                    "contactEmails": ["finops@example.com"],
                }
                for name, threshold, kind in (
                    ("half", 50, "Actual"),
                    ("most", 80, "Actual"),
                    ("all", 100, "Forecasted"),
                )
            },
        },
        provider=azure,
    )


def compliant(environment: str = "prod") -> PlanBuilder:
    """A plan with all three clouds set up so that every rule passes."""
    plan = PlanBuilder(stack=environment, environment=environment)
    _aws(plan, environment)
    _gcp(plan, environment)
    _azure(plan, environment)
    return plan
