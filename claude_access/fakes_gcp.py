"""Ids and computed properties of gcp resources under the mock engine.

Each maker takes (name, inputs, account id, region) and returns (id, state), derived
deterministically from the name as in :mod:`claude_access.fakes`. The project is the
resource's own ``project`` input; the kit sets it on every resource, so the provider's
default project is never needed here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from claude_access.fake_ids import hex_of, uuid_of

__all__ = ["MAKERS"]

State = dict[str, Any]

_NO_PROJECT = "unknown-project"
"""Stands in for a project a resource did not name, so that a mistake shows in the plan."""


def _project(state: State) -> str:
    project = state.get("project")
    return project if isinstance(project, str) and project else _NO_PROJECT


def _digits(seed: str, length: int) -> str:
    """``length`` decimal digits derived from ``seed``, never starting with 0."""
    number = int(hex_of(seed, 32), 16)
    return str(10 ** (length - 1) + number % (9 * 10 ** (length - 1)))


def _service(name: str, state: State, account_id: str, region: str) -> tuple[str, State]:
    return f"{_project(state)}/{state.get('service')}", state


def _service_account(name: str, state: State, account_id: str, region: str) -> tuple[str, State]:
    project = _project(state)
    account = state.get("accountId") or f"sa-{hex_of(name, 8)}"
    email = f"{account}@{project}.iam.gserviceaccount.com"
    resource_name = f"projects/{project}/serviceAccounts/{email}"
    state.update(
        email=email,
        name=resource_name,
        member=f"serviceAccount:{email}",
        uniqueId=_digits("sa" + name, 21),
    )
    return resource_name, state


def _custom_role(name: str, state: State, account_id: str, region: str) -> tuple[str, State]:
    role = f"projects/{_project(state)}/roles/{state.get('roleId')}"
    state.update(name=role, deleted=False)
    return role, state


def _bucket(name: str, state: State, account_id: str, region: str) -> tuple[str, State]:
    bucket = state.get("name") or f"{name}-{hex_of(name, 12)}"
    state.update(
        name=bucket,
        url=f"gs://{bucket}",
        selfLink=f"https://www.googleapis.com/storage/v1/b/{bucket}",
        projectNumber=_digits("project" + _project(state), 12),
    )
    return bucket, state


def _project_sink(name: str, state: State, account_id: str, region: str) -> tuple[str, State]:
    project = _project(state)
    sink = state.get("name") or f"{name}-{hex_of(name, 7)}"
    number = _digits("project" + project, 12)
    state.update(
        name=sink,
        writerIdentity=f"serviceAccount:service-{number}@gcp-sa-logging.iam.gserviceaccount.com",
    )
    return f"projects/{project}/sinks/{sink}", state


def _notification_channel(
    name: str, state: State, account_id: str, region: str
) -> tuple[str, State]:
    channel = f"projects/{_project(state)}/notificationChannels/{_digits('nc' + name, 19)}"
    state.update(name=channel, verificationStatus="VERIFIED")
    return channel, state


def _alert_policy(name: str, state: State, account_id: str, region: str) -> tuple[str, State]:
    policy = f"projects/{_project(state)}/alertPolicies/{_digits('ap' + name, 19)}"
    state.update(name=policy)
    return policy, state


def _budget(name: str, state: State, account_id: str, region: str) -> tuple[str, State]:
    budget = f"billingAccounts/{state.get('billingAccount')}/budgets/{uuid_of('budget' + name)}"
    state.update(name=budget)
    return budget, state


def _global_address(name: str, state: State, account_id: str, region: str) -> tuple[str, State]:
    resource_id = f"projects/{_project(state)}/global/addresses/{state.get('name') or name}"
    state.update(selfLink=f"https://www.googleapis.com/compute/v1/{resource_id}")
    return resource_id, state


def _global_forwarding_rule(
    name: str, state: State, account_id: str, region: str
) -> tuple[str, State]:
    resource_id = f"projects/{_project(state)}/global/forwardingRules/{state.get('name') or name}"
    state.update(
        selfLink=f"https://www.googleapis.com/compute/v1/{resource_id}",
        pscConnectionId=_digits("psc" + name, 18),
        pscConnectionStatus="ACCEPTED",
    )
    return resource_id, state


def _subnetwork(name: str, state: State, account_id: str, region: str) -> tuple[str, State]:
    subnet_region = state.get("region") or region
    resource_id = (
        f"projects/{_project(state)}/regions/{subnet_region}/subnetworks/"
        f"{state.get('name') or name}"
    )
    state.update(
        selfLink=f"https://www.googleapis.com/compute/v1/{resource_id}",
        gatewayAddress="10.0.0.1",
    )
    return resource_id, state


def _managed_zone(name: str, state: State, account_id: str, region: str) -> tuple[str, State]:
    zone = state.get("name") or f"{name}-{hex_of(name, 7)}"
    state.update(name=zone, managedZoneId=int(_digits("zone" + name, 15)), nameServers=[])
    return f"projects/{_project(state)}/managedZones/{zone}", state


def _record_set(name: str, state: State, account_id: str, region: str) -> tuple[str, State]:
    resource_id = (
        f"projects/{_project(state)}/managedZones/{state.get('managedZone')}/rrsets/"
        f"{state.get('name')}/{state.get('type')}"
    )
    return resource_id, state


MAKERS: dict[str, Callable[[str, State, str, str], tuple[str, State]]] = {
    "gcp:projects/service:Service": _service,
    "gcp:serviceaccount/account:Account": _service_account,
    "gcp:projects/iAMCustomRole:IAMCustomRole": _custom_role,
    "gcp:storage/bucket:Bucket": _bucket,
    "gcp:logging/projectSink:ProjectSink": _project_sink,
    "gcp:monitoring/notificationChannel:NotificationChannel": _notification_channel,
    "gcp:monitoring/alertPolicy:AlertPolicy": _alert_policy,
    "gcp:billing/budget:Budget": _budget,
    "gcp:compute/globalAddress:GlobalAddress": _global_address,
    "gcp:compute/globalForwardingRule:GlobalForwardingRule": _global_forwarding_rule,
    "gcp:compute/subnetwork:Subnetwork": _subnetwork,
    "gcp:dns/managedZone:ManagedZone": _managed_zone,
    "gcp:dns/recordSet:RecordSet": _record_set,
}
