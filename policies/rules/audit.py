"""Audit logging rules: every call to Claude leaves a record that cannot be quietly lost.

- Bedrock model invocation logging in every region that uses Bedrock, into CloudWatch
  log groups that are KMS-encrypted and kept long enough, and into an S3 bucket that is
  KMS-encrypted, private, versioned and (in production) under object lock;
- KMS keys rotate;
- Vertex AI Data Access audit logs, routed by a sink to a bucket whose retention policy
  is locked in production;
- diagnostic settings on every Foundry account.

Called ``audit`` rather than ``logging`` so that it never shadows the standard library.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from .base import (
    Context,
    Finding,
    Resource,
    ResourceRule,
    StackRule,
    as_list,
    get,
    is_unknown,
    known_strings,
    module_of,
)
from .clouds import (
    BEDROCK_LOGGING_TYPES,
    DIAGNOSTIC_SETTING_TYPES,
    FOUNDRY_ACCOUNT,
    GCP_BUCKET,
    KMS_KEY,
    LOG_GROUP,
    S3_BUCKET,
    aws_region,
    bedrock_regions,
    cloud_of,
    uses_bedrock,
)

__all__ = ["RULES"]

logger = logging.getLogger(__name__)

_SSE: Final = (
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
)
_PUBLIC_ACCESS_BLOCK: Final = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
_VERSIONING: Final = "aws:s3/bucketVersioning:BucketVersioning"
_OBJECT_LOCK: Final = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"
_PUBLIC_ACCESS_FLAGS: Final = (
    "blockPublicAcls",
    "blockPublicPolicy",
    "ignorePublicAcls",
    "restrictPublicBuckets",
)
_KMS_ALGORITHMS: Final = frozenset({"aws:kms", "aws:kms:dsse"})
_STORAGE_DESTINATION: Final = "storage.googleapis.com/"
_PROD_ONLY: Final = ("prod", "production")


# --- Bedrock invocation logging -------------------------------------------------------------


def check_bedrock_invocation_logging(
    resources: Sequence[Resource], config: Mapping[str, Any], context: Context
) -> Iterator[Finding]:
    """Bedrock invocation logging is on in every region where the stack uses Bedrock.

    The logging configuration is a per-account, per-region setting, so each region with a
    Bedrock endpoint or resource needs its own. A configuration whose region cannot be
    read yet is taken to cover every region rather than raise a false alarm.
    """
    if not uses_bedrock(resources):
        return
    configurations = [r for r in resources if r.type in BEDROCK_LOGGING_TYPES]
    if not configurations:
        yield Finding(
            "Bedrock is used but model invocation logging is not configured; add an "
            "aws:bedrockmodel/invocationLoggingConfiguration in each Bedrock region, "
            "delivering to an encrypted CloudWatch log group and/or S3 bucket",
        )
        return

    covered: set[str] = set()
    every_region_known = True
    for configuration in configurations:
        destination = get(configuration.props, "loggingConfig")
        if not is_unknown(destination) and not (
            get(destination, "s3Config", "bucketName")
            or get(destination, "cloudwatchConfig", "logGroupName")
        ):
            yield Finding(
                f"invocation logging configuration {configuration.name} names no destination; "
                "set loggingConfig.cloudwatchConfig.logGroupName and/or "
                "loggingConfig.s3Config.bucketName",
                configuration.urn,
            )
        region = aws_region(configuration.props, context.provider_of(configuration))
        if isinstance(region, str) and region:
            covered.add(region)
        else:
            every_region_known = False

    if not every_region_known:
        return
    for region, example in sorted(bedrock_regions(resources, context).items()):
        if region not in covered:
            yield Finding(
                f"Bedrock is used in {region} (e.g. by {example.name}) but no invocation "
                f"logging configuration targets {region}; add one with a provider for {region}",
                example.urn,
            )


# --- CloudWatch log groups ----------------------------------------------------------------


def check_log_group_kms_encrypted(
    resource_type: str, props: Mapping[str, Any], config: Mapping[str, Any], context: Context
) -> Iterator[str]:
    """CloudWatch log groups are encrypted with a customer-managed KMS key.

    Invocation logs hold prompts and completions; a key of your own lets you audit and
    revoke access to them.
    """
    if resource_type != LOG_GROUP:
        return
    key = props.get("kmsKeyId")
    if not is_unknown(key) and not key:
        yield (
            "the log group has no kmsKeyId; set it to the ARN of a customer-managed KMS key "
            "whose policy lets logs.<region>.amazonaws.com use it"
        )


def check_log_group_retention(
    resource_type: str, props: Mapping[str, Any], config: Mapping[str, Any], context: Context
) -> Iterator[str]:
    """CloudWatch log groups keep events at least ``minRetentionDays``.

    A missing or zero ``retentionInDays`` means events never expire, which keeps them
    longer than any minimum; ``allowNeverExpire: false`` rejects it, for organisations that
    want every log group to have a defined end of life.
    """
    if resource_type != LOG_GROUP:
        return
    minimum = int(config.get("minRetentionDays", 365))
    days = props.get("retentionInDays")
    if is_unknown(days):
        return
    if not days:
        if not config.get("allowNeverExpire", True):
            yield (
                f"the log group never expires its events; set retentionInDays to at least {minimum}"
            )
        return
    if isinstance(days, int | float) and days < minimum:
        yield (
            f"retentionInDays is {days}, below the minimum of {minimum}; set it to {minimum} "
            "or more (CloudWatch accepts 365, 400, 545, 731, 1096...)"
        )


# --- the invocation log bucket ------------------------------------------------------------


@dataclass(frozen=True)
class _LogBucket:
    """An S3 bucket that receives invocation logs, in the stack or named from outside it."""

    name: str
    resource: Resource | None
    identifiers: frozenset[str]

    @property
    def urn(self) -> str | None:
        return self.resource.urn if self.resource is not None else None

    def configured_by(self, candidate: Resource) -> bool:
        if self.resource is not None and self.resource.urn in candidate.refs.get("bucket", ()):
            return True
        return candidate.props.get("bucket") in self.identifiers


def _log_buckets(resources: Sequence[Resource]) -> list[_LogBucket]:
    """The buckets that Bedrock invocation logging delivers to."""
    names: set[str] = set()
    referenced: set[str] = set()
    for configuration in (r for r in resources if r.type in BEDROCK_LOGGING_TYPES):
        destination = configuration.props.get("loggingConfig")
        names.update(known_strings(get(destination, "s3Config", "bucketName")))
        names.update(
            known_strings(
                get(destination, "cloudwatchConfig", "largeDataDeliveryS3Config", "bucketName")
            )
        )
        referenced.update(configuration.refs.get("loggingConfig", ()))

    found: list[_LogBucket] = []
    for bucket in (r for r in resources if r.type == S3_BUCKET):
        identifiers = bucket.identifiers("bucket")
        if bucket.urn in referenced or identifiers & names:
            label = bucket.props.get("bucket")
            name = label if isinstance(label, str) and label else bucket.name
            found.append(_LogBucket(name, bucket, frozenset(identifiers)))
            names -= identifiers
    found += [_LogBucket(name, None, frozenset({name})) for name in sorted(names)]
    return found


def _bucket_settings(
    resources: Sequence[Resource], bucket: _LogBucket, kind: str
) -> list[Resource]:
    return [r for r in resources if r.type == kind and bucket.configured_by(r)]


def check_log_bucket_kms_encrypted(
    resources: Sequence[Resource], config: Mapping[str, Any], context: Context
) -> Iterator[Finding]:
    """The invocation log bucket encrypts objects with KMS (SSE-KMS or DSSE-KMS)."""
    for bucket in _log_buckets(resources):
        algorithms: list[Any] = []
        for setting in _bucket_settings(resources, bucket, _SSE):
            for rule in as_list(setting.props.get("rules")):
                algorithms.append(get(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm"))
        if bucket.resource is not None:
            inline = bucket.resource.props.get("serverSideEncryptionConfiguration")
            algorithms.append(
                get(inline, "rule", "applyServerSideEncryptionByDefault", "sseAlgorithm")
            )
        if any(is_unknown(a) or a in _KMS_ALGORITHMS for a in algorithms):
            continue
        yield Finding(
            f"invocation log bucket {bucket.name} is not encrypted with KMS; add an "
            "aws:s3/bucketServerSideEncryptionConfiguration whose rule sets sseAlgorithm "
            "'aws:kms' and kmsMasterKeyId to your key",
            bucket.urn,
        )


def check_log_bucket_public_access_blocked(
    resources: Sequence[Resource], config: Mapping[str, Any], context: Context
) -> Iterator[Finding]:
    """The invocation log bucket has a public access block with all four settings on."""
    for bucket in _log_buckets(resources):
        blocks = _bucket_settings(resources, bucket, _PUBLIC_ACCESS_BLOCK)
        if not blocks:
            yield Finding(
                f"invocation log bucket {bucket.name} has no public access block; add an "
                "aws:s3/bucketPublicAccessBlock with " + ", ".join(_PUBLIC_ACCESS_FLAGS) + " true",
                bucket.urn,
            )
            continue
        for block in blocks:
            off = [
                flag
                for flag in _PUBLIC_ACCESS_FLAGS
                if not is_unknown(block.props.get(flag)) and block.props.get(flag) is not True
            ]
            if off:
                yield Finding(
                    f"public access block {block.name} on invocation log bucket {bucket.name} "
                    f"leaves {', '.join(off)} off; set all four settings to true",
                    block.urn,
                )


def check_log_bucket_versioned(
    resources: Sequence[Resource], config: Mapping[str, Any], context: Context
) -> Iterator[Finding]:
    """The invocation log bucket keeps object versions, so overwrites do not lose logs.

    Object lock implies versioning, so a bucket with object lock enabled passes.
    """
    for bucket in _log_buckets(resources):
        states: list[Any] = [
            get(setting.props, "versioningConfiguration", "status")
            for setting in _bucket_settings(resources, bucket, _VERSIONING)
        ]
        if bucket.resource is not None:
            props = bucket.resource.props
            states.append("Enabled" if get(props, "versioning", "enabled") is True else None)
            states.append("Enabled" if props.get("objectLockEnabled") is True else None)
        if any(is_unknown(s) or s == "Enabled" for s in states):
            continue
        yield Finding(
            f"invocation log bucket {bucket.name} is not versioned; add an "
            "aws:s3/bucketVersioning with versioningConfiguration.status 'Enabled'",
            bucket.urn,
        )


def check_log_bucket_object_lock(
    resources: Sequence[Resource], config: Mapping[str, Any], context: Context
) -> Iterator[Finding]:
    """In production the invocation log bucket has object lock with a default retention.

    Object lock without a default retention protects only objects written with their own
    retention, which Bedrock does not set; so both are required.
    """
    for bucket in _log_buckets(resources):
        locks = _bucket_settings(resources, bucket, _OBJECT_LOCK)
        enabled: list[Any] = [lock.props.get("objectLockEnabled") for lock in locks]
        retention: list[Any] = [get(lock.props, "rule", "defaultRetention") for lock in locks]
        if bucket.resource is not None:
            props = bucket.resource.props
            enabled.append(props.get("objectLockEnabled"))
            enabled.append(get(props, "objectLockConfiguration", "objectLockEnabled"))
            retention.append(get(props, "objectLockConfiguration", "rule", "defaultRetention"))
        if any(is_unknown(v) for v in enabled + retention):
            continue
        if not any(v is True or v == "Enabled" for v in enabled):
            yield Finding(
                f"invocation log bucket {bucket.name} has no object lock; create it with "
                "objectLockEnabled true and add an aws:s3/bucketObjectLockConfiguration with a "
                "default retention (COMPLIANCE or GOVERNANCE mode)",
                bucket.urn,
            )
        elif not any(get(r, "days") or get(r, "years") for r in retention):
            yield Finding(
                f"invocation log bucket {bucket.name} has object lock but no default "
                "retention; add an aws:s3/bucketObjectLockConfiguration whose "
                "rule.defaultRetention sets mode and days (or years)",
                bucket.urn,
            )


# --- KMS ---------------------------------------------------------------------------------


def check_kms_key_rotation(
    resource_type: str, props: Mapping[str, Any], config: Mapping[str, Any], context: Context
) -> Iterator[str]:
    """Symmetric KMS keys rotate their key material; asymmetric and HMAC keys cannot."""
    if resource_type != KMS_KEY:
        return
    spec = props.get("customerMasterKeySpec") or props.get("keySpec") or "SYMMETRIC_DEFAULT"
    if spec != "SYMMETRIC_DEFAULT":
        return
    rotation = props.get("enableKeyRotation")
    if not is_unknown(rotation) and rotation is not True:
        yield "enableKeyRotation is not true; set it to true so the key material rotates yearly"


# --- Vertex AI ---------------------------------------------------------------------------


def _is_audit_config(resource_type: str) -> bool:
    return module_of(resource_type)[2].lower() == "iamauditconfig"


def check_vertex_data_access_audit_logs(
    resources: Sequence[Resource], config: Mapping[str, Any], context: Context
) -> Iterator[Finding]:
    """Vertex AI writes Data Access audit logs (who called which model, and when).

    Data Access logs are off by default in Google Cloud; an IAM audit config for
    ``aiplatform.googleapis.com`` (or ``allServices``) at project, folder or organisation
    level turns them on.
    """
    if not any(cloud_of(r.type) == "gcp" for r in resources):
        return
    required = [str(t).upper() for t in as_list(config.get("logTypes"))]
    audit_configs = [
        r
        for r in resources
        if _is_audit_config(r.type)
        and r.props.get("service") in ("aiplatform.googleapis.com", "allServices")
    ]
    if not audit_configs:
        yield Finding(
            "Vertex AI is in use but its Data Access audit logs are off; add a "
            "gcp:projects/iAMAuditConfig for service aiplatform.googleapis.com with "
            f"auditLogConfigs for {', '.join(required)}",
        )
        return
    covered: set[str] = set()
    for audit_config in audit_configs:
        entries = audit_config.props.get("auditLogConfigs")
        if is_unknown(entries):
            return
        covered.update(str(get(entry, "logType")).upper() for entry in as_list(entries))
    missing = [t for t in required if t not in covered]
    if missing:
        yield Finding(
            f"Vertex AI audit logging misses {', '.join(missing)}; add auditLogConfigs entries "
            f"with logType {', '.join(missing)}",
            audit_configs[0].urn,
        )


def _vertex_sinks(resources: Sequence[Resource]) -> list[Resource]:
    """Enabled log sinks into Cloud Storage whose filter lets Vertex AI entries through."""
    sinks = []
    for sink in resources:
        _, module, name = module_of(sink.type)
        if module != "logging" or not name.endswith("Sink") or not sink.type.startswith("gcp:"):
            continue
        destination = sink.props.get("destination")
        if isinstance(destination, str) and not destination.startswith(_STORAGE_DESTINATION):
            continue
        if sink.props.get("disabled") is True:
            continue
        log_filter = sink.props.get("filter")
        if isinstance(log_filter, str) and log_filter and "aiplatform" not in log_filter:
            continue
        sinks.append(sink)
    return sinks


def check_vertex_log_sink(
    resources: Sequence[Resource], config: Mapping[str, Any], context: Context
) -> Iterator[Finding]:
    """A log sink routes Vertex AI logs to a Cloud Storage bucket, beyond Logging's retention."""
    if not any(cloud_of(r.type) == "gcp" for r in resources):
        return
    if not _vertex_sinks(resources):
        yield Finding(
            "no log sink routes Vertex AI logs to Cloud Storage; add a "
            "gcp:logging/projectSink with destination 'storage.googleapis.com/<bucket>' and a "
            'filter on protoPayload.serviceName="aiplatform.googleapis.com"',
        )


