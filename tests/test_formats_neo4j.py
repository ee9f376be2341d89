"""One list published as CSV, .xls, .xlsx, .ods, .docx and a text-layer PDF loads to the
same graph (the same facts digest), each row's provenance naming its row (and page)."""

from __future__ import annotations

import csv
from pathlib import Path

import neo4j
import pytest
from typer.testing import CliRunner

from api.cli import app
from api.settings import Settings
from graph.cypher import delete_all
from graph.ingest import load_source, source_rows
from loaders.formats import read_rows
from loaders.shaping import PAGE
from loaders.sources import SourceSpec
from tests.graph_digest import facts_digest
from tests.list_fixtures import (
    COLUMNS,
    FONT,
    USCC_WIDTHS,
    layout,
    to_pdf,
    to_xlsx,
    uscc_layout,
    write_all,
)

pytestmark = pytest.mark.neo4j


def _load(driver: neo4j.Driver, path: Path, settings: Settings, tmp: Path) -> None:
    spec = SourceSpec("real.enterprise-lists", "recognition", str(path), columns=COLUMNS)
    report = load_source(driver, spec, path.read_bytes(), reports_dir=tmp / path.suffix[1:])
    assert (report.rows, report.rows_ok) == (22, 22), path.name


def test_every_format_loads_to_the_same_graph(
    db: neo4j.Driver, settings: Settings, tmp_path: Path
) -> None:
    paths = write_all(tmp_path / "lists")
    digests = {}
    for suffix in ("csv", "xls", "xlsx", "ods", "docx", "pdf"):
        query, params = delete_all()
        with db.session(database=settings.neo4j_database) as session:
            session.run(query, params).consume()  # type: ignore[arg-type]
        _load(db, paths[suffix], settings, tmp_path)
        digests[suffix] = facts_digest(db)
        if suffix == "pdf":
            records, _, _ = db.execute_query(
                "MATCH (r:Recognition) RETURN r.prov_page AS page, r.prov_row AS row"
            )
            pages = {r["page"] for r in records}
            assert pages == {1, 2} and all(r["row"] for r in records)
    assert digests["csv"][0] > 22  # firms, recognitions, areas, technologies
    assert {s: d for s, d in digests.items() if d != digests["csv"]} == {}


def test_a_clean_scan_loads_to_the_same_graph(
    db: neo4j.Driver, settings: Settings, tmp_path: Path
) -> None:
    paths = write_all(tmp_path / "lists")
    digests, numbers = {}, {}
    for suffix in ("csv", "scanned"):
        query, params = delete_all()
        with db.session(database=settings.neo4j_database) as session:
            session.run(query, params).consume()  # type: ignore[arg-type]
        _load(db, paths[suffix], settings, tmp_path)
        digests[suffix] = facts_digest(db)
        records, _, _ = db.execute_query(
            "MATCH (r:Recognition) WHERE r.doc_no IS NOT NULL RETURN DISTINCT r.doc_no AS n"
        )
        numbers[suffix] = {r["n"] for r in records}
    # every name, USCC, kind, year, batch, issuer, area, status and document number read
    # right by OCR: chi_sim reads the closing 号 as a 5, set back by its width
    # (close_doc_number); the brackets, read as () or ], by normalize_doc_number
    assert numbers == {"csv": {"工信部联科〔2011〕294号"}, "scanned": {"工信部联科〔2011〕294号"}}
    assert digests["scanned"] == digests["csv"]


def _encrypted_xlsx() -> bytes:
    import io

    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(to_xlsx(layout()))).encrypt("secret", out)
    return out.getvalue()


def _pdf_without_table() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("zh", fname=FONT)
    pdf.set_font("zh", size=12)
    pdf.add_page()
    pdf.multi_cell(0, 8, text="关于公布2024年拟认定高新技术企业名单的通知\n名单见附件。")
    return bytes(pdf.output())


def _docx_without_table() -> bytes:
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("关于公布名单的通知")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_bad_files_are_named_with_what_was_found_and_the_others_load(
    db: neo4j.Driver, settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    paths = write_all(folder)
    ods = paths["ods"].read_bytes()
    files = {
        "list.xls": paths["xls"].read_bytes(),
        "locked.xlsx": _encrypted_xlsx(),
        "broken.ods": ods[: len(ods) // 2],
        "notice.pdf": _pdf_without_table(),
        "notice.docx": _docx_without_table(),
        "list.pdf": paths["pdf"].read_bytes(),
        "uscc.pdf": to_pdf(uscc_layout(45, misprinted=40), USCC_WIDTHS, heading_rows=1),
    }
    blocks = []
    for i, (name, data) in enumerate(files.items()):
        (folder / name).write_bytes(data)
        blocks.append(
            f'[[source]]\nname = "t.{i}"\nkind = "{"hightech" if "uscc" in name else "recognition"}"\n'
            f'uri = "{name}"\n'
            '[source.columns]\n"备注" = "complete"\n'
        )
    (folder / "sources.toml").write_text("\n".join(blocks), encoding="utf-8")
    env = {
        "INNOGRAPH_DATA_DIR": str(settings.data_dir),
        "INNOGRAPH_NEO4J_PORT": str(settings.bolt_port),
    }
    args = ["load", "--sources", str(folder / "sources.toml"), "--quiet"]
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 1  # some sources failed
    output = " ".join(result.output.split())
    for expected in (
        "locked.xlsx: cannot be parsed: an encrypted (password-protected) workbook",
        "broken.ods: cannot be parsed: ODS:",
        "notice.pdf: cannot be parsed: PDF: no table found on 1 page(s)",
        "notice.docx: cannot be parsed: DOCX: no table found (1 paragraphs of text)",
    ):
        assert expected in output, expected
    loaded = {(r["name"], r["rows_ok"]) for r in source_rows(db, settings.neo4j_database)}
    assert loaded == {("t.0", 22), ("t.5", 22), ("t.6", 44)}
    # a PDF's rejects name the page and the row on it
    with (settings.data_dir / "reports" / "rejects" / "t.6.csv").open(encoding="utf-8-sig") as f:
        [reject] = list(csv.DictReader(f))
    assert (reject["page"], reject["field"]) == ("2", "uscc")
    rows = read_rows((folder / "uscc.pdf").read_bytes(), "uscc.pdf")
    line, row = next((ln, r) for ln, r in rows if r["序号"] == "40")
    assert (int(reject["row"]), row[PAGE]) == (line, "2")
