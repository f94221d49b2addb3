"""Bedrock model invocation logging in one region, into encrypted and locked storage."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_aws import bedrockmodel, cloudwatch, iam, s3

from components.aws import policies

__all__ = ["LOG_PREFIX", "InvocationLogging", "InvocationLoggingArgs"]

LOG_PREFIX = "bedrock"
"""The key prefix of invocation log objects in the bucket."""


@dataclass(frozen=True)
class InvocationLoggingArgs:
    """Where invocation logs go and how long they stay.

    :param account_id: the account whose Bedrock writes the logs.
    :param region: the region whose invocations are logged.
    :param log_group_name: the CloudWatch log group's name.
    :param bucket_name: the S3 bucket's name (globally unique).
    :param delivery_role_name: the name of the role Bedrock assumes to write logs.
    :param key_arn: the kit key of this region.
    :param retention_days: CloudWatch retention.
    :param bucket_retention_days: days before log objects expire.
    :param glacier_after_days: days before log objects move to Glacier.
    :param object_lock_days: COMPLIANCE-mode retention, or ``None`` for no object lock.
    """

    account_id: str
    region: str
    log_group_name: str
    bucket_name: str
    delivery_role_name: str
    key_arn: pulumi.Input[str]
    retention_days: int
    bucket_retention_days: int
    glacier_after_days: int
    object_lock_days: int | None


class InvocationLogging(pulumi.ComponentResource):
    """Invocation logging for Bedrock, with every store encrypted under the kit key.

    Creates, in order:

    1. a KMS-encrypted log group with the configured retention;
    2. the role Bedrock assumes to write there, trusted only for this account and region;
    3. a bucket with SSE-KMS, public access blocked, versioning, a lifecycle, object
       lock when asked (prod), and a policy that admits only this account's Bedrock;
    4. the region's model invocation logging configuration, pointing at both.
    """

    log_group_arn: pulumi.Output[str]
    bucket_name: pulumi.Output[str]

    def __init__(
        self, name: str, args: InvocationLoggingArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("claude-access:aws:InvocationLogging", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        log_group_arn = (
            f"arn:aws:logs:{args.region}:{args.account_id}:log-group:{args.log_group_name}"
        )
        bucket_arn = f"arn:aws:s3:::{args.bucket_name}"

        # 1. The log group.
        group = cloudwatch.LogGroup(
            f"{name}-group",
            name=args.log_group_name,
            retention_in_days=args.retention_days,
            kms_key_id=args.key_arn,
            opts=child,
        )

        # 2. The delivery role.
        role = iam.Role(
            f"{name}-delivery",
            name=args.delivery_role_name,
            description="claude-access: Bedrock writes model invocation logs",
            assume_role_policy=policies.to_json(
                policies.log_delivery_trust_policy(args.account_id, args.region)
            ),
            opts=child,
        )
        role_policy = iam.RolePolicy(
            f"{name}-delivery-write",
            role=role.id,
            name="write-invocation-logs",
            policy=policies.to_json(policies.log_delivery_policy(log_group_arn)),
            opts=child,
        )

        # 3. The bucket and its guards.
        bucket = s3.Bucket(
            f"{name}-bucket",
            bucket=args.bucket_name,
            object_lock_enabled=args.object_lock_days is not None,
            force_destroy=False,
            opts=child,
        )
        guards: list[pulumi.Resource] = [
            s3.BucketPublicAccessBlock(
                f"{name}-bucket-private",
                bucket=bucket.id,
                block_public_acls=True,
                block_public_policy=True,
                ignore_public_acls=True,
                restrict_public_buckets=True,
                opts=child,
            ),
            s3.BucketServerSideEncryptionConfiguration(
                f"{name}-bucket-encryption",
                bucket=bucket.id,
                rules=[
                    s3.BucketServerSideEncryptionConfigurationRuleArgs(
                        apply_server_side_encryption_by_default=s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                            sse_algorithm="aws:kms", kms_master_key_id=args.key_arn
                        ),
                        bucket_key_enabled=True,
                    )
                ],
                opts=child,
            ),
            s3.BucketVersioning(
                f"{name}-bucket-versioning",
                bucket=bucket.id,
                versioning_configuration=s3.BucketVersioningVersioningConfigurationArgs(
                    status="Enabled"
                ),
                opts=child,
            ),
            s3.BucketLifecycleConfiguration(
                f"{name}-bucket-lifecycle",
                bucket=bucket.id,
                rules=[
                    s3.BucketLifecycleConfigurationRuleArgs(
                        id="invocation-logs",
                        status="Enabled",
                        filter=s3.BucketLifecycleConfigurationRuleFilterArgs(
                            prefix=f"{LOG_PREFIX}/"
                        ),
                        transitions=[
                            s3.BucketLifecycleConfigurationRuleTransitionArgs(
                                days=args.glacier_after_days, storage_class="GLACIER"
                            )
                        ],
                        expiration=s3.BucketLifecycleConfigurationRuleExpirationArgs(
                            days=args.bucket_retention_days
                        ),
                        noncurrent_version_expiration=s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
                            noncurrent_days=args.bucket_retention_days
                        ),
                        abort_incomplete_multipart_upload=s3.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs(
                            days_after_initiation=7
                        ),
                    )
                ],
                opts=child,
            ),
            s3.BucketPolicy(
                f"{name}-bucket-policy",
                bucket=bucket.id,
                policy=policies.to_json(
                    policies.bucket_policy(bucket_arn, args.account_id, args.region, LOG_PREFIX)
                ),
                opts=child,
            ),
        ]
        if args.object_lock_days is not None:
            guards.append(
                s3.BucketObjectLockConfiguration(
                    f"{name}-bucket-lock",
                    bucket=bucket.id,
                    object_lock_enabled="Enabled",
                    rule=s3.BucketObjectLockConfigurationRuleArgs(
                        default_retention=s3.BucketObjectLockConfigurationRuleDefaultRetentionArgs(
                            mode="COMPLIANCE", days=args.object_lock_days
                        )
                    ),
                    opts=child,
                )
            )

        # 4. Turn logging on, once every destination accepts writes.
        bedrockmodel.InvocationLoggingConfiguration(
            f"{name}-config",
            logging_config=bedrockmodel.InvocationLoggingConfigurationLoggingConfigArgs(
                text_data_delivery_enabled=True,
                image_data_delivery_enabled=False,
                embedding_data_delivery_enabled=False,
                video_data_delivery_enabled=False,
                cloudwatch_config=bedrockmodel.InvocationLoggingConfigurationLoggingConfigCloudwatchConfigArgs(
                    log_group_name=group.name, role_arn=role.arn
                ),
                s3_config=bedrockmodel.InvocationLoggingConfigurationLoggingConfigS3ConfigArgs(
                    bucket_name=bucket.id, key_prefix=LOG_PREFIX
                ),
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[role_policy, *guards]),
        )

        self.log_group_arn = group.arn
        self.bucket_name = bucket.id
        self.register_outputs({"logGroupArn": group.arn, "bucketName": bucket.id})
