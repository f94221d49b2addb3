"""Audit logging rules: Bedrock invocation logs, log groups and buckets, KMS, Vertex AI, Foundry."""

from __future__ import annotations

import pytest

from tests.policies.plans import LOG_BUCKET, PlanBuilder, compliant

LOGGING = "invocation-logging-us-east-1"


@pytest.fixture
def plan() -> PlanBuilder:
    return compliant("prod")


# --- bedrock-invocation-logging -------------------------------------------------------------


def test_logging_in_the_bedrock_region_passes(plan: PlanBuilder) -> None:
    assert plan.messages("bedrock-invocation-logging") == []


def test_bedrock_without_logging_is_rejected(plan: PlanBuilder) -> None:
    plan.remove(LOGGING)

    [violation] = [v for v in plan.check() if v.policy == "bedrock-invocation-logging"]

    assert violation.urn == ""
    assert "model invocation logging is not configured" in violation.message


def test_bedrock_region_without_its_own_logging_is_rejected(plan: PlanBuilder) -> None:
    eu = plan.provider("aws", "aws-eu-west-1", region="eu-west-1")
    plan.add(
        "aws:ec2/vpcEndpoint:VpcEndpoint",
        "bedrock-runtime-eu-west-1",
        {"serviceName": "com.amazonaws.eu-west-1.bedrock-runtime"},
        provider=eu,
    )

    [violation] = [v for v in plan.check() if v.policy == "bedrock-invocation-logging"]

    assert violation.name == "bedrock-runtime-eu-west-1"
    assert "Bedrock is used in eu-west-1" in violation.message


def test_logging_configuration_without_destination_is_rejected(plan: PlanBuilder) -> None:
    plan.props(LOGGING)["loggingConfig"] = {"textDataDeliveryEnabled": True}

    [message] = plan.messages("bedrock-invocation-logging")

    assert "names no destination" in message


def test_logging_is_not_required_without_bedrock() -> None:
    plan = PlanBuilder()
    plan.add("aws:s3/bucket:Bucket", "b", {"bucket": "b"})

    assert plan.messages("bedrock-invocation-logging") == []


def test_older_logging_token_is_accepted(plan: PlanBuilder) -> None:
    entry = plan.entry(LOGGING)
    entry["type"] = (
        "aws:bedrock/modelInvocationLoggingConfiguration:ModelInvocationLoggingConfiguration"
    )

    assert plan.messages("bedrock-invocation-logging") == []


# --- log-group-kms-encrypted / log-group-retention ------------------------------------------


def test_encrypted_log_group_kept_a_year_passes(plan: PlanBuilder) -> None:
    assert plan.messages("log-group-kms-encrypted") == []
    assert plan.messages("log-group-retention") == []


def test_log_group_without_kms_key_is_rejected(plan: PlanBuilder) -> None:
    del plan.props("invocations")["kmsKeyId"]

    [message] = plan.messages("log-group-kms-encrypted")

    assert "has no kmsKeyId" in message


def test_short_retention_is_rejected(plan: PlanBuilder) -> None:
    plan.props("invocations")["retentionInDays"] = 30

    [message] = plan.messages("log-group-retention")

    assert "retentionInDays is 30, below the minimum of 365" in message


def test_minimum_retention_comes_from_config(plan: PlanBuilder) -> None:
    plan.props("invocations")["retentionInDays"] = 90
    config = {"log-group-retention": {"minRetentionDays": 90}}

    assert plan.messages("log-group-retention", config) == []


def test_never_expiring_log_group_passes_unless_config_forbids_it(plan: PlanBuilder) -> None:
    del plan.props("invocations")["retentionInDays"]
    strict = {"log-group-retention": {"allowNeverExpire": False}}

    assert plan.messages("log-group-retention") == []
    assert "never expires" in plan.messages("log-group-retention", strict)[0]


# --- the invocation log bucket --------------------------------------------------------------


def test_hardened_log_bucket_passes(plan: PlanBuilder) -> None:
    for policy in (
        "log-bucket-kms-encrypted",
        "log-bucket-public-access-blocked",
        "log-bucket-versioned",
        "log-bucket-object-lock",
    ):
        assert plan.messages(policy) == [], policy


def test_log_bucket_without_kms_encryption_is_rejected(plan: PlanBuilder) -> None:
    rule = plan.props("invocation-logs-sse")["rules"][0]
    rule["applyServerSideEncryptionByDefault"]["sseAlgorithm"] = "AES256"

    violations = [v for v in plan.check() if v.policy == "log-bucket-kms-encrypted"]

    assert [v.name for v in violations] == ["invocation-logs"]
    assert f"invocation log bucket {LOG_BUCKET} is not encrypted with KMS" in violations[0].message


def test_log_bucket_named_from_outside_the_stack_is_still_judged() -> None:
    plan = PlanBuilder()
    plan.add(
        "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration",
        "logging",
        {"loggingConfig": {"s3Config": {"bucketName": "shared-logs"}}},
    )

    [violation] = [v for v in plan.check() if v.policy == "log-bucket-kms-encrypted"]

    assert violation.urn == ""
    assert "shared-logs" in violation.message


def test_log_bucket_without_public_access_block_is_rejected(plan: PlanBuilder) -> None:
    plan.remove("invocation-logs-pab")

    [message] = plan.messages("log-bucket-public-access-blocked")

    assert "has no public access block" in message


def test_partial_public_access_block_is_rejected(plan: PlanBuilder) -> None:
    plan.props("invocation-logs-pab")["restrictPublicBuckets"] = False

    [message] = plan.messages("log-bucket-public-access-blocked")

    assert "leaves restrictPublicBuckets off" in message


