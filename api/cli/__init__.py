"""The `innograph` command (the pyproject entry point is ``api.cli:app``).

Each command is a thin shell in the module of its group: it parses options, calls a use case
in ``api/usecases/`` with rich callbacks (``api/cli/progress.py``) and prints the report.
The root (``api/cli/main.py``) reads the settings and turns any innograph error into one line.
"""

from api.cli import admin, export, extract, load, neo4j, serve
from api.cli.main import app

__all__ = ["app"]

# Every command, in the order `innograph --help` lists them.
app.command("init")(admin.init)
app.command("stats")(admin.stats)
app.command("demo")(serve.demo)
app.command("load")(load.load)
app.command("sources")(load.sources)
app.command("extract")(extract.extract)
app.command("eval-extraction")(extract.eval_extraction)
app.command("api-key")(admin.api_key)
app.command("schema")(admin.schema_cmd)
app.command("serve")(serve.serve)
app.add_typer(export.app, name="export")
app.add_typer(neo4j.app, name="neo4j")
