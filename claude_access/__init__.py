"""The claude-access command line: plan, policy check, smoke tests, emulator, drill."""
