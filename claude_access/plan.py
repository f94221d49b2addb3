"""The offline plan: the real program under Pulumi's mock engine.

``render`` reads a stack's config file as the Pulumi CLI would, runs
:func:`stacks.program.run` against a recording mock monitor, and returns the plan
document: every resource the program registers, as the engine would see it (URN,
type, name, parent, provider, camelCase input properties), plus the stack outputs.
Secret values are replaced by :data:`SECRET_MARKER`; the same input always gives the
same document.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
import yaml
from google.protobuf import json_format
from pulumi.runtime import config as runtime_config
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import rpc, settings
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _sync_await

from components.config import NAMESPACE, ConfigError

__all__ = [
    "PLAN_SCHEMA_VERSION",
    "SECRET_MARKER",
    "ConfigError",
    "Plan",
    "PlanError",
    "load_stack_file",
    "render",
    "render_stack",
]

log = logging.getLogger(__name__)

PLAN_SCHEMA_VERSION = 1
SECRET_MARKER = "[secret]"
"""What a secret value becomes in a plan document."""

UNKNOWN_MARKER = "[unknown]"
PROJECT = "claude-access"
STACKS_DIR = Path(__file__).resolve().parent.parent / "stacks"


class PlanError(Exception):
    """The plan cannot be made: the stack file is missing or unreadable."""


@dataclass
class Plan:
    """A rendered plan: the document and the order of registration for the tree."""

    document: dict[str, Any]
    registration_order: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        """The plan document as stable JSON (sorted keys, two-space indent, final newline)."""
        return json.dumps(self.document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# --- reading a stack file as the Pulumi CLI would ---------------------------------------


def stack_file(stack: str, stacks_dir: Path = STACKS_DIR) -> Path:
    return stacks_dir / f"Pulumi.{stack}.yaml"


def load_stack_file(path: Path) -> tuple[dict[str, str], list[str]]:
    """Config values as the engine hands them to a program, and which keys are secret.

    Structured values become JSON text and scalars strings, as ``pulumi up`` passes
    them. A ``secure:`` value cannot be decrypted offline, so it becomes a secret
    placeholder; its key is listed as secret.
    """
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PlanError(f"{path} does not exist; create it or pick another --stack.") from None
    except OSError as error:
        raise PlanError(f"{path} cannot be read: {error.strerror}.") from None
    except yaml.YAMLError as error:
        raise PlanError(f"{path} is not valid YAML: {error}.") from None
    if not isinstance(document, dict) or not isinstance(document.get("config", {}), dict):
        raise PlanError(f"{path} must be a mapping with a 'config' mapping.")

    values: dict[str, str] = {}
    secret_keys: list[str] = []
    for key, value in (document.get("config") or {}).items():
        key = str(key)
        if ":" not in key:
            key = f"{NAMESPACE}:{key}"
        if isinstance(value, dict) and set(value) == {"secure"}:
            values[key] = f"offline-placeholder-for-{key}"
            secret_keys.append(key)
        elif isinstance(value, dict | list):
            # YAML reads an unquoted 2026-12-01 as a date; the CLI hands it over as text.
            values[key] = json.dumps(value, default=str)
        elif isinstance(value, bool):
            values[key] = "true" if value else "false"
        else:
            values[key] = str(value)
    return values, secret_keys


# --- the recording mock engine ---------------------------------------------------------


class _Mocks(pulumi_mocks.Mocks):
    """Hands back realistic ids and ARNs, derived from names so they never change."""

    def __init__(self, account_id: str) -> None:
        self.account_id = account_id
        self.provider_regions: dict[str, str] = {}
        self.provider_accounts: dict[str, str] = {}

    def call(self, args: pulumi_mocks.MockCallArgs) -> tuple[dict[str, Any], list[Any] | None]:
        # The program invokes no data sources; an empty answer keeps that visible.
        return {}, None

    def new_resource(
        self, args: pulumi_mocks.MockResourceArgs
    ) -> tuple[str | None, dict[str, Any]]:
        from claude_access import fakes

        inputs = dict(args.inputs)
        if args.typ.startswith("pulumi:providers:"):
            # Azure providers name their region "location" and their account
            # "subscriptionId"; the fakes build Azure ids from both.
            region = inputs.get("region") or inputs.get("location")
            if isinstance(region, str):
                self.provider_regions[args.name] = region
            account = inputs.get("subscriptionId")
            if isinstance(account, str):
                self.provider_accounts[args.name] = account
            return f"{args.name}-provider", inputs
        region = self._region_of(args.provider)
        account = self.provider_accounts.get(_provider_name(args.provider), self.account_id)
        return fakes.fake_resource(args.typ, args.name, inputs, account, region)

    def _region_of(self, provider_ref: str | None) -> str:
        return self.provider_regions.get(_provider_name(provider_ref), "us-east-1")


def _provider_name(provider_ref: str | None) -> str:
    """The logical name of the provider in a reference ``<urn>::<id>``."""
    if not provider_ref:
        return ""
    urn = provider_ref.split("::")[:-1]
    return urn[-1] if urn else ""


class _RecordingMonitor(pulumi_mocks.MockMonitor):
    """A mock monitor that also keeps what each registration looked like."""

    def __init__(self, mocks: _Mocks) -> None:
        super().__init__(mocks)
        self.records: list[dict[str, Any]] = []

    def RegisterResource(self, request: Any) -> Any:
        response = super().RegisterResource(request)
        if request.type == "pulumi:pulumi:Stack":
            return response
        props = _plain(json_format.MessageToDict(request.object))
        record: dict[str, Any] = {
            "urn": response.urn,
            "type": request.type,
            "name": request.name,
            "parent": request.parent or None,
            "custom": bool(request.custom),
            "provider": request.provider.rsplit("::", 1)[0] if request.provider else None,
            "props": props,
        }
        if request.custom:
            record["id"] = response.id
        self.records.append(record)
        return response


_SECRET_SIG = rpc._special_sig_key
_SECRET_VALUE = rpc._special_secret_sig
_UNKNOWN = rpc.UNKNOWN


def _plain(value: Any) -> Any:
    """Replace the engine's secret and unknown sentinels by readable markers."""
    if isinstance(value, dict):
        if value.get(_SECRET_SIG) == _SECRET_VALUE:
            return SECRET_MARKER
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if value == _UNKNOWN:
        return UNKNOWN_MARKER
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# --- running the program -----------------------------------------------------------------


