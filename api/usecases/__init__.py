"""What the `innograph` commands do, below the CLI: one module per use case.

Each use case is a plain function taking the settings (:class:`api.settings.Settings`) and
explicit arguments; it reports progress through :class:`api.usecases.events.Events` (no-op
callbacks by default) and returns a report dataclass. No printing, no rich, no typer: the
CLI (``api/cli/``) shows the events and prints the reports.
"""
