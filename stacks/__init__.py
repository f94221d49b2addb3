"""The claude-access Pulumi program: reads the stack config once and composes components."""