def render_stack(stack: str, stacks_dir: Path = STACKS_DIR) -> Plan:
    """Render the plan of ``stacks_dir/Pulumi.<stack>.yaml``."""
    values, secret_keys = load_stack_file(stack_file(stack, stacks_dir))
    return render(values, secret_keys, stack=stack)


def render(config: Mapping[str, str], secret_keys: list[str], *, stack: str) -> Plan:
    """Run the program under mocks with these config values and return the plan.

    The process's Pulumi config is restored afterwards, so a render leaves no trace.

    :raises ConfigError: when the config is invalid; nothing is registered then.
    """
    saved_config = dict(runtime_config.CONFIG.get())
    saved_secret_keys = list(runtime_config._SECRET_KEYS.get())
    with _collector_paused():
        try:
            return _render(config, secret_keys, stack=stack)
        finally:
            runtime_config.set_all_config(saved_config, saved_secret_keys)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector for a render.

    The first render loads the provider SDKs' modules, tens of thousands of classes, and
    each collection of the growing heap walks them all again: about a second of a
    cold prod plan, against no memory saved (reference counting frees nearly everything
    a render drops). Collection resumes afterwards as it was.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _render(config: Mapping[str, str], secret_keys: list[str], *, stack: str) -> Plan:
    from stacks import program

    # 1. Validate before anything touches the engine.
    runtime_config.set_all_config(dict(config), secret_keys)
    stack_config, api_key = program.load_config()

    # 2. A fresh engine for this run.
    account_id = stack_config.aws.account_id or "000000000000"
    mocks = _Mocks(account_id)
    monitor = _RecordingMonitor(mocks)
    settings.reset_options()
    settings.set_root_resource(None)  # type: ignore[arg-type]
    pulumi_mocks.set_mocks(mocks, project=PROJECT, stack=stack, preview=False, monitor=monitor)
    runtime_config.set_all_config(dict(config), secret_keys)
    if api_key is not None:
        api_key = pulumi.Output.secret(str(config[f"{NAMESPACE}:anthropicApiKey"]))

    # 3. Run the program and resolve its outputs.
    resolved: dict[str, Any] = {}

    async def run() -> None:
        outputs = program.run(stack_config, api_key)
        for name, value in outputs.items():
            output = pulumi.Output.from_input(value)
            is_secret = await output.is_secret()
            plain = await output.future(with_unknowns=True)
            resolved[name] = SECRET_MARKER if is_secret else _plain(_jsonable(plain))

    _ensure_event_loop()
    _sync_await(run_pulumi_func(run))

    records = sorted(monitor.records, key=lambda record: record["urn"])
    document = {
        "schemaVersion": PLAN_SCHEMA_VERSION,
        "project": PROJECT,
        "stack": stack,
        "environment": stack_config.environment,
        "resources": records,
        "outputs": resolved,
    }
    return Plan(document=document, registration_order=[r["urn"] for r in monitor.records])


def _ensure_event_loop() -> None:
    """Give this thread an event loop if it has none; the SDK's sync bridge needs one."""
    try:
        asyncio.get_event_loop()
    except RuntimeError:
        asyncio.set_event_loop(asyncio.new_event_loop())


def _jsonable(value: Any) -> Any:
    """Plain JSON data from resolved outputs (dicts, lists, scalars)."""
    if isinstance(value, Mapping):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value
