"""The direct path's API key: a Pulumi secret, stored under the kit key, one reader."""

from __future__ import annotations

import json

from tests.helpers import Plan, render, statements

SECRET = "aws:secretsmanager/secret:Secret"
VERSION = "aws:secretsmanager/secretVersion:SecretVersion"


def test_the_key_is_stored_as_a_secret_and_never_in_clear(dev_plan: Plan) -> None:
    assert dev_plan.props(VERSION)["secretString"] == "[secret]"
    assert "offline-placeholder" not in json.dumps(dev_plan.document)


def test_the_secret_is_encrypted_with_the_kit_key(dev_plan: Plan) -> None:
    key = dev_plan.one("aws:kms/key:Key")

    assert dev_plan.props(SECRET)["kmsKeyId"] == (
        f"arn:aws:kms:us-east-1:111122223333:key/{key['id']}"
    )


def test_everyone_but_the_invoker_is_denied_reading_it(dev_plan: Plan, prod_plan: Plan) -> None:
    (deny,) = statements(dev_plan.policy(SECRET))

    assert deny["Effect"] == "Deny"
    assert deny["Action"] == "secretsmanager:GetSecretValue"
    assert deny["Condition"] == {
        "StringNotEquals": {
            "aws:PrincipalArn": ["arn:aws:iam::111122223333:role/claude-access-dev-invoker"]
        }
    }
    (prod_deny,) = statements(prod_plan.policy(SECRET))
    assert prod_deny["Condition"]["StringNotEquals"]["aws:PrincipalArn"] == [
        "arn:aws:iam::333344445555:role/claude-access-prod-invoker",
        "arn:aws:iam::333344445555:role/platform-deployer",
    ]


def test_without_the_direct_path_there_is_no_secret() -> None:
    plan = render("dev", anthropic={"enabled": False}, anthropicApiKey=None)

    assert not plan.of_type(SECRET)
    assert [p["kind"] for p in plan.manifest["paths"]] == ["bedrock", "bedrock-mantle"]
