"""Reusable Pulumi components of claude-access, grouped by cloud, and the typed config."""
