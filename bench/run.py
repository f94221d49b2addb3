"""Benchmarks of the kit, each beside a baseline measured in the same run.

    make bench            # or: .venv/bin/python bench/run.py [--repeat N]

plan: the whole `claude-access plan --stack <env> --quiet` command, cold, as a user
runs it (interpreter start, imports, config validation, the program under mocks,
rendering). Its baseline is the floor every plan pays: starting Python and importing
the Pulumi SDK and the AWS provider modules the program uses. In-process figures
(the render alone, warm) are printed too. Figures are medians over the repeats.

routing: bench/routing.py, run as its own process after the plan benchmarks: the
router's overhead, failover, blackhole and hedging figures against the emulator, each
beside the bare SDK client (see that file).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TARGET_PROD_PLAN_SECONDS = 5.0

BASELINE = (
    "import pulumi, pulumi_aws, pulumi_aws.ec2, pulumi_aws.iam, pulumi_aws.kms, pulumi_aws.s3, "
    "pulumi_aws.cloudwatch, pulumi_aws.sns, pulumi_aws.budgets, pulumi_aws.bedrockmodel, "
    "pulumi_aws.secretsmanager"
)


def timed(command: list[str], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True, timeout=300)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def in_process(stack: str, repeat: int) -> float:
    sys.path.insert(0, str(ROOT))
    from claude_access import plan

    plan.render_stack(stack)  # warm imports
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        plan.render_stack(stack)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (default 5)")
    args = parser.parse_args()

    baseline = timed([sys.executable, "-c", BASELINE], args.repeat)
    print(f"baseline  python + SDK imports            {baseline:6.2f} s")
    verdict = 0
    for stack in ("dev", "prod"):
        command = [str(BIN / "claude-access"), "plan", "--stack", stack, "--quiet"]
        cold = timed(command, args.repeat)
        warm = in_process(stack, args.repeat)
        print(
            f"plan      {stack:<5} command (cold)             {cold:6.2f} s   "
            f"{cold / baseline:5.2f}x baseline"
        )
        print(
            f"plan      {stack:<5} render in process (warm)   {warm:6.2f} s   "
            f"{warm / baseline:5.2f}x baseline"
        )
        if stack == "prod":
            ok = cold < TARGET_PROD_PLAN_SECONDS
            verdict = 0 if ok else 1
            print(
                f"target    prod plan under {TARGET_PROD_PLAN_SECONDS:.0f} s: "
                f"{'met' if ok else 'MISSED'} ({cold / TARGET_PROD_PLAN_SECONDS:.0%} of target)"
            )

    print(flush=True)
    routing = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "routing.py")], cwd=ROOT, check=False, timeout=600
    )
    return verdict or routing.returncode


if __name__ == "__main__":
    sys.exit(main())