def check_vertex_log_bucket_locked(
    resources: Sequence[Resource], config: Mapping[str, Any], context: Context
) -> Iterator[Finding]:
    """In production the bucket behind the Vertex AI sink has a locked retention policy.

    Buckets outside the stack cannot be read and are not judged.
    """
    buckets = [r for r in resources if r.type == GCP_BUCKET]
    for sink in _vertex_sinks(resources):
        destination = sink.props.get("destination")
        name = destination[len(_STORAGE_DESTINATION) :] if isinstance(destination, str) else None
        for bucket in buckets:
            linked = bucket.urn in sink.refs.get("destination", ()) or (
                name is not None and name in bucket.identifiers("name")
            )
            if not linked:
                continue
            locked = get(bucket.props, "retentionPolicy", "isLocked")
            if not is_unknown(locked) and locked is not True:
                yield Finding(
                    f"bucket {bucket.name}, which receives Vertex AI logs through sink "
                    f"{sink.name}, has no locked retention policy; set "
                    "retentionPolicy.retentionPeriod and retentionPolicy.isLocked true",
                    bucket.urn,
                )


# --- Foundry -----------------------------------------------------------------------------


def check_foundry_diagnostic_settings(
    resources: Sequence[Resource], config: Mapping[str, Any], context: Context
) -> Iterator[Finding]:
    """Every Foundry account sends its logs somewhere through a diagnostic setting."""
    settings = [r for r in resources if r.type in DIAGNOSTIC_SETTING_TYPES]
    for account in (r for r in resources if r.type == FOUNDRY_ACCOUNT):
        ids = account.identifiers()
        name = account.props.get("accountName")
        linked = []
        for setting in settings:
            target = setting.props.get("resourceUri")
            if (
                is_unknown(target)
                or setting.refers_to("resourceUri", account, ids)
                or (
                    isinstance(name, str)
                    and isinstance(target, str)
                    and target.lower().endswith(f"/accounts/{name.lower()}")
                )
            ):
                linked.append(setting)
        if not linked:
            yield Finding(
                f"Foundry account {account.name} has no diagnostic setting; add an "
                "azure-native:monitor:DiagnosticSetting with resourceUri set to the account's "
                "id, a Log Analytics workspaceId and the 'audit' and 'allLogs' category groups",
                account.urn,
            )
            continue
        for setting in linked:
            props = setting.props
            if not any(
                props.get(key)
                for key in ("workspaceId", "storageAccountId", "eventHubAuthorizationRuleId")
            ):
                yield Finding(
                    f"diagnostic setting {setting.name} has no destination; set workspaceId "
                    "to your Log Analytics workspace",
                    setting.urn,
                )
            logs = props.get("logs")
            if not is_unknown(logs) and not any(
                get(entry, "enabled") is True for entry in as_list(logs)
            ):
                yield Finding(
                    f"diagnostic setting {setting.name} enables no logs; add logs entries with "
                    "categoryGroup 'audit' and 'allLogs' and enabled true",
                    setting.urn,
                )


