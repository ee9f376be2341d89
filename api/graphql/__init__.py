"""The GraphQL API: registry queries and the users' questions, one Cypher round trip each,
and the bureau's mutations.

A field is resolved in ``queries/`` (registry.py, questions.py) or ``mutations.py``; the
Cypher it runs is built in ``graph/reads.py`` (``graph/edits.py`` for writes) and sent by
``context.run_query``. ``types.py`` holds the output types, ``convert.py`` builds them from
records, ``relay.py`` the ids and pages, ``limits.py`` and ``cost.py`` what a query may ask,
``http.py`` the ASGI endpoint, ``build.py`` the schema.
"""

from __future__ import annotations

from api.graphql.build import schema
from api.graphql.context import Context, run_query

__all__ = ["Context", "run_query", "schema"]
