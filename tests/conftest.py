"""Plans of the shipped stacks, rendered once per test session."""

from __future__ import annotations

import pytest

from tests.helpers import Plan, render


@pytest.fixture(scope="session")
def dev_plan() -> Plan:
    return render("dev")


@pytest.fixture(scope="session")
def staging_plan() -> Plan:
    return render("staging")


@pytest.fixture(scope="session")
def prod_plan() -> Plan:
    return render("prod")