# --- the rules ------------------------------------------------------------------------------

RULES = (
    StackRule(
        name="bedrock-invocation-logging",
        concern="audit",
        description=(
            "Every region that uses Bedrock has a model invocation logging configuration "
            "with a destination."
        ),
        severity="high",
        enforcement="mandatory",
        remediation=(
            "Add aws:bedrockmodel/invocationLoggingConfiguration per Bedrock region (with a "
            "provider for that region), logging text data to an encrypted CloudWatch log "
            "group and/or S3 bucket."
        ),
        check=check_bedrock_invocation_logging,
    ),
    ResourceRule(
        name="log-group-kms-encrypted",
        concern="audit",
        description="CloudWatch log groups are encrypted with a customer-managed KMS key.",
        severity="medium",
        enforcement="mandatory",
        remediation=(
            "Set kmsKeyId on the log group to a KMS key whose policy allows the "
            "logs.<region>.amazonaws.com service principal."
        ),
        check=check_log_group_kms_encrypted,
    ),
    ResourceRule(
        name="log-group-retention",
        concern="audit",
        description=(
            "CloudWatch log groups keep events at least minRetentionDays (never expiring "
            "counts as enough unless allowNeverExpire is false)."
        ),
        severity="medium",
        enforcement="mandatory",
        dev_enforcement="advisory",
        remediation="Set retentionInDays to a CloudWatch-accepted value at or above the minimum.",
        params={
            "minRetentionDays": {
                "type": "integer",
                "minimum": 1,
                "default": 365,
                "description": "Fewest days a log group must keep its events.",
            },
            "allowNeverExpire": {
                "type": "boolean",
                "default": True,
                "description": "Whether a log group with no retentionInDays (kept forever) passes.",
            },
        },
        check=check_log_group_retention,
    ),
    StackRule(
        name="log-bucket-kms-encrypted",
        concern="audit",
        description="The Bedrock invocation log bucket is encrypted with SSE-KMS.",
        severity="high",
        enforcement="mandatory",
        remediation=(
            "Add aws:s3/bucketServerSideEncryptionConfiguration for the bucket with "
            "sseAlgorithm 'aws:kms', kmsMasterKeyId set and bucketKeyEnabled true."
        ),
        check=check_log_bucket_kms_encrypted,
    ),
    StackRule(
        name="log-bucket-public-access-blocked",
        concern="audit",
        description=(
            "The Bedrock invocation log bucket has a public access block with all four "
            "settings true."
        ),
        severity="critical",
        enforcement="mandatory",
        remediation=(
            "Add aws:s3/bucketPublicAccessBlock for the bucket with blockPublicAcls, "
            "blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true."
        ),
        check=check_log_bucket_public_access_blocked,
    ),
    StackRule(
        name="log-bucket-versioned",
        concern="audit",
        description="The Bedrock invocation log bucket has versioning enabled.",
        severity="medium",
        enforcement="mandatory",
        dev_enforcement="advisory",
        remediation=(
            "Add aws:s3/bucketVersioning for the bucket with versioningConfiguration.status "
            "'Enabled'."
        ),
        check=check_log_bucket_versioned,
    ),
    StackRule(
        name="log-bucket-object-lock",
        concern="audit",
        description=(
            "In production the Bedrock invocation log bucket has object lock with a default "
            "retention."
        ),
        severity="high",
        enforcement="mandatory",
        environments=_PROD_ONLY,
        remediation=(
            "Create the bucket with objectLockEnabled true and add "
            "aws:s3/bucketObjectLockConfiguration with rule.defaultRetention (mode "
            "COMPLIANCE or GOVERNANCE, days or years)."
        ),
        check=check_log_bucket_object_lock,
    ),
    ResourceRule(
        name="kms-key-rotation",
        concern="audit",
        description="Symmetric KMS keys have automatic key rotation enabled.",
        severity="medium",
        enforcement="mandatory",
        remediation="Set enableKeyRotation to true on the key.",
        check=check_kms_key_rotation,
    ),
    StackRule(
        name="vertex-data-access-audit-logs",
        concern="audit",
        description=(
            "When Vertex AI is used, its Data Access audit logs (ADMIN_READ, DATA_READ, "
            "DATA_WRITE) are on."
        ),
        severity="high",
        enforcement="mandatory",
        remediation=(
            "Add gcp:projects/iAMAuditConfig with service 'aiplatform.googleapis.com' and one "
            "auditLogConfigs entry per log type."
        ),
        params={
            "logTypes": {
                "type": "array",
                "items": {"type": "string"},
                "default": ["ADMIN_READ", "DATA_READ", "DATA_WRITE"],
                "description": "Audit log types that must be enabled for Vertex AI.",
            }
        },
        check=check_vertex_data_access_audit_logs,
    ),
    StackRule(
        name="vertex-log-sink",
        concern="audit",
        description="When Vertex AI is used, a log sink routes its logs to a Cloud Storage bucket.",
        severity="high",
        enforcement="mandatory",
        remediation=(
            "Add gcp:logging/projectSink with destination 'storage.googleapis.com/<bucket>', a "
            "filter on aiplatform.googleapis.com and a unique writer identity granted "
            "roles/storage.objectCreator on the bucket."
        ),
        check=check_vertex_log_sink,
    ),
    StackRule(
        name="vertex-log-bucket-locked",
        concern="audit",
        description=(
            "In production the bucket receiving Vertex AI logs has a locked retention policy."
        ),
        severity="high",
        enforcement="mandatory",
        environments=_PROD_ONLY,
        remediation=(
            "Set retentionPolicy.retentionPeriod (seconds) and retentionPolicy.isLocked true "
            "on the gcp:storage/bucket; locking cannot be undone."
        ),
        check=check_vertex_log_bucket_locked,
    ),
    StackRule(
        name="foundry-diagnostic-settings",
        concern="audit",
        description=(
            "Every Foundry account has a diagnostic setting that sends enabled logs to a "
            "destination."
        ),
        severity="high",
        enforcement="mandatory",
        remediation=(
            "Add azure-native:monitor:DiagnosticSetting with resourceUri set to the account's "
            "id, workspaceId set to a Log Analytics workspace and logs for the 'audit' and "
            "'allLogs' category groups enabled."
        ),
        check=check_foundry_diagnostic_settings,
    ),
)
