"""Identity rules: least privilege for every principal that can reach Claude.

- AWS policy documents grant no wildcard actions and no Bedrock action on every resource,
  invoke only allowed models, and trust no anonymous principal; no IAM users or keys;
- Google Cloud grants no primitive roles and creates no service account keys;
- Azure role assignments are scoped to the Foundry account and are never Owner,
  Contributor or User Access Administrator; Foundry accounts have key auth off and a
  managed identity.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from typing import Any, Final

from .base import Context, ResourceRule, as_list, get, is_unknown, module_of
from .clouds import FOUNDRY_ACCOUNT
from .documents import (
    INVOKE_ACTIONS,
    Document,
    action_matches,
    is_wildcard_resource,
    load_document,
    model_allowed,
    model_of_arn,
    policy_documents,
)

__all__ = ["RULES"]

logger = logging.getLogger(__name__)

DEFAULT_ALLOWED_MODELS: Final = ("claude-*",)
"""Any Claude model on any path; narrow it in config to the models your catalog names."""

_ROLE_NAMES: Final = {
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
    "b24988ac-6180-48a9-a8ff-4a93d1e1c0d2": "Contributor",
    "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
}


def _documents(resource_type: str, props: Mapping[str, Any]) -> Iterator[Document | str]:
    for label, raw in policy_documents(resource_type, props):
        document = load_document(label, raw)
        if document is not None:
            yield document


def _is_bedrock_action(action: str) -> bool:
    return action.lower().startswith(("bedrock:", "bedrock-mantle:"))


# --- AWS ---------------------------------------------------------------------------------


def check_iam_no_wildcard_actions(
    resource_type: str, props: Mapping[str, Any], config: Mapping[str, Any], context: Context
) -> Iterator[str]:
    """Allow statements name their actions, and Bedrock actions name their resources.

    A wildcard action (``*``, ``bedrock:*``, ``bedrock-mantle:*`` by default) or
    ``NotAction`` grants actions nobody reviewed; a Bedrock action on ``*`` reaches every
    model in the account. List actions that AWS authorises only on ``*``
    (``bedrock:ListFoundationModels``) are exempt through ``wildcardResourceActions``.
    """
    forbidden = {str(a).lower() for a in as_list(config.get("forbiddenActions"))}
    exempt = {str(a).lower() for a in as_list(config.get("wildcardResourceActions"))}
    for document in _documents(resource_type, props):
        if isinstance(document, str):
            yield document
            continue
        for statement in document.statements:
            if not statement.allows:
                continue
            if statement.uses("NotAction"):
                yield (
                    f"{statement.label} allows NotAction, which grants every action not "
                    "listed; list the actions the workload needs instead"
                )
            wildcards = [a for a in statement.actions if a.lower() in forbidden]
            if wildcards:
                yield (
                    f"{statement.label} allows {', '.join(wildcards)}; name the individual "
                    "actions the workload needs"
                )
            scoped = [
                a
                for a in statement.actions
                if _is_bedrock_action(a) and a.lower() not in exempt and a not in wildcards
            ]
            open_resource = statement.uses("NotResource") or any(
                is_wildcard_resource(r) for r in statement.resources
            )
            if scoped and open_resource:
                yield (
                    f"{statement.label} allows {', '.join(scoped)} on every resource; name "
                    "the foundation-model, inference-profile or project ARNs instead of '*'"
                )


def check_bedrock_invoke_allowed_models(
    resource_type: str, props: Mapping[str, Any], config: Mapping[str, Any], context: Context
) -> Iterator[str]:
    """Statements that invoke models name only models on the allowed list.

    Reads foundation-model and inference-profile ARNs; other resources of invoke actions
    (bedrock-mantle projects, application inference profiles) name no model and are left
    to the wildcard rule.
    """
    allowed = [str(model) for model in as_list(config.get("allowedModels"))]
    for document in _documents(resource_type, props):
        if isinstance(document, str):
            continue
        for statement in document.statements:
            invoking = [
                a for a in statement.actions if any(action_matches(a, i) for i in INVOKE_ACTIONS)
            ]
            if not statement.allows or not invoking:
                continue
            for resource in statement.resources:
                model = "*" if is_wildcard_resource(resource) else model_of_arn(resource)
                if model is None or model_allowed(model, allowed):
                    continue
                what = "every model" if model == "*" else model
                yield (
                    f"{statement.label} lets {', '.join(invoking)} reach {what} "
                    f"({resource}); allowed models are {', '.join(allowed)}; remove the "
                    "resource or add the model to allowedModels"
                )


def check_iam_no_wildcard_trust(
    resource_type: str, props: Mapping[str, Any], config: Mapping[str, Any], context: Context
) -> Iterator[str]:
    """No role trusts ``*``: a condition does not make an anonymous trust policy safe."""
    if resource_type != "aws:iam/role:Role":
        return
    document = load_document("assumeRolePolicy", props.get("assumeRolePolicy"))
    if isinstance(document, str):
        yield document
        return
    if document is None:
        return
    for statement in document.statements:
        if statement.allows and statement.principal_is_anyone:
            yield (
                f"{statement.label} lets any principal ('*') assume the role; name the "
                "roles, services or OIDC providers that may assume it"
            )


def check_iam_no_users_or_access_keys(
    resource_type: str, props: Mapping[str, Any], config: Mapping[str, Any], context: Context
) -> Iterator[str]:
    """Workloads use roles; IAM users and their long-lived keys are not created."""
    if resource_type == "aws:iam/user:User":
        yield (
            "the stack creates an IAM user; give workloads an IAM role (assumed through "
            "OIDC, an instance profile or another role) instead"
        )
    elif resource_type == "aws:iam/accessKey:AccessKey":
        yield (
            "the stack creates a long-lived IAM access key; use temporary credentials from "
            "an assumed role instead"
        )


# --- Google Cloud ------------------------------------------------------------------------


def _gcp_roles(resource_type: str, props: Mapping[str, Any]) -> list[Any]:
    """The roles an IAM member, binding or policy resource grants."""
    _, _, name = module_of(resource_type)
    lowered = name.lower()
    if lowered.endswith(("iammember", "iambinding")):
        return [props.get("role")]
    if lowered.endswith("iampolicy"):
        data = props.get("policyData")
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except ValueError:
                return []
        return [get(binding, "role") for binding in as_list(get(data, "bindings"))]
    return []


def check_gcp_no_primitive_roles(
    resource_type: str, props: Mapping[str, Any], config: Mapping[str, Any], context: Context
) -> Iterator[str]:
    """No IAM member, binding or policy grants Owner, Editor or Viewer."""
    if not resource_type.startswith("gcp:"):
        return
    forbidden = {str(r).lower() for r in as_list(config.get("forbiddenRoles"))}
    for role in _gcp_roles(resource_type, props):
        if isinstance(role, str) and role.lower() in forbidden:
            yield (
                f"grants the primitive role {role}; grant a predefined role such as "
                "roles/aiplatform.user, or a custom role with only the permissions needed"
            )


def check_gcp_no_service_account_keys(
    resource_type: str, props: Mapping[str, Any], config: Mapping[str, Any], context: Context
) -> Iterator[str]:
    """Service accounts are used through attached identity or federation, never keys."""
    if resource_type == "gcp:serviceaccount/key:Key":
        yield (
            "the stack creates a service account key; attach the service account to the "
            "workload or use Workload Identity Federation instead"
        )


# --- Azure -------------------------------------------------------------------------------


def check_azure_role_assignment_scoped(
    resource_type: str, props: Mapping[str, Any], config: Mapping[str, Any], context: Context
) -> Iterator[str]:
    """Role assignments are narrow: a resource scope, never an administrative role."""
    if resource_type != "azure-native:authorization:RoleAssignment":
        return
    forbidden = {str(r).lower() for r in as_list(config.get("forbiddenRoleDefinitionIds"))}
    role = props.get("roleDefinitionId")
    if isinstance(role, str):
        guid = role.rstrip("/").rsplit("/", 1)[-1].lower()
        if guid in forbidden:
            name = _ROLE_NAMES.get(guid, guid)
            yield (
                f"assigns the {name} role; assign 'Cognitive Services User' (or a custom "
                "role with only the data actions needed) instead"
            )
    scope = props.get("scope")
    allowed = [str(s).lower() for s in as_list(config.get("allowedScopes"))]
    if isinstance(scope, str) and not any(marker in scope.lower() for marker in allowed):
        yield (
            f"is scoped to {scope}, which is broader than one resource; scope it to the "
            "Foundry account's id (.../providers/Microsoft.CognitiveServices/accounts/<name>)"
        )


def check_foundry_local_auth_disabled(
    resource_type: str, props: Mapping[str, Any], config: Mapping[str, Any], context: Context
) -> Iterator[str]:
    """Foundry accounts accept Entra ID tokens only; account keys are switched off."""
    if resource_type != FOUNDRY_ACCOUNT:
        return
    disabled = get(props, "properties", "disableLocalAuth")
    if not is_unknown(disabled) and disabled is not True:
        yield (
            f"properties.disableLocalAuth is {disabled!r}; set it to true so that callers "
            "authenticate with Entra ID and account keys cannot be used"
        )


def check_foundry_managed_identity(
    resource_type: str, props: Mapping[str, Any], config: Mapping[str, Any], context: Context
) -> Iterator[str]:
    """Foundry accounts have a managed identity, for keyless access to other resources."""
    if resource_type != FOUNDRY_ACCOUNT:
        return
    kind = get(props, "identity", "type")
    if is_unknown(kind):
        return
    if not isinstance(kind, str) or "assigned" not in kind.lower():
        yield (
            f"identity.type is {kind!r}; give the account a 'SystemAssigned' or "
            "'UserAssigned' managed identity"
        )


# --- the rules ------------------------------------------------------------------------------

_ALLOWED_MODELS_PARAM: Final = {
    "type": "array",
    "items": {"type": "string"},
    "default": list(DEFAULT_ALLOWED_MODELS),
    "description": (
        "Allowed model ids or glob patterns, compared after dropping ARN prefixes, "
        "geography prefixes (us.), 'anthropic.' and version suffixes (-v1:0, @date)."
    ),
}

RULES = (
    ResourceRule(
        name="iam-no-wildcard-actions",
        concern="identity",
        description=(
            "No Allow statement in an AWS policy document grants a wildcard action "
            "(*, bedrock:*, bedrock-mantle:*) or NotAction, or a Bedrock action on "
            "Resource '*'."
        ),
        severity="critical",
        enforcement="mandatory",
        remediation=(
            "List the individual actions (bedrock:InvokeModel, "
            "bedrock:InvokeModelWithResponseStream, bedrock-mantle:CreateInference...) and "
            "the model, inference-profile or project ARNs they apply to."
        ),
        params={
            "forbiddenActions": {
                "type": "array",
                "items": {"type": "string"},
                "default": ["*", "*:*", "bedrock:*", "bedrock-mantle:*"],
                "description": "Actions an Allow statement may not grant.",
            },
            "wildcardResourceActions": {
                "type": "array",
                "items": {"type": "string"},
                "default": ["bedrock:ListFoundationModels", "bedrock:ListInferenceProfiles"],
                "description": "Bedrock actions that AWS authorises only on Resource '*'.",
            },
        },
        check=check_iam_no_wildcard_actions,
    ),
    ResourceRule(
        name="bedrock-invoke-allowed-models",
        concern="identity",
        description=(
            "Statements allowing Bedrock invoke actions name only foundation-model and "
            "inference-profile ARNs of allowed models."
        ),
        severity="high",
        enforcement="mandatory",
        remediation=(
            "Replace wildcard or other models' ARNs with the ARNs of the allowed models, or "
            "add the model to this rule's allowedModels after review."
        ),
        params={"allowedModels": _ALLOWED_MODELS_PARAM},
        check=check_bedrock_invoke_allowed_models,
    ),
    ResourceRule(
        name="iam-no-wildcard-trust",
        concern="identity",
        description="No IAM role's trust policy allows principal '*' or {'AWS': '*'}.",
        severity="critical",
        enforcement="mandatory",
        remediation=(
            "Name the principals that may assume the role: role ARNs, a service principal, "
            "or a federated OIDC provider with aud and sub conditions."
        ),
        check=check_iam_no_wildcard_trust,
    ),
    ResourceRule(
        name="iam-no-users-or-access-keys",
        concern="identity",
        description="The stack creates no IAM users and no IAM access keys.",
        severity="high",
        enforcement="mandatory",
        remediation=(
            "Remove the aws:iam/user and aws:iam/accessKey resources; let workloads assume "
            "the invoker role with temporary credentials."
        ),
        check=check_iam_no_users_or_access_keys,
    ),
    ResourceRule(
        name="gcp-no-primitive-roles",
        concern="identity",
        description=(
            "No Google Cloud IAM member, binding or policy grants roles/owner, roles/editor "
            "or roles/viewer."
        ),
        severity="high",
        enforcement="mandatory",
        remediation=(
            "Grant predefined roles scoped to the need (roles/aiplatform.user for callers of "
            "Vertex AI) or a custom role."
        ),
        params={
            "forbiddenRoles": {
                "type": "array",
                "items": {"type": "string"},
                "default": ["roles/owner", "roles/editor", "roles/viewer"],
                "description": "Roles that may not be granted.",
            }
        },
        check=check_gcp_no_primitive_roles,
    ),
    ResourceRule(
        name="gcp-no-service-account-keys",
        concern="identity",
        description="The stack creates no service account keys.",
        severity="high",
        enforcement="mandatory",
        remediation=(
            "Remove the gcp:serviceaccount/key resource; attach the service account to the "
            "workload or federate external identities."
        ),
        check=check_gcp_no_service_account_keys,
    ),
    ResourceRule(
        name="azure-role-assignment-scoped",
        concern="identity",
        description=(
            "Azure role assignments are scoped to a Foundry account (or Key Vault) and never "
            "assign Owner, Contributor or User Access Administrator."
        ),
        severity="high",
        enforcement="mandatory",
        remediation=(
            "Assign the built-in 'Cognitive Services User' role or a custom data-plane role, "
            "with scope set to the Foundry account's resource id."
        ),
        params={
            "forbiddenRoleDefinitionIds": {
                "type": "array",
                "items": {"type": "string"},
                "default": sorted(_ROLE_NAMES),
                "description": "Role definition GUIDs that may not be assigned.",
            },
            "allowedScopes": {
                "type": "array",
                "items": {"type": "string"},
                "default": [
                    "/providers/Microsoft.CognitiveServices/accounts/",
                    "/providers/Microsoft.KeyVault/vaults/",
                ],
                "description": "Text an assignment's scope must contain (case-insensitive).",
            },
        },
        check=check_azure_role_assignment_scoped,
    ),
    ResourceRule(
        name="foundry-local-auth-disabled",
        concern="identity",
        description="Foundry accounts have local (key) authentication disabled.",
        severity="high",
        enforcement="mandatory",
        remediation="Set properties.disableLocalAuth to true on the account.",
        check=check_foundry_local_auth_disabled,
    ),
    ResourceRule(
        name="foundry-managed-identity",
        concern="identity",
        description="Foundry accounts have a system- or user-assigned managed identity.",
        severity="medium",
        enforcement="mandatory",
        remediation="Set identity.type to 'SystemAssigned' (or 'UserAssigned' with an identity).",
        check=check_foundry_managed_identity,
    ),
)
