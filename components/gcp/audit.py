"""Vertex AI audit logs: who called Claude, when, kept in storage that cannot be rewritten."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
from pulumi_gcp import kms, projects, storage
from pulumi_gcp import logging as gcp_logging

from components.gcp import data
from components.gcp.options import child_options

__all__ = [
    "LOG_WRITER_ROLE",
    "VertexAuditLogs",
    "VertexAuditLogsArgs",
    "audit_filter",
    "storage_service_agent",
]

LOG_WRITER_ROLE = "roles/storage.objectCreator"
"""What the sink's writer identity needs on the bucket: create objects, nothing more."""

KEY_USER_ROLE = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
"""What Cloud Storage's service agent needs on a customer-managed key."""

_SECONDS_PER_DAY = 86400


def audit_filter(project: str, service: str = data.AUDITED_SERVICE) -> str:
    """A Logging filter that selects the service's Admin Activity and Data Access entries.

    Data Access (``data_access``) holds each call to Claude with its caller and model;
    Admin Activity (``activity``) holds changes to Vertex AI resources.
    """
    logs = " OR ".join(
        f'logName="projects/{project}/logs/cloudaudit.googleapis.com%2F{log}"'
        for log in ("activity", "data_access")
    )
    return f'protoPayload.serviceName="{service}" AND ({logs})'


def storage_service_agent(project_number: str) -> str:
    """The IAM member of the project's Cloud Storage service agent."""
    return f"serviceAccount:service-{project_number}@gs-project-accounts.iam.gserviceaccount.com"


@dataclass(frozen=True)
class VertexAuditLogsArgs:
    """Which logs to keep, where and for how long.

    :param project: the project whose Vertex AI is audited.
    :param project_number: its number, which names the Cloud Storage service agent.
    :param bucket_name: the log bucket's name (globally unique).
    :param location: the bucket's Cloud Storage location, such as ``US-EAST5``.
    :param sink_name: the log sink's name.
    :param retention_days: days each log object is kept and cannot be deleted.
    :param locked: whether the retention policy is locked; locking cannot be undone.
    :param log_types: the audit log types to turn on.
    :param kms_key_name: a Cloud KMS key that encrypts the bucket, or ``None``.
    """

    project: str
    project_number: str
    bucket_name: str
    location: str
    sink_name: str
    retention_days: int
    locked: bool
    log_types: Sequence[str]
    kms_key_name: str | None


class VertexAuditLogs(pulumi.ComponentResource):
    """Data Access audit logs for Vertex AI, routed to a private bucket under retention.

    Creates, in order:

    1. the project's audit config for ``aiplatform.googleapis.com`` (Data Access logs are
       off by default);
    2. with a customer-managed key, the grant that lets Cloud Storage use it;
    3. a bucket with uniform access, public access prevention enforced, no object
       versioning (a retention policy excludes it), a retention policy of the configured
       days (locked in production) and a lifecycle that deletes objects once it lapses;
    4. a log sink with its own writer identity, selecting Vertex AI's audit entries;
    5. the writer identity's right to create objects in that bucket only.

    The audit config is authoritative for Vertex AI in the project: exemptions set for
    ``aiplatform.googleapis.com`` elsewhere are replaced by this one, which has none.
    """

    bucket_name: pulumi.Output[str]
    writer_identity: pulumi.Output[str]

    def __init__(
        self, name: str, args: VertexAuditLogsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        if args.retention_days < 1:
            raise TypeError(f"Expected retention_days of 1 or more, got {args.retention_days!r}")
        if not args.log_types:
            raise TypeError("Expected at least one audit log type")

        super().__init__("claude-access:gcp:VertexAuditLogs", name, None, opts)
        child = child_options(self, opts)

        # 1. Data Access audit logs for Vertex AI.
        projects.IAMAuditConfig(
            f"{name}-config",
            project=args.project,
            service=data.AUDITED_SERVICE,
            audit_log_configs=[
                projects.IAMAuditConfigAuditLogConfigArgs(log_type=log_type)
                for log_type in args.log_types
            ],
            opts=child,
        )

        # 2. Cloud Storage may use the customer-managed key.
        bucket_needs: list[pulumi.Resource] = []
        encryption = None
        if args.kms_key_name is not None:
            bucket_needs.append(
                kms.CryptoKeyIAMMember(
                    f"{name}-key-user",
                    crypto_key_id=args.kms_key_name,
                    role=KEY_USER_ROLE,
                    member=storage_service_agent(args.project_number),
                    opts=child,
                )
            )
            encryption = storage.BucketEncryptionArgs(default_kms_key_name=args.kms_key_name)

        # 3. The bucket.
        days = args.retention_days
        bucket = storage.Bucket(
            f"{name}-bucket",
            project=args.project,
            name=args.bucket_name,
            location=args.location,
            storage_class="STANDARD",
            uniform_bucket_level_access=True,
            public_access_prevention="enforced",
            versioning=storage.BucketVersioningArgs(enabled=False),
            retention_policy=storage.BucketRetentionPolicyArgs(
                retention_period=str(days * _SECONDS_PER_DAY), is_locked=args.locked
            ),
            lifecycle_rules=[
                storage.BucketLifecycleRuleArgs(
                    action=storage.BucketLifecycleRuleActionArgs(type="Delete"),
                    condition=storage.BucketLifecycleRuleConditionArgs(age=days),
                )
            ],
            encryption=encryption,
            force_destroy=False,
            opts=pulumi.ResourceOptions.merge(
                child, pulumi.ResourceOptions(depends_on=bucket_needs)
            ),
        )

        # 4. The sink.
        sink = gcp_logging.ProjectSink(
            f"{name}-sink",
            project=args.project,
            name=args.sink_name,
            description="claude-access: Vertex AI audit logs to the locked log bucket",
            destination=bucket.name.apply(
                lambda bucket_name: f"storage.googleapis.com/{bucket_name}"
            ),
            filter=audit_filter(args.project),
            unique_writer_identity=True,
            opts=child,
        )

        # 5. The sink writes into this bucket, and nowhere else.
        storage.BucketIAMMember(
            f"{name}-sink-writes",
            bucket=bucket.name,
            role=LOG_WRITER_ROLE,
            member=sink.writer_identity,
            opts=child,
        )

        self.bucket_name = bucket.name
        self.writer_identity = sink.writer_identity
        self.register_outputs({"bucketName": bucket.name, "writerIdentity": sink.writer_identity})
