"""Provider resources registered by type token, for SDK modules too heavy to import.

Some provider SDKs define every resource of a service in one Python package, and
using any class of it builds every class of it: ``pulumi_gcp.compute``,
``pulumi_azure_native.network``, ``.monitor`` and ``.authorization`` took 1.6 to 3.7 s
together to load on the kit's 2-core reference machine, more than the rest of a plan.
The kit creates one to three types from each, so it registers those through Pulumi's
own :class:`pulumi.CustomResource` with the type token and the engine's (camelCase)
property names. The engine, the provider and the policy pack see the same registration
as from the SDK class; what is lost is the SDK's argument checking, which each caller
makes up for with its own typed arguments, and the tests check the registered props.

Resources must name their provider explicitly (every provider in the kit is an
explicit one), so that the plugin version comes from the provider object.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pulumi

__all__ = ["TokenResource"]


class TokenResource(pulumi.CustomResource):
    """One provider resource by type token, with engine property names.

    :param type_token: e.g. ``gcp:compute/subnetwork:Subnetwork``.
    :param props: input properties, camelCase as the engine names them; ``None`` values
        are left unset.
    :param outputs: output properties the caller reads, made available by :meth:`get`.
    """

    def __init__(
        self,
        type_token: str,
        name: str,
        props: Mapping[str, Any],
        opts: pulumi.ResourceOptions | None = None,
        *,
        outputs: Iterable[str] = (),
    ) -> None:
        self._outputs = frozenset(outputs)
        super().__init__(type_token, name, {**dict.fromkeys(self._outputs), **props}, opts)

    def get(self, output: str) -> pulumi.Output[Any]:
        """An output property named when the resource was registered."""
        if output not in self._outputs:
            raise KeyError(f"Expected one of the declared outputs {sorted(self._outputs)}")
        value: pulumi.Output[Any] = getattr(self, output)
        return value
