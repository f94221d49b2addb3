"""Building each path's SDK client from a manifest entry, as production and offline."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import anthropic
import boto3
import pytest
from moto import mock_aws

from routing import clients
from routing.clients import ClientFactory, CredentialError, build_client, is_loopback
from routing.manifest import PathEntry, load_manifest
from smoke_tests.emulator import Emulator

TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator(seed=7) as emu:
        yield emu


def entry(**fields: Any) -> PathEntry:
    base: dict[str, Any] = {
        "name": "p",
        "kind": "bedrock",
        "priority": 1,
        "region": "us-east-1",
        "baseUrl": "https://bedrock-runtime.us-east-1.amazonaws.com",
        "models": {"haiku": "us.anthropic.claude-haiku-4-5-20251001-v1:0"},
    }
    return PathEntry.model_validate({**base, **fields})


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        yield


def make_role(name: str) -> str:
    iam = boto3.client("iam", region_name="us-east-1")
    return str(iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST)["Role"]["Arn"])


def test_every_emulated_path_answers_through_its_client(emulator: Emulator) -> None:
    manifest = load_manifest(emulator.manifest())
    factory = ClientFactory(timeout=5.0, allow_emulator=True)
    try:
        for path in manifest.ordered():
            client = factory.client(path)
            message = client.messages.create(
                model=path.models["haiku"],
                max_tokens=16,
                messages=[{"role": "user", "content": "ping"}],
            )
            assert message.content[0].text, path.name
    finally:
        factory.close()


def test_emulator_credentials_need_the_explicit_offline_option(emulator: Emulator) -> None:
    path = load_manifest(emulator.manifest()).ordered()[0]
    with pytest.raises(CredentialError, match="offline option"):
        build_client(path, timeout=1.0)


def test_emulator_credentials_are_refused_off_loopback() -> None:
    path = entry(auth={"type": "emulator", "accessKeyId": "x", "secretAccessKey": "y"})
    with pytest.raises(CredentialError, match="not on loopback"):
        build_client(path, timeout=1.0, allow_emulator=True)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:8080/v1", True),
        ("http://localhost:1", True),
        ("http://[::1]:9/", True),
        ("https://bedrock-runtime.us-east-1.amazonaws.com", False),
        ("http://10.0.0.1:80", False),
    ],
)
def test_loopback_detection(url: str, expected: bool) -> None:
    assert is_loopback(url) is expected


def test_bedrock_client_uses_the_assumed_role_session(aws: None) -> None:
    role = make_role("claude-access-dev-invoker")
    client, expires_at = build_client(
        entry(auth={"type": "aws-iam-role", "roleArn": role}), timeout=1.0
    )
    assert isinstance(client, anthropic.AnthropicBedrock)
    assert client.aws_session_token, "the client must sign with the role's session"
    assert client.aws_access_key != "testing", "the caller's own keys must not be used"
    assert client.aws_region == "us-east-1"
    assert expires_at is not None


def test_mantle_entries_get_the_mantle_client(aws: None) -> None:
    role = make_role("claude-access-dev-invoker")
    client, _ = build_client(
        entry(
            kind="bedrock-mantle",
            baseUrl="https://bedrock-mantle.us-east-1.api.aws/anthropic",
            auth={"type": "aws-iam-role", "roleArn": role},
        ),
        timeout=1.0,
        asynchronous=True,
    )
    assert isinstance(client, anthropic.AsyncAnthropicBedrockMantle)


def test_a_refused_role_names_the_path_and_the_role(aws: None) -> None:
    missing = "arn:aws:iam::123456789012:role/not-there"
    path = entry(name="bedrock-us-east-1", auth={"type": "aws-iam-role", "roleArn": missing})
    # moto lets anyone assume any role; a caller with no credentials at all is refused.
    with pytest.MonkeyPatch.context() as patch, pytest.raises(CredentialError) as raised:
        patch.delenv("AWS_ACCESS_KEY_ID")
        patch.delenv("AWS_SECRET_ACCESS_KEY")
        patch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
        patch.setenv("AWS_CONFIG_FILE", "/nonexistent")
        patch.setenv("AWS_EC2_METADATA_DISABLED", "true")
        build_client(path, timeout=1.0)
    assert "bedrock-us-east-1" in str(raised.value)
    assert missing in str(raised.value)


def test_the_api_key_is_read_from_the_secret_as_the_reader_role(aws: None) -> None:
    reader = make_role("claude-access-dev-invoker")
    secrets = boto3.client("secretsmanager", region_name="us-east-1")
    arn = secrets.create_secret(Name="claude-access/dev/anthropic", SecretString="k-123\n")["ARN"]
    path = entry(
        kind="anthropic",
        region=None,
        baseUrl="https://api.anthropic.com",
        auth={"type": "secret", "secretArn": arn, "region": "us-east-1", "readerRoleArn": reader},
    )
    client, expires_at = build_client(path, timeout=1.0)
    assert isinstance(client, anthropic.Anthropic)
    assert client.api_key == "k-123"
    assert expires_at is not None


def test_a_missing_secret_is_a_credential_error(aws: None) -> None:
    reader = make_role("claude-access-dev-invoker")
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:claude-access/dev/anthropic-abc"
    path = entry(
        kind="anthropic",
        region=None,
        baseUrl="https://api.anthropic.com",
        auth={"type": "secret", "secretArn": arn, "region": "us-east-1", "readerRoleArn": reader},
    )
    with pytest.raises(CredentialError, match="ResourceNotFoundException"):
        build_client(path, timeout=1.0)


def test_vertex_client_impersonates_the_invoker(monkeypatch: pytest.MonkeyPatch) -> None:
    from google.auth import credentials as google_credentials
    from google.auth import impersonated_credentials

    monkeypatch.setattr(
        "google.auth.default",
        lambda scopes=None: (google_credentials.AnonymousCredentials(), None),
    )
    email = "claude-invoker@acme-ai-prod.iam.gserviceaccount.com"
    client, _ = build_client(
        entry(
            kind="vertex",
            region="us-east5",
            project="acme-ai-prod",
            baseUrl="https://us-east5-aiplatform.googleapis.com/v1",
            auth={"type": "gcp-service-account", "serviceAccountEmail": email},
        ),
        timeout=1.0,
    )
    assert isinstance(client, anthropic.AnthropicVertex)
    assert isinstance(client.credentials, impersonated_credentials.Credentials)
    assert client.credentials.service_account_email == email
    assert client.project_id == "acme-ai-prod"
    assert client.region == "us-east5"


def test_foundry_client_takes_entra_tokens_for_the_managed_identity() -> None:
    client, _ = build_client(
        entry(
            kind="foundry",
            region="eastus2",
            resource="acme-claude",
            baseUrl="https://acme-claude.services.ai.azure.com/anthropic/",
            auth={
                "type": "azure-managed-identity",
                "clientId": "0b6a8f1e-7c2d-4e5f-9a1b-2c3d4e5f6a7b",
            },
        ),
        timeout=1.0,
    )
    assert isinstance(client, anthropic.AnthropicFoundry)
    assert client.api_key is None or client.api_key == ""
    assert client._azure_ad_token_provider is not None


def test_the_factory_rebuilds_clients_whose_credentials_are_expiring(aws: None) -> None:
    role = make_role("claude-access-dev-invoker")
    path = entry(auth={"type": "aws-iam-role", "roleArn": role})
    _, expires_at = build_client(path, timeout=1.0)
    assert expires_at is not None
    now = [expires_at - clients.REFRESH_MARGIN - 60]
    factory = ClientFactory(timeout=1.0, clock=lambda: now[0])
    first = factory.client(path)
    assert factory.client(path) is first, "fresh credentials are reused"
    now[0] = expires_at - clients.REFRESH_MARGIN + 1
    second = factory.client(path)
    assert second is not first, "credentials about to expire are renewed"
