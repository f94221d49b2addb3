"""The claude-access-guard CrossGuard policy pack and its offline checker.

- :mod:`policies.rules` holds the rules, as plain functions grouped by concern;
- :mod:`policies.pack` wraps them as ``pulumi_policy`` policies (``__main__.py`` serves
  them to the Pulumi engine);
- :mod:`policies.offline` runs the same functions over a plan document.

Internal imports are relative, so that the pack also loads when its directory is copied
elsewhere under another name (as ``pulumi policy publish`` does).
"""
