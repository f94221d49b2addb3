"""Reading IAM policy documents and Claude model ids, as the identity and network rules do.

AWS resources carry policy documents as JSON strings (the plan document keeps them so,
and so does the engine). The helpers here parse them once, walk their statements in the
shapes IAM accepts (a statement or a list; an action or a list; a principal as ``"*"`` or
a mapping of lists) and name each statement for messages.

Model ids differ per path (``us.anthropic.claude-sonnet-4-6``,
``anthropic.claude-3-5-sonnet-20240620-v1:0``, ``claude-sonnet-4-6@20250929``, a Foundry
deployment's ``claude-sonnet-4-6``). :func:`model_key` reduces each to the same key so
that one allowed list serves every path.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from .base import as_list, get, is_unknown

__all__ = [
    "INVOKE_ACTIONS",
    "Document",
    "Statement",
    "action_matches",
    "is_wildcard_resource",
    "load_document",
    "model_allowed",
    "model_key",
    "model_of_arn",
    "policy_documents",
]

INVOKE_ACTIONS: Final = (
    "bedrock:InvokeModel",
    "bedrock:InvokeModelWithResponseStream",
    "bedrock:InvokeModelWithBidirectionalStream",
    "bedrock:Converse",
    "bedrock:ConverseStream",
    "bedrock:CountTokens",
    "bedrock-mantle:CreateInference",
)
"""Actions that run a model; a statement allowing any of them is an invoke statement."""

_POLICY_PROPS: Final[Mapping[str, tuple[str, ...]]] = {
    "aws:iam/role:Role": ("assumeRolePolicy",),
    "aws:iam/rolePolicy:RolePolicy": ("policy",),
    "aws:iam/policy:Policy": ("policy",),
    "aws:iam/userPolicy:UserPolicy": ("policy",),
    "aws:iam/groupPolicy:GroupPolicy": ("policy",),
    "aws:ec2/vpcEndpoint:VpcEndpoint": ("policy",),
    "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy": ("policy",),
    "aws:s3/bucketPolicy:BucketPolicy": ("policy",),
    "aws:kms/key:Key": ("policy",),
    "aws:kms/keyPolicy:KeyPolicy": ("policy",),
    "aws:sns/topic:Topic": ("policy",),
    "aws:sns/topicPolicy:TopicPolicy": ("policy",),
    "aws:secretsmanager/secret:Secret": ("policy",),
    "aws:secretsmanager/secretPolicy:SecretPolicy": ("policy",),
}
"""Where each AWS type keeps its policy documents (Role's inline policies come on top)."""

_GEO_PREFIX = re.compile(r"^[a-z]{2,6}(?:-[a-z]+)?\.(?=anthropic\.)")
_VERSION_SUFFIX = re.compile(r"-v\d+(?::\d+)?$")


@dataclass(frozen=True)
class Statement:
    """One statement of a policy document, named for messages (``Sid`` or ``#n``)."""

    label: str
    body: Mapping[str, Any]

    @property
    def allows(self) -> bool:
        return str(self.body.get("Effect", "")).lower() == "allow"

    @property
    def actions(self) -> list[str]:
        return [str(action) for action in as_list(self.body.get("Action"))]

    @property
    def resources(self) -> list[str]:
        return [str(resource) for resource in as_list(self.body.get("Resource"))]

    @property
    def has_condition(self) -> bool:
        return bool(self.body.get("Condition"))

    def uses(self, key: str) -> bool:
        """Whether the statement has ``key`` (``NotAction``, ``NotResource``...)."""
        return key in self.body

    @property
    def principal_is_anyone(self) -> bool:
        """Whether the principal is ``"*"`` or ``{"AWS": "*"}`` (anyone at all)."""
        principal = self.body.get("Principal")
        if principal == "*":
            return True
        if isinstance(principal, Mapping):
            return "*" in [str(value) for value in as_list(principal.get("AWS"))]
        return False


@dataclass(frozen=True)
class Document:
    """A parsed policy document and where it came from."""

    label: str
    statements: tuple[Statement, ...]


def load_document(label: str, raw: Any) -> Document | str | None:
    """Parse the policy document at ``label``.

    Returns ``None`` when the value is unknown or empty (there is nothing to judge),
    a :class:`Document`, or a message when the value is not a policy document.
    """
    if raw is None or is_unknown(raw) or raw == "":
        return None
    data: Any = raw
    if isinstance(raw, str):
        try:
            data = json.loads(raw)
        except ValueError:
            return f"{label} is not valid JSON; give it a JSON IAM policy document"
    if not isinstance(data, Mapping):
        return f"{label} is not a JSON object; give it an IAM policy document"
    statements: list[Statement] = []
    for index, body in enumerate(as_list(data.get("Statement"))):
        if not isinstance(body, Mapping):
            continue
        sid = body.get("Sid")
        name = f"'{sid}'" if isinstance(sid, str) and sid else f"#{index + 1}"
        statements.append(Statement(label=f"{label} statement {name}", body=body))
    return Document(label=label, statements=tuple(statements))


def policy_documents(resource_type: str, props: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """Each policy document a resource carries, as ``(label, raw value)``."""
    for key in _POLICY_PROPS.get(resource_type, ()):
        yield key, props.get(key)
    if resource_type == "aws:iam/role:Role":
        inline = props.get("inlinePolicies")
        for index, entry in enumerate(as_list(inline)):
            name = get(entry, "name")
            label = f"inlinePolicies[{name if isinstance(name, str) else index}]"
            yield label, get(entry, "policy")


def action_matches(pattern: str, action: str) -> bool:
    """Whether an IAM action pattern (``bedrock:Invoke*``) covers ``action``."""
    return fnmatch.fnmatchcase(action.lower(), pattern.lower())


def model_key(model: str) -> str:
    """A model id reduced to the form shared by every path.

    1. lowercase; drop an ARN's prefix up to ``foundation-model/`` or
       ``inference-profile/``;
    2. drop an inference profile's geography (``us.``, ``eu.``, ``global.``...);
    3. drop the ``anthropic.`` vendor prefix;
    4. drop a Vertex version (``@20250929``) and a Bedrock version (``-v1:0``).
    """
    # 1. lowercase, ARN prefix.
    key = model.strip().lower()
    for marker in ("foundation-model/", "inference-profile/"):
        if marker in key:
            key = key.split(marker, 1)[1]

    # 2. geography.
    key = _GEO_PREFIX.sub("", key)

    # 3. vendor.
    key = key.removeprefix("anthropic.")

    # 4. versions.
    key = key.split("@", 1)[0]
    return _VERSION_SUFFIX.sub("", key)


def model_allowed(model: str, allowed: Sequence[str]) -> bool:
    """Whether ``model`` matches one of the ``allowed`` ids or glob patterns.

    A model written with a wildcard (``foundation-model/*``) is allowed only when the
    same pattern is in the list; it is never taken as matching a narrower one.
    """
    key = model_key(model)
    patterns = [model_key(str(pattern)) for pattern in allowed]
    if any(char in key for char in "*?["):
        return key in patterns
    return any(fnmatch.fnmatchcase(key, pattern) for pattern in patterns)


def model_of_arn(arn: str) -> str | None:
    """The model an ARN names, for foundation-model and inference-profile ARNs.

    Returns ``"*"`` for a Bedrock ARN whose resource part is a wildcard (it covers every
    model) and ``None`` for ARNs of other kinds (projects, application profiles...).
    """
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or not parts[2].startswith("bedrock"):
        return None
    resource = parts[5]
    kind, _, rest = resource.partition("/")
    if kind in ("foundation-model", "inference-profile"):
        return rest or "*"
    if any(char in kind for char in "*?"):
        return "*"
    return None


def is_wildcard_resource(resource: str) -> bool:
    """Whether an IAM resource is ``*`` (every resource of every service)."""
    return resource.strip() == "*"
