"""Documents for extraction from where they live: web pages (the article, not the site
around it), PDFs (page numbers) and Word files (headings), on disk or served over HTTP on
127.0.0.1; `extract URL...` reads them with the loaders' fetcher and `--write` stores the
text the offsets index."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import neo4j
import pytest
from typer.testing import CliRunner

from api.cli import app
from api.settings import Settings
from loaders.demo import demo_plan
from loaders.documents import docx_document, html_document, pdf_document
from loaders.errors import LoaderError
from nlp.document import DocumentReader
from nlp.entities import Pipelines
from nlp.gazetteer import Gazetteer
from tests.doc_fixtures import (
    FOOTER,
    NAV,
    PUBLISHED,
    SIDEBAR,
    plan_docx,
    plan_page,
    plan_paragraphs,
    plan_pdf,
    portal_page,
)
from tests.http_files import serving_files


def test_a_pages_article_is_kept_and_the_site_around_it_dropped() -> None:
    doc = html_document(plan_page().encode("utf-8"), "plan.html")
    title, *paragraphs = plan_paragraphs()
    assert doc.title == title
    assert doc.published is not None and doc.published.isoformat() == PUBLISHED
    assert doc.text.split("\n\n") == paragraphs  # every paragraph, in order, nothing else
    for chrome in [*NAV[1:], *SIDEBAR, FOOTER[:20], "当前位置", "打印本页"]:
        assert chrome not in doc.text
    # measured on this page: the article is 53% of the page's visible text
    assert doc.kept is not None and 0.45 < doc.kept < 0.6


def test_a_gbk_page_dated_in_its_text_only() -> None:
    body = (
        "<html><head><meta charset='gbk'><title>新闻</title></head><body>"
        "<div class='nav'><a href='/'>首页</a> <a href='/x'>新闻中心</a></div>"
        "<h1>沣东新城新增高新技术企业42家</h1><div>2024年05月20日 来源：沣东新城</div>"
        "<p>记者从沣东新城获悉，2024年第一批高新技术企业认定结果公布，沣东新城新增高新技术企业42家。</p>"
        "<p>截至目前，沣东新城高新技术企业总数达到612家，较上年增长18%。</p>"
        "<div class='foot'>版权所有 沣东新城管委会</div></body></html>"
    )
    doc = html_document(body.encode("gbk"), "news.html")
    assert doc.title == "沣东新城新增高新技术企业42家"
    assert doc.published is not None and doc.published.isoformat() == "2024-05-20"
    assert "612家" in doc.text and "版权所有" not in doc.text


def test_a_page_with_no_article_says_what_it_found() -> None:
    with pytest.raises(
        LoaderError, match=r"portal\.html: no article found in the page \(\d+ characters"
    ):
        html_document(portal_page().encode("utf-8"), "portal.html")


def test_pdf_text_knows_the_page_of_every_offset() -> None:
    doc = pdf_document(plan_pdf(), "plan.pdf")
    assert len(doc.pages) == 2 and doc.pages[0] == 0
    title, *paragraphs = plan_paragraphs()
    assert doc.title == title
    second = paragraphs[len(paragraphs) // 2]
    at = doc.text.index(second[:15])
    assert doc.page_of(at) == 2 and doc.page_of(at - 10) == 1
    assert doc.page_of(doc.text.index(paragraphs[0][:15])) == 1


def test_docx_text_in_order_with_its_headings() -> None:
    doc = docx_document(plan_docx(), "plan.docx")
    title, *_ = plan_paragraphs()
    assert doc.title == title
    heads = [h for _, h in doc.headings]
    assert heads[:3] == [title, "能源结构", "研发活动"]
    for offset, heading in doc.headings:
        assert doc.text[offset : offset + len(heading)] == heading


def test_a_scanned_pdf_and_a_broken_one_are_named_for_extraction(tmp_path: Path) -> None:
    from tests.list_fixtures import to_scanned_pdf

    with pytest.raises(LoaderError, match=r"scan\.pdf: a scanned PDF: no text layer on its 2 page"):
        pdf_document(to_scanned_pdf(plan_pdf(), dpi=100), "scan.pdf")
    with pytest.raises(LoaderError, match=r"broken\.pdf: .*PDF: damaged"):
        pdf_document(plan_pdf()[:300], "broken.pdf")


def _wire(meta: str, dateline: str) -> bytes:
    return (
        f"<html><head><title>Wire</title>{meta}</head><body>"
        "<h1>LONGi opens a new cell plant in Xi'an</h1>"
        f"<p>XI'AN, {dateline}LONGi said its new plant will make 10 GW of cells a year.</p>"
        "<p>The plant is the largest in the province and employs 2,000 people.</p>"
        "</body></html>"
    ).encode()


def test_a_documents_date_is_its_pages_then_its_datelines_then_the_one_given() -> None:
    pipes = Pipelines(Gazetteer())
    given = date(2020, 1, 1)  # --date

    def published(page: bytes) -> date | None:
        source = html_document(page, "wire.html")
        return DocumentReader(Path("wire.html"), pipes, "en", given, source=source).published

    # reposted a day later: the page's own date wins over the dateline
    meta = '<meta name="PubDate" content="2024-11-26 08:00">'
    assert published(_wire(meta, "Nov. 25, 2024 /Xinhua/ -- ")) == date(2024, 11, 26)
    # no date in the page's metadata: the dateline near the top (an English abbreviation)
    assert published(_wire("", "Nov. 25, 2024 /Xinhua/ -- ")) == date(2024, 11, 25)
    # neither: the date given
    assert published(_wire("", "")) == given


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "plan.html").write_text(plan_page(), encoding="utf-8")
    (folder / "portal.html").write_text(portal_page(), encoding="utf-8")
    (folder / "plan.pdf").write_bytes(plan_pdf())
    (folder / "plan.docx").write_bytes(plan_docx())
    return folder


def _quantities(output: str) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for line in output.splitlines():
        if line.startswith("{"):
            row = json.loads(line)
            if row["type"] == "quantity":
                out.setdefault(row["doc"], []).append(row)
    return out


def test_extract_urls_reads_pages_pdfs_and_word_files_alike(site: Path, tmp_path: Path) -> None:
    txt = demo_plan("zh")
    with serving_files(site) as (base, log):
        urls = [f"{base}/{n}" for n in ("plan.html", "portal.html", "plan.pdf", "plan.docx")]
        env = {"INNOGRAPH_DATA_DIR": str(tmp_path / "data")}
        args = ["extract", "--no-refresh", "--quiet", str(txt), *urls]
        result = CliRunner().invoke(app, args, env=env)
        assert result.exit_code == 1, result.output  # the portal page failed, the rest went on
        assert "portal.html: no article found in the page" in result.output
        again = CliRunner().invoke(app, args, env=env)
        assert log.count(304) == 4  # the second run's conditional GETs: nothing downloaded
    found = _quantities(result.stdout)
    assert _quantities(again.stdout) == found
    expected = [(q["indicator"], q["value"], q["year"]) for q in found[txt.name]]
    assert len(expected) >= 8
    texts = {
        urls[0]: html_document((site / "plan.html").read_bytes(), "p").text,
        urls[2]: pdf_document((site / "plan.pdf").read_bytes(), "p").text,
        urls[3]: docx_document((site / "plan.docx").read_bytes(), "p").text,
    }
    plain = txt.read_text(encoding="utf-8")
    for url, text in texts.items():
        got = found[url]
        assert [(q["indicator"], q["value"], q["year"]) for q in got] == expected, url
        for q, t in zip(got, found[txt.name], strict=True):  # offsets index the read text
            assert text[q["start"] : q["end"]] == plain[t["start"] : t["end"]]
    pages = [q["page"] for q in found[urls[2]]]
    assert pages[0] == 1 and pages[-1] == 2 and pages == sorted(pages)
    assert all("page" not in q for q in found[urls[0]])


@pytest.mark.neo4j
def test_extract_write_stores_the_text_every_span_indexes(
    db: neo4j.Driver, settings: Settings, site: Path
) -> None:
    env = {
        "INNOGRAPH_DATA_DIR": str(settings.data_dir),
        "INNOGRAPH_NEO4J_PORT": str(settings.bolt_port),
    }
    with serving_files(site) as (base, _):
        url = f"{base}/plan.pdf"
        result = CliRunner().invoke(
            app, ["extract", "--write", "--quiet", url, f"{base}/plan.html"], env=env
        )
        assert result.exit_code == 0, result.output
    records, _, _ = db.execute_query(
        "MATCH (t:Target)-[s:STATED_IN]->(d:Document {id: $url}) "
        "RETURN d.text AS text, d.uri AS uri, d.source_kind AS kind, d.page_starts AS pages, "
        "t.prov_start AS start, t.prov_end AS end, t.prov_page AS page, t.evidence AS evidence "
        "ORDER BY start",
        url=url,
    )
    assert len(records) >= 8
    first = records[0]
    assert first["uri"] == url and first["kind"] == "pdf" and first["pages"][0] == 0
    for r in records:
        span = r["text"][r["start"] : r["end"]]
        assert span and span in (r["evidence"] or span)
        assert r["page"] == (1 if r["start"] < first["pages"][1] else 2)
    html, _, _ = db.execute_query(
        "MATCH (d:Document {id: $url}) RETURN d.title AS title, d.published_on AS published",
        url=f"{base}/plan.html",
    )
    assert html[0]["title"] == plan_paragraphs()[0]
    assert str(html[0]["published"]) == PUBLISHED
