"""Audit logs: Data Access logs on, routed by their own sink into a private, retained bucket."""

from __future__ import annotations

import re

from tests.helpers import Plan, render

AUDIT_CONFIG = "gcp:projects/iAMAuditConfig:IAMAuditConfig"
SINK = "gcp:logging/projectSink:ProjectSink"
BUCKET = "gcp:storage/bucket:Bucket"
BUCKET_MEMBER = "gcp:storage/bucketIAMMember:BucketIAMMember"
KEY_MEMBER = "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember"
PROD_KEY = "projects/acme-kms-prod/locations/us-east5/keyRings/claude-access/cryptoKeys/audit-logs"


def test_vertex_ai_writes_admin_read_data_read_and_data_write_logs(prod_plan: Plan) -> None:
    config = prod_plan.props(AUDIT_CONFIG)

    assert config["service"] == "aiplatform.googleapis.com"
    assert config["project"] == "acme-claude-prod"
    assert sorted(entry["logType"] for entry in config["auditLogConfigs"]) == [
        "ADMIN_READ",
        "DATA_READ",
        "DATA_WRITE",
    ]
    assert all("exemptedMembers" not in entry for entry in config["auditLogConfigs"])


def test_the_sink_selects_vertex_ai_audit_entries_into_the_bucket(staging_plan: Plan) -> None:
    sink = staging_plan.props(SINK)
    bucket = staging_plan.one(BUCKET)

    assert sink["destination"] == f"storage.googleapis.com/{bucket['id']}"
    assert sink["filter"] == (
        'protoPayload.serviceName="aiplatform.googleapis.com" AND ('
        'logName="projects/acme-claude-staging/logs/cloudaudit.googleapis.com%2Factivity" OR '
        'logName="projects/acme-claude-staging/logs/cloudaudit.googleapis.com%2Fdata_access")'
    )
    assert sink["uniqueWriterIdentity"] is True
    assert sink["name"] == "claude-access-staging-vertex-audit"
    assert "disabled" not in sink or sink["disabled"] is False


def test_only_the_sink_writer_may_write_and_only_to_this_bucket(staging_plan: Plan) -> None:
    (grant,) = staging_plan.of_type(BUCKET_MEMBER)
    bucket = staging_plan.one(BUCKET)

    assert grant["props"]["bucket"] == bucket["id"]
    assert grant["props"]["role"] == "roles/storage.objectCreator"
    assert re.fullmatch(
        r"serviceAccount:service-\d{12}@gcp-sa-logging\.iam\.gserviceaccount\.com",
        grant["props"]["member"],
    )


def test_the_bucket_is_private_uniform_and_never_versioned(staging_plan: Plan) -> None:
    bucket = staging_plan.props(BUCKET)

    assert bucket["uniformBucketLevelAccess"] is True
    assert bucket["publicAccessPrevention"] == "enforced"
    assert bucket["versioning"] == {"enabled": False}
    assert bucket["forceDestroy"] is False
    assert bucket["name"] == "acme-claude-staging-claude-audit-logs"
    assert bucket["location"] == "US-EAST5"


def test_objects_are_retained_for_the_configured_days_then_deleted(
    staging_plan: Plan, prod_plan: Plan
) -> None:
    for plan, days in ((staging_plan, 365), (prod_plan, 730)):
        bucket = plan.props(BUCKET)

        assert bucket["retentionPolicy"]["retentionPeriod"] == str(days * 86400)
        assert bucket["lifecycleRules"] == [
            {"action": {"type": "Delete"}, "condition": {"age": days}}
        ]


def test_the_retention_policy_is_locked_in_prod_only(staging_plan: Plan, prod_plan: Plan) -> None:
    assert prod_plan.props(BUCKET)["retentionPolicy"]["isLocked"] is True
    assert staging_plan.props(BUCKET)["retentionPolicy"]["isLocked"] is False


def test_production_safeguards_lock_the_bucket_of_any_environment() -> None:
    plan = render("staging", production="true")

    assert plan.props(BUCKET)["retentionPolicy"]["isLocked"] is True


def test_prod_encrypts_the_bucket_with_its_key_and_lets_cloud_storage_use_it(
    prod_plan: Plan,
) -> None:
    bucket = prod_plan.props(BUCKET)
    (grant,) = prod_plan.of_type(KEY_MEMBER)

    assert bucket["encryption"] == {"defaultKmsKeyName": PROD_KEY}
    assert grant["props"] == {
        "cryptoKeyId": PROD_KEY,
        "role": "roles/cloudkms.cryptoKeyEncrypterDecrypter",
        "member": "serviceAccount:service-739104582613@gs-project-accounts.iam.gserviceaccount.com",
    }


def test_without_a_key_the_bucket_uses_google_managed_encryption(staging_plan: Plan) -> None:
    assert "encryption" not in staging_plan.props(BUCKET)
    assert not staging_plan.of_type(KEY_MEMBER)


def test_the_bucket_location_can_be_chosen() -> None:
    plan = render("staging", gcp={"logBucketLocation": "us"})

    assert plan.props(BUCKET)["location"] == "US"
