"""Letter building: recipient routing, context, HTML, PDF.

No Flask imports, so routes, commands, tests and benchmarks share it; only
cli.py, the `flask letters` command, knows about Flask.
"""