def test_unversioned_log_bucket_is_rejected(plan: PlanBuilder) -> None:
    plan.remove("invocation-logs-versioning")
    plan.props("invocation-logs")["objectLockEnabled"] = False

    [message] = plan.messages("log-bucket-versioned")

    assert "is not versioned" in message


def test_object_lock_implies_versioning(plan: PlanBuilder) -> None:
    plan.remove("invocation-logs-versioning")

    assert plan.messages("log-bucket-versioned") == []


def test_log_bucket_without_object_lock_is_rejected_in_prod(plan: PlanBuilder) -> None:
    plan.remove("invocation-logs-lock")
    plan.props("invocation-logs")["objectLockEnabled"] = False

    [message] = plan.messages("log-bucket-object-lock")

    assert "has no object lock" in message


def test_object_lock_without_default_retention_is_rejected(plan: PlanBuilder) -> None:
    del plan.props("invocation-logs-lock")["rule"]

    [message] = plan.messages("log-bucket-object-lock")

    assert "has object lock but no default retention" in message


def test_object_lock_is_not_required_outside_prod() -> None:
    plan = compliant("staging")
    plan.remove("invocation-logs-lock")

    assert plan.messages("log-bucket-object-lock") == []


# --- kms-key-rotation ---------------------------------------------------------------------


def test_rotating_key_passes(plan: PlanBuilder) -> None:
    assert plan.messages("kms-key-rotation") == []


def test_key_without_rotation_is_rejected(plan: PlanBuilder) -> None:
    plan.props("kit-key")["enableKeyRotation"] = False

    [message] = plan.messages("kms-key-rotation")

    assert "enableKeyRotation is not true" in message


def test_asymmetric_key_is_not_judged(plan: PlanBuilder) -> None:
    plan.props("kit-key").update({"enableKeyRotation": False, "keySpec": "RSA_2048"})

    assert plan.messages("kms-key-rotation") == []


# --- Vertex AI ----------------------------------------------------------------------------


def test_vertex_audit_and_sink_pass(plan: PlanBuilder) -> None:
    for policy in ("vertex-data-access-audit-logs", "vertex-log-sink", "vertex-log-bucket-locked"):
        assert plan.messages(policy) == [], policy


def test_vertex_without_audit_config_is_rejected(plan: PlanBuilder) -> None:
    plan.remove("vertex-audit")

    [message] = plan.messages("vertex-data-access-audit-logs")

    assert "Data Access audit logs are off" in message


def test_vertex_audit_config_missing_data_reads_is_rejected(plan: PlanBuilder) -> None:
    plan.props("vertex-audit")["auditLogConfigs"] = [{"logType": "ADMIN_READ"}]

    [message] = plan.messages("vertex-data-access-audit-logs")

    assert "misses DATA_READ, DATA_WRITE" in message


def test_audit_config_for_all_services_counts(plan: PlanBuilder) -> None:
    plan.props("vertex-audit")["service"] = "allServices"

    assert plan.messages("vertex-data-access-audit-logs") == []


def test_vertex_without_storage_sink_is_rejected(plan: PlanBuilder) -> None:
    plan.props("vertex-sink")["destination"] = "bigquery.googleapis.com/projects/p/datasets/d"

    [message] = plan.messages("vertex-log-sink")

    assert "no log sink routes Vertex AI logs to Cloud Storage" in message


def test_sink_filtering_out_vertex_does_not_count(plan: PlanBuilder) -> None:
    plan.props("vertex-sink")["filter"] = 'resource.type="gce_instance"'

    assert len(plan.messages("vertex-log-sink")) == 1


def test_unlocked_vertex_log_bucket_is_rejected_in_prod(plan: PlanBuilder) -> None:
    plan.props("vertex-logs")["retentionPolicy"]["isLocked"] = False

    violations = [v for v in plan.check() if v.policy == "vertex-log-bucket-locked"]

    assert [v.name for v in violations] == ["vertex-logs"]
    assert "through sink vertex-sink" in violations[0].message


def test_unlocked_vertex_log_bucket_is_fine_in_dev() -> None:
    plan = compliant("dev")
    plan.props("vertex-logs")["retentionPolicy"]["isLocked"] = False

    assert plan.messages("vertex-log-bucket-locked") == []


# --- foundry-diagnostic-settings ------------------------------------------------------------


def test_foundry_with_diagnostic_settings_passes(plan: PlanBuilder) -> None:
    assert plan.messages("foundry-diagnostic-settings") == []


def test_foundry_without_diagnostic_settings_is_rejected(plan: PlanBuilder) -> None:
    plan.remove("foundry-diagnostics")

    [message] = plan.messages("foundry-diagnostic-settings")

    assert "Foundry account foundry has no diagnostic setting" in message


def test_diagnostic_setting_without_destination_or_logs_is_rejected(plan: PlanBuilder) -> None:
    props = plan.props("foundry-diagnostics")
    del props["workspaceId"]
    props["logs"] = [{"categoryGroup": "audit", "enabled": False}]

    messages = plan.messages("foundry-diagnostic-settings")

    assert any("has no destination" in m for m in messages)
    assert any("enables no logs" in m for m in messages)


def test_older_insights_token_is_accepted(plan: PlanBuilder) -> None:
    plan.entry("foundry-diagnostics")["type"] = "azure-native:insights:DiagnosticSetting"

    assert plan.messages("foundry-diagnostic-settings") == []
