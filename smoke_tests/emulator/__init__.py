"""A loopback emulator of Claude's endpoints on every path kind, with fault injection.

It speaks the wire format of each platform as the ``anthropic`` SDK's own clients use it
(``Anthropic``, ``AnthropicBedrock``, ``AnthropicBedrockMantle``, ``AnthropicVertex``,
``AnthropicFoundry``), checks their auth (SigV4 signatures included) and their request
bodies as the real services do, and answers in each platform's own success and error
formats. The smoke tests, the routing client and the failover drill run against it with
no cloud account and no network.

```py
from smoke_tests.emulator import Emulator, Fault

with Emulator(seed=1) as emu:
    emu.write_manifest("paths.json")
    emu.set_fault("anthropic", Fault(error_status=529))
    ...
```

Limits, stated plainly:

- Answers are synthetic: the reply text names the path and model and echoes the start of
  the last user turn; tokens are whitespace-separated words. Tools, images and thinking
  are accepted and counted, never acted on.
- Only the Messages and token-counting routes exist; batches, files and models listing
  answer 404.
- Plain HTTP on loopback only; the clients are pointed at it with ``base_url``, so TLS,
  private DNS and VPC endpoints are not exercised.
- Vertex body validation errors come back in Google's error shape; the real service
  passes some of them through in Anthropic's shape.
- The stream-cut fault applies to streaming answers only.
- SigV4 checks the access key, scope, date and signature, not session tokens; bearer
  tokens are compared as they are, with no expiry. Foundry accepts API keys even though
  deployed stacks turn key auth off.
- The admin listener has no auth of its own; like the paths, it listens on loopback.
"""

from __future__ import annotations

from smoke_tests.emulator.credentials import (
    TEST_ANTHROPIC_API_KEY,
    TEST_AWS_ACCESS_KEY_ID,
    TEST_AWS_BEARER_TOKEN,
    TEST_AWS_SECRET_ACCESS_KEY,
    TEST_AZURE_TOKEN,
    TEST_FOUNDRY_API_KEY,
    TEST_FOUNDRY_RESOURCE,
    TEST_GCP_ACCESS_TOKEN,
    TEST_GCP_PROJECT,
    all_test_credentials,
)
from smoke_tests.emulator.faults import NO_FAULT, Fault
from smoke_tests.emulator.manifest import build_manifest
from smoke_tests.emulator.paths import (
    PATH_KINDS,
    PRICES,
    PathKind,
    PathSpec,
    default_path,
    default_paths,
)
from smoke_tests.emulator.run import run_forever
from smoke_tests.emulator.server import Emulator

__all__ = [
    "NO_FAULT",
    "PATH_KINDS",
    "PRICES",
    "TEST_ANTHROPIC_API_KEY",
    "TEST_AWS_ACCESS_KEY_ID",
    "TEST_AWS_BEARER_TOKEN",
    "TEST_AWS_SECRET_ACCESS_KEY",
    "TEST_AZURE_TOKEN",
    "TEST_FOUNDRY_API_KEY",
    "TEST_FOUNDRY_RESOURCE",
    "TEST_GCP_ACCESS_TOKEN",
    "TEST_GCP_PROJECT",
    "Emulator",
    "Fault",
    "PathKind",
    "PathSpec",
    "all_test_credentials",
    "build_manifest",
    "default_path",
    "default_paths",
    "run_forever",
]
