"""Sources to typed records (see README's Layout).

openpyxl writes its XML through lxml when lxml is installed, and through its own writer
otherwise, and the two give different bytes. python-docx and trafilatura need lxml, so it
is always there now; the demo's workbooks and the exports were written (and their bytes
pinned) by openpyxl's own writer, which stays the one used unless OPENPYXL_LXML is set.
This runs before any module of the project imports openpyxl (every package imports
loaders first)."""

import os

os.environ.setdefault("OPENPYXL_LXML", "False")
