"""Reading the paths manifest, and routing Claude requests across its paths."""
