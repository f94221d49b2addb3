"""Fixed, well-known credentials that the emulator accepts.

They are deliberately not shaped like real keys (no ``AKIA``, ``sk-ant-`` or ``ya29.``
prefixes), so that secret scanners do not flag them and nobody mistakes one for a real
credential. They protect nothing, yet the emulator still keeps them out of its logs, so
that the habit holds for the real credentials that travel the same code paths.
"""

from __future__ import annotations

__all__ = [
    "TEST_ANTHROPIC_API_KEY",
    "TEST_AWS_ACCESS_KEY_ID",
    "TEST_AWS_BEARER_TOKEN",
    "TEST_AWS_SECRET_ACCESS_KEY",
    "TEST_AZURE_TOKEN",
    "TEST_FOUNDRY_API_KEY",
    "TEST_FOUNDRY_RESOURCE",
    "TEST_GCP_ACCESS_TOKEN",
    "TEST_GCP_PROJECT",
    "all_test_credentials",
]

TEST_AWS_ACCESS_KEY_ID = "EMULATORTESTKEYID000"
"""The only access key id that the SigV4 paths (``bedrock``, ``bedrock-mantle``) recognise."""

TEST_AWS_SECRET_ACCESS_KEY = "emulator/test/secret/access/key/loopback0"
"""The secret that pairs with :data:`TEST_AWS_ACCESS_KEY_ID`; signatures are checked with it."""

TEST_AWS_BEARER_TOKEN = "emulator-test-bedrock-api-key"
"""A Bedrock API key, sent as ``Authorization: Bearer``, accepted on both AWS paths."""

TEST_ANTHROPIC_API_KEY = "emulator-test-anthropic-api-key"
"""The ``x-api-key`` accepted on the ``anthropic`` path."""

TEST_GCP_ACCESS_TOKEN = "emulator-test-gcp-access-token"
"""The OAuth access token accepted on ``vertex`` paths."""

TEST_GCP_PROJECT = "emulator-project"
"""The Google Cloud project that ``vertex`` paths serve; other projects are denied."""

TEST_FOUNDRY_API_KEY = "emulator-test-foundry-api-key"
"""The key accepted in the ``api-key`` / ``x-api-key`` headers on the ``foundry`` path."""

TEST_AZURE_TOKEN = "emulator-test-azure-entra-token"
"""The Microsoft Entra ID token accepted as ``Authorization: Bearer`` on the ``foundry`` path."""

TEST_FOUNDRY_RESOURCE = "emulator-foundry"
"""The Foundry resource name written into emulator manifests."""


def all_test_credentials() -> tuple[str, ...]:
    """Every credential value above, for tests that check nothing secret reaches a log."""
    return (
        TEST_AWS_ACCESS_KEY_ID,
        TEST_AWS_SECRET_ACCESS_KEY,
        TEST_AWS_BEARER_TOKEN,
        TEST_ANTHROPIC_API_KEY,
        TEST_GCP_ACCESS_TOKEN,
        TEST_FOUNDRY_API_KEY,
        TEST_AZURE_TOKEN,
    )
