"""The smoke checks as a pytest suite, for CI pipelines that collect JUnit from pytest.

```sh
pytest smoke_tests/suite --claude-manifest out/paths.json --junitxml=report.xml
```

It is not part of the repository's own test run (``testpaths`` names ``tests`` only),
and without ``--claude-manifest`` every test in it is skipped.
"""
