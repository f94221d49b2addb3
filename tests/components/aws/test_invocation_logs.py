"""Invocation logging: encrypted stores, retention, lock in prod, scoped delivery."""

from __future__ import annotations

import json

from tests.helpers import Plan, as_list, render, statements

GROUP = "aws:cloudwatch/logGroup:LogGroup"
BUCKET = "aws:s3/bucket:Bucket"
KEY = "aws:kms/key:Key"
CONFIG = "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration"


def test_each_region_logs_invocations_to_its_group_and_bucket(prod_plan: Plan) -> None:
    for region in ("us-east-1", "us-west-2"):
        config = prod_plan.props(CONFIG, region)["loggingConfig"]
        bucket = prod_plan.one(BUCKET, region)

        assert config["textDataDeliveryEnabled"] is True
        assert (
            config["cloudwatchConfig"]["logGroupName"] == "/claude-access/prod/bedrock-invocations"
        )
        assert config["cloudwatchConfig"]["roleArn"] == (
            f"arn:aws:iam::333344445555:role/claude-access-prod-log-delivery-{region}"
        )
        assert config["s3Config"] == {"bucketName": bucket["id"], "keyPrefix": "bedrock"}


def test_the_log_group_is_encrypted_with_the_region_key_and_retained(prod_plan: Plan) -> None:
    for region in ("us-east-1", "us-west-2"):
        group = prod_plan.props(GROUP, region)
        key = prod_plan.one(KEY, region)

        assert group["kmsKeyId"] == f"arn:aws:kms:{region}:333344445555:key/{key['id']}"
        assert group["retentionInDays"] == 400


def test_the_bucket_uses_sse_kms_blocks_public_access_and_keeps_versions(dev_plan: Plan) -> None:
    bucket = dev_plan.one(BUCKET)
    key = dev_plan.one(KEY)
    (rule,) = dev_plan.props(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    )["rules"]
    block = dev_plan.props("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
    versioning = dev_plan.props("aws:s3/bucketVersioning:BucketVersioning")

    assert rule["applyServerSideEncryptionByDefault"] == {
        "sseAlgorithm": "aws:kms",
        "kmsMasterKeyId": f"arn:aws:kms:us-east-1:111122223333:key/{key['id']}",
    }
    assert block["bucket"] == bucket["id"]
    assert all(
        block[flag] is True
        for flag in (
            "blockPublicAcls",
            "blockPublicPolicy",
            "ignorePublicAcls",
            "restrictPublicBuckets",
        )
    )
    assert versioning["versioningConfiguration"]["status"] == "Enabled"


def test_the_lifecycle_moves_logs_to_glacier_then_expires_them(dev_plan: Plan) -> None:
    (rule,) = dev_plan.props("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")[
        "rules"
    ]

    assert rule["status"] == "Enabled"
    assert rule["filter"] == {"prefix": "bedrock/"}
    assert rule["transitions"] == [{"days": 30, "storageClass": "GLACIER"}]
    assert rule["expiration"] == {"days": 90}
    assert rule["noncurrentVersionExpiration"] == {"noncurrentDays": 90}


def test_prod_locks_log_objects_in_compliance_mode(prod_plan: Plan, dev_plan: Plan) -> None:
    for region in ("us-east-1", "us-west-2"):
        assert prod_plan.props(BUCKET, region)["objectLockEnabled"] is True
        lock = prod_plan.props(
            "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", region
        )
        assert lock["objectLockEnabled"] == "Enabled"
        assert lock["rule"]["defaultRetention"] == {"mode": "COMPLIANCE", "days": 730}

    assert dev_plan.props(BUCKET)["objectLockEnabled"] is False
    assert not dev_plan.of_type(
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"
    )


def test_object_lock_can_be_asked_for_outside_prod() -> None:
    plan = render("dev", aws={"invocationLogs": {"objectLockDays": 30}})

    lock = plan.props("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration")
    assert lock["rule"]["defaultRetention"] == {"mode": "COMPLIANCE", "days": 30}


def test_only_this_account_and_region_bedrock_may_write_to_the_bucket(dev_plan: Plan) -> None:
    bucket = dev_plan.one(BUCKET)["id"]
    put, deny = statements(dev_plan.policy("aws:s3/bucketPolicy:BucketPolicy"))

    assert put["Principal"] == {"Service": "bedrock.amazonaws.com"}
    assert put["Action"] == "s3:PutObject"
    assert put["Resource"].startswith(f"arn:aws:s3:::{bucket}/bedrock/")
    assert put["Condition"] == {
        "StringEquals": {"aws:SourceAccount": "111122223333"},
        "ArnLike": {"aws:SourceArn": "arn:aws:bedrock:us-east-1:111122223333:*"},
    }
    assert deny["Effect"] == "Deny"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_the_delivery_role_is_trusted_by_bedrock_for_this_account_only(dev_plan: Plan) -> None:
    role = dev_plan.one("aws:iam/role:Role", "delivery")["props"]
    (trust,) = statements(json.loads(role["assumeRolePolicy"]))
    (write,) = statements(dev_plan.policy("aws:iam/rolePolicy:RolePolicy", "delivery"))

    assert trust["Principal"] == {"Service": "bedrock.amazonaws.com"}
    assert trust["Condition"]["StringEquals"] == {"aws:SourceAccount": "111122223333"}
    assert trust["Condition"]["ArnLike"] == {
        "aws:SourceArn": "arn:aws:bedrock:us-east-1:111122223333:*"
    }
    assert as_list(write["Action"]) == ["logs:CreateLogStream", "logs:PutLogEvents"]
    assert as_list(write["Resource"]) == [
        "arn:aws:logs:us-east-1:111122223333:log-group:/claude-access/dev/bedrock-invocations"
        ":log-stream:aws/bedrock/modelinvocations"
    ]


def test_the_kit_key_rotates_and_names_each_service_that_uses_it(dev_plan: Plan) -> None:
    key = dev_plan.props(KEY)
    by_sid = {s["Sid"]: s for s in statements(json.loads(key["policy"]))}

    assert key["enableKeyRotation"] is True
    assert by_sid["CloudWatchLogsEncrypts"]["Condition"] == {
        "ArnEquals": {
            "kms:EncryptionContext:aws:logs:arn": (
                "arn:aws:logs:us-east-1:111122223333:log-group:/claude-access/dev/bedrock-invocations"
            )
        }
    }
    assert by_sid["InvokerDecryptsApiKey"]["Principal"] == {
        "AWS": "arn:aws:iam::111122223333:role/claude-access-dev-invoker"
    }
    assert by_sid["InvokerDecryptsApiKey"]["Condition"] == {
        "StringEquals": {"kms:ViaService": "secretsmanager.us-east-1.amazonaws.com"}
    }
    for sid in ("BedrockWritesLogObjects", "AlarmsAndBudgetsPublish"):
        assert by_sid[sid]["Condition"] == {"StringEquals": {"aws:SourceAccount": "111122223333"}}
