"""Azure resource ids and names that the kit can know before anything exists.

Role assignment names must be GUIDs, and a new GUID on every run would make Azure add a
second assignment for the same principal and role rather than keep the first. The names
here are therefore derived from what the assignment grants, so a redeploy finds its own.
"""

from __future__ import annotations

import uuid

__all__ = ["account_id", "assignment_name", "role_definition_id"]

_ASSIGNMENTS = uuid.UUID("0c2f8a61-5d4e-4b7a-9e3c-7a1f2b3c4d5e")
"""The namespace of the kit's role assignment names; fixed so that names never change."""


def role_definition_id(subscription_id: str, role_guid: str) -> str:
    """The full id of a built-in role definition as seen from a subscription."""
    return (
        f"/subscriptions/{subscription_id}/providers/Microsoft.Authorization/"
        f"roleDefinitions/{role_guid}"
    )


def account_id(subscription_id: str, resource_group: str, account_name: str) -> str:
    """The ARM id a Cognitive Services account will have."""
    return (
        f"/subscriptions/{subscription_id}/resourceGroups/{resource_group}/providers/"
        f"Microsoft.CognitiveServices/accounts/{account_name}"
    )


def assignment_name(scope: str, principal: str, role_guid: str) -> str:
    """A stable GUID for the assignment of ``role_guid`` to ``principal`` at ``scope``.

    ``principal`` is whatever identifies the principal before it exists: an object id
    from config, or the name of an identity the kit creates.
    """
    seed = f"{scope.lower()}|{principal.lower()}|{role_guid.lower()}"
    return str(uuid.uuid5(_ASSIGNMENTS, seed))
