"""Facts about Google Cloud that the kit keeps as data, not code.

Adding a location where Vertex AI serves Claude, or an API the kit needs, is an edit
here; the config validation, the manifest and the components follow from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = [
    "AUDITED_SERVICE",
    "AUDIT_LOG_TYPES",
    "BASE_SERVICES",
    "INVOKER_PERMISSIONS",
    "PRIMITIVE_ROLES",
    "PRIVATE_GOOGLE_ACCESS_SERVICES",
    "PRIVATE_SERVICE_CONNECT_SERVICES",
    "VERTEX_AI_BILLING_SERVICE",
    "VERTEX_LOCATIONS",
    "vertex_base_url",
]

VERTEX_LOCATIONS: frozenset[str] = frozenset(
    {
        "global",
        "us-east5",
        "us-central1",
        "europe-west1",
        "europe-west4",
        "asia-east1",
        "asia-southeast1",
    }
)
"""Locations whose Vertex AI endpoint serves Anthropic's Claude models.

``global`` routes each request to any region with capacity; the others keep the request
in that region. Which Claude model is offered where differs by model, so a location here
is a place where Claude is served at all, not a promise for every model. The ``us`` and
``eu`` multi-region endpoints (``aiplatform.<geo>.rep.googleapis.com``) are left out:
they are not reached through the ``all-apis`` Private Service Connect bundle or the
``googleapis.com`` private zone that the kit sets up.
"""

INVOKER_PERMISSIONS: Mapping[str, str] = MappingProxyType(
    {
        "aiplatform.endpoints.predict": (
            "Vertex AI authorises every call the AnthropicVertex client makes on this one "
            "permission: messages through publishers/anthropic/models/<model>:rawPredict, "
            "streamed messages through :streamRawPredict, and token counting through "
            "publishers/anthropic/models/count-tokens:rawPredict"
        ),
    }
)
"""The invoker role's permissions, each with the reason it is there.

Nothing else is needed to call Claude: no ``get`` or ``list`` permission, no access to
endpoints, models or datasets of the project.
"""

AUDITED_SERVICE = "aiplatform.googleapis.com"
"""The service whose Data Access audit logs record each call to Claude on Vertex AI."""

AUDIT_LOG_TYPES: tuple[str, ...] = ("ADMIN_READ", "DATA_READ", "DATA_WRITE")
"""Audit log types turned on for Vertex AI; prediction calls are DATA_READ entries."""

BASE_SERVICES: tuple[str, ...] = (
    "aiplatform.googleapis.com",
    "billingbudgets.googleapis.com",
    "cloudresourcemanager.googleapis.com",
    "iam.googleapis.com",
    "iamcredentials.googleapis.com",
    "logging.googleapis.com",
    "monitoring.googleapis.com",
    "storage.googleapis.com",
)
"""APIs every stack with the vertex path enables.

Vertex AI serves Claude; Cloud Billing Budgets holds the budget; Resource Manager and
IAM manage the custom role, its binding and the audit config; IAM Credentials issues the
invoker's tokens to callers who impersonate it; Logging, Monitoring and Storage carry the
audit sink, the alerts and the locked log bucket.
"""

PRIVATE_GOOGLE_ACCESS_SERVICES: tuple[str, ...] = ("compute.googleapis.com",)
"""APIs needed to switch on Private Google Access on subnetworks."""

PRIVATE_SERVICE_CONNECT_SERVICES: tuple[str, ...] = (
    "compute.googleapis.com",
    "dns.googleapis.com",
    "servicedirectory.googleapis.com",
)
"""APIs a Private Service Connect endpoint for Google APIs needs: Compute Engine for the
address and forwarding rule, Cloud DNS for the private zone, Service Directory, where
Google registers the endpoint."""

VERTEX_AI_BILLING_SERVICE = "services/C7E2-9256-1C43"
"""Vertex AI's id in the Cloud Billing catalog.

Claude on Vertex AI is a partner model sold through Cloud Marketplace, and its usage is
billed under a service of its own per model, not under this id; a budget filtered to this
service alone would miss the spend on Claude.
"""

PRIMITIVE_ROLES: frozenset[str] = frozenset({"roles/owner", "roles/editor", "roles/viewer"})
"""Basic roles that the kit never grants."""


def vertex_base_url(location: str) -> str:
    """The base URL the AnthropicVertex client uses for ``location``.

    The global endpoint has no location in its host name; every regional one does.
    """
    if location == "global":
        return "https://aiplatform.googleapis.com/v1"
    return f"https://{location}-aiplatform.googleapis.com/v1"
