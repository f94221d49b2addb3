"""Realistic ids and computed properties for resources created under the mock engine.

The offline plan needs what the cloud would hand back (ids, ARNs, DNS names) so that
the rest of the program sees values of the right shape. Each is derived from the
resource's name with a hash, so a plan never changes between runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from claude_access import fakes_azure, fakes_gcp
from claude_access.fake_ids import hex_of as _hex
from claude_access.fake_ids import uuid_of as _uuid

__all__ = ["fake_resource"]

State = dict[str, Any]


def fake_resource(
    type_: str, name: str, inputs: State, account_id: str, region: str
) -> tuple[str, State]:
    """The id and output state of a resource of ``type_`` named ``name``."""
    maker = _MAKERS.get(type_)
    if maker is not None:
        return maker(name, dict(inputs), account_id, region)
    return _generic(type_, name, dict(inputs), account_id, region)


def _generic(
    type_: str, name: str, state: State, account_id: str, region: str
) -> tuple[str, State]:
    resource_id = f"{name}-{_hex(type_ + name, 8)}"
    if type_.startswith("aws:"):
        service = type_.split(":")[1].split("/")[0]
        state.setdefault("arn", f"arn:aws:{service}:{region}:{account_id}:{resource_id}")
    return resource_id, state


def _kms_key(name: str, state: State, account_id: str, region: str) -> tuple[str, State]:
    key_id = _uuid("kms" + name)
    state.update(
        keyId=key_id,
        arn=f"arn:aws:kms:{region}:{account_id}:key/{key_id}",
        keyUsage="ENCRYPT_DECRYPT",
    )
    return key_id, state


def _kms_alias(name: str, state: State, account_id: str, region: str) -> tuple[str, State]:
    alias = state.get("name", f"alias/{name}")
    state.update(arn=f"arn:aws:kms:{region}:{account_id}:{alias}")
    return alias, state


def _security_group(name: str, state: State, account_id: str, region: str) -> tuple[str, State]:
    group_id = f"sg-{_hex('sg' + name, 17)}"
    state.update(
        arn=f"arn:aws:ec2:{region}:{account_id}:security-group/{group_id}", ownerId=account_id
    )
    state.setdefault("name", f"{name}-{_hex(name, 7)}")
    return group_id, state


def _vpc_endpoint(name: str, state: State, account_id: str, region: str) -> tuple[str, State]:
    endpoint_id = f"vpce-{_hex('vpce' + name, 17)}"
    service = str(state.get("serviceName", "")).rsplit(".", 1)[-1]
    suffix = _hex("dns" + name, 8)
    state.update(
        arn=f"arn:aws:ec2:{region}:{account_id}:vpc-endpoint/{endpoint_id}",
        state="available",
        ownerId=account_id,
        dnsEntries=[
            {
                "dnsName": f"{endpoint_id}-{suffix}.{service}.{region}.vpce.amazonaws.com",
                "hostedZoneId": f"Z{_hex('zone' + region, 12).upper()}",
            }
        ],
        networkInterfaceIds=[
            f"eni-{_hex(name + subnet, 17)}" for subnet in state.get("subnetIds", [])
        ],
    )
    return endpoint_id, state


def _iam_role(name: str, state: State, account_id: str, region: str) -> tuple[str, State]:
    role_name = state.get("name") or f"{name}-{_hex(name, 7)}"
    state.update(
        name=role_name,
        arn=f"arn:aws:iam::{account_id}:role/{role_name}",
        uniqueId=f"AROA{_hex('role' + name, 17).upper()}",
    )
    return role_name, state


def _iam_role_policy(name: str, state: State, account_id: str, region: str) -> tuple[str, State]:
    return f"{state.get('role')}:{state.get('name', name)}", state


def _log_group(name: str, state: State, account_id: str, region: str) -> tuple[str, State]:
    group = state.get("name") or f"{name}-{_hex(name, 7)}"
    state.update(name=group, arn=f"arn:aws:logs:{region}:{account_id}:log-group:{group}")
    return group, state


def _bucket(name: str, state: State, account_id: str, region: str) -> tuple[str, State]:
    bucket = state.get("bucket") or f"{name}-{_hex(name, 12)}"
    state.update(
        bucket=bucket,
        arn=f"arn:aws:s3:::{bucket}",
        bucketDomainName=f"{bucket}.s3.amazonaws.com",
        bucketRegionalDomainName=f"{bucket}.s3.{region}.amazonaws.com",
        region=region,
    )
    return bucket, state


def _sns_topic(name: str, state: State, account_id: str, region: str) -> tuple[str, State]:
    topic = state.get("name") or f"{name}-{_hex(name, 7)}"
    arn = f"arn:aws:sns:{region}:{account_id}:{topic}"
    state.update(name=topic, arn=arn)
    return arn, state


def _secret(name: str, state: State, account_id: str, region: str) -> tuple[str, State]:
    secret = state.get("name") or f"{name}-{_hex(name, 7)}"
    arn = f"arn:aws:secretsmanager:{region}:{account_id}:secret:{secret}-{_hex(secret, 6)}"
    state.update(name=secret, arn=arn)
    return arn, state


def _secret_version(name: str, state: State, account_id: str, region: str) -> tuple[str, State]:
    version = _uuid("version" + name)
    state.update(versionId=version, arn=state.get("secretId"))
    return f"{state.get('secretId')}|{version}", state


def _metric_alarm(name: str, state: State, account_id: str, region: str) -> tuple[str, State]:
    alarm = state.get("name") or f"{name}-{_hex(name, 7)}"
    state.update(name=alarm, arn=f"arn:aws:cloudwatch:{region}:{account_id}:alarm:{alarm}")
    return alarm, state


def _budget(name: str, state: State, account_id: str, region: str) -> tuple[str, State]:
    budget = state.get("name") or f"{name}-{_hex(name, 7)}"
    state.update(name=budget, arn=f"arn:aws:budgets::{account_id}:budget/{budget}")
    return f"{account_id}:{budget}", state


def _subscription(name: str, state: State, account_id: str, region: str) -> tuple[str, State]:
    arn = f"{state.get('topic')}:{_uuid('sub' + name)}"
    state.update(arn=arn)
    return arn, state


Maker = Callable[[str, State, str, str], tuple[str, State]]

_MAKERS: dict[str, Maker] = {
    "aws:kms/key:Key": _kms_key,
    "aws:kms/alias:Alias": _kms_alias,
    "aws:ec2/securityGroup:SecurityGroup": _security_group,
    "aws:ec2/vpcEndpoint:VpcEndpoint": _vpc_endpoint,
    "aws:iam/role:Role": _iam_role,
    "aws:iam/rolePolicy:RolePolicy": _iam_role_policy,
    "aws:cloudwatch/logGroup:LogGroup": _log_group,
    "aws:s3/bucket:Bucket": _bucket,
    "aws:sns/topic:Topic": _sns_topic,
    "aws:sns/topicSubscription:TopicSubscription": _subscription,
    "aws:secretsmanager/secret:Secret": _secret,
    "aws:secretsmanager/secretVersion:SecretVersion": _secret_version,
    "aws:cloudwatch/metricAlarm:MetricAlarm": _metric_alarm,
    "aws:budgets/budget:Budget": _budget,
}

_MAKERS.update(fakes_gcp.MAKERS)
_MAKERS.update(fakes_azure.MAKERS)
