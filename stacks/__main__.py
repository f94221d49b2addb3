"""Entry point that `pulumi up` runs (Pulumi.yaml points ``main`` at this folder)."""

from stacks.program import main

main()
