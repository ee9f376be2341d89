"""Entity mentions, linking and relations on blank spaCy pipelines and hand-built texts."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from loaders.errors import LoaderError
from loaders.textfile import TextStream
from nlp.document import DocumentReader
from nlp.entities import Mention, Pipelines, detect_lang
from nlp.gazetteer import Entry, Gazetteer
from nlp.relations import find_relations

REGISTRY = [
    Entry("ORG", "西安隆基乐叶光伏科技有限公司", "org-longi", "name", "Organization"),
    Entry("ORG", "LONGi Green Energy Technology Co., Ltd.", "org-longi", "name", "Organization"),
    Entry("ORG", "西安乐叶光伏科技有限公司", "org-longi", "former_name", "Organization"),
    Entry("ORG", "陕西秦创碲化镉新能源有限公司", "org-qc", "name", "Organization"),
    Entry("ORG", "西咸新区光伏产业创新联合体", "cons-pv", "name", "Consortium"),
    Entry("STANDARD", "T/CPIA 0028.2—2024", "T/CPIA 0028.2—2024", "code", "GroupStandard"),
]


@pytest.fixture(scope="module")
def pipes() -> Pipelines:
    return Pipelines(Gazetteer(REGISTRY))


def found(pipes: Pipelines, text: str) -> list[tuple[str, str, str | None]]:
    out = []
    for m in pipes.mentions(text):
        assert text[m.start : m.end] == m.text  # offsets index the text as given
        out.append((m.label, m.text, m.link.node))
    return out


def test_pipelines_are_blank_spacy_with_registered_components(pipes: Pipelines) -> None:
    zh, en = pipes.nlp["zh"], pipes.nlp["en"]
    assert zh.lang == "zh" and en.lang == "en"
    assert zh.config["nlp"]["tokenizer"]["segmenter"] == "jieba"
    assert zh.pipe_names == [
        "innograph_seed_names",  # the seed's names, Aho-Corasick (nlp/seed_names.py)
        "innograph_registry",
        "innograph_regex_entities",
        "innograph_org_suffix",
        "innograph_firm_name",  # trade name + industry word (nlp/firms.py)
        "innograph_site_suffix",  # parks, clusters, new cities (nlp/places.py)
        "innograph_county_alias",
        "innograph_geo_feature",  # rivers, lakes, abbreviation regions (nlp/places.py)
        "innograph_tech_extent",  # 地热能 + 集中供热 is one technology (nlp/techs.py)
    ]
    assert en.pipe_names == [
        "innograph_seed_names",
        "innograph_registry",
        "innograph_regex_entities",
    ]
    # the registry's names are one token each (the tokenizer finds them; jieba does not
    # hold them)
    tokens = [t.text for t in zh.make_doc("今天西安隆基乐叶光伏科技有限公司宣布扩产")]
    assert "西安隆基乐叶光伏科技有限公司" in tokens


def test_chinese_mentions_longest_wins_and_standard_codes(pipes: Pipelines) -> None:
    text = (
        "西咸新区管委会与西安隆基乐叶光伏科技有限公司签约，共建碲化镉薄膜电池中试线，"
        "执行团体标准T/CPIA 0028.2—2024和国家标准GB/T 32100-2015。"
    )
    assert found(pipes, text) == [
        ("ORG", "西咸新区管委会", None),  # one ORG, not an AREA inside it
        ("ORG", "西安隆基乐叶光伏科技有限公司", "org-longi"),
        ("TECH", "碲化镉薄膜电池", "cdte-thin-film"),
        ("STANDARD", "T/CPIA 0028.2—2024", "T/CPIA 0028.2—2024"),
        ("STANDARD", "GB/T 32100-2015", None),
    ]


def test_generic_descriptions_are_not_organisations(pipes: Pipelines) -> None:
    text = "新建产业创新中心3个，设立10亿元产业基金，市政府将给予支持。"
    # issue #15: the short name of a government body (市政府, 省发改委) is an organisation
    assert [m for m in found(pipes, text) if m[0] == "ORG"] == [("ORG", "市政府", None)]


def test_english_mentions_with_line_breaks_inside_names(pipes: Pipelines) -> None:
    text = (
        "The Xixian New Area Administrative Committee signed with LONGi Green Energy Technology\n"
        "Co., Ltd. on hydrogen fuel cells in Fengxi New City, Shaanxi Province."
    )
    assert found(pipes, text) == [
        ("ORG", "Xixian New Area Administrative Committee", None),
        ("ORG", "LONGi Green Energy Technology\nCo., Ltd.", "org-longi"),
        ("TECH", "hydrogen fuel cells", "hydrogen-fuel-cell"),
        ("AREA", "Fengxi New City", "fengxi"),
        ("AREA", "Shaanxi Province", None),
    ]


def test_linking_exact_alias_normalised_fuzzy_and_candidates() -> None:
    g = Gazetteer(REGISTRY)
    exact = g.link("ORG", "西安隆基乐叶光伏科技有限公司")
    assert (exact.node, exact.method, exact.confidence, exact.node_label) == (
        "org-longi",
        "exact",
        1.0,
        "Organization",
    )
    assert g.link("ORG", "西安乐叶光伏科技有限公司").method == "alias"  # a former name
    normal = g.link("ORG", "西安隆基乐叶光伏科技（有限公司）")
    assert (normal.node, normal.method) == ("org-longi", "normalised")
    fuzzy = g.link("ORG", "西安隆基乐页光伏科技有限公司")  # one character wrong
    assert fuzzy.node == "org-longi" and fuzzy.method == "fuzzy" and 0.8 < fuzzy.confidence < 1
    new = g.link("ORG", "宝鸡钛业股份有限公司")
    assert (new.node, new.method, new.confidence) == (None, "candidate", 0.0)
    # general vocabulary never shadows a registry link of the same name
    assert g.link("TECH", "储能").node == "energy-storage"


def test_language_is_chosen_per_paragraph(pipes: Pipelines) -> None:
    text = "西咸新区发展氢燃料电池。\n\nFengxi New City builds energy storage.\n"
    langs: Counter[str] = Counter()
    from nlp.entities import paragraphs

    mentions = list(pipes.mentions_in(paragraphs(text), langs=langs))
    assert {(m.text, m.lang) for m in mentions} == {
        ("西咸新区", "zh"),
        ("氢燃料电池", "zh"),
        ("Fengxi New City", "en"),
        ("energy storage", "en"),
    }
    assert set(langs) == {"zh", "en"}
    assert detect_lang("The plan（规划）") == "en" and detect_lang("规划 plan") == "zh"


def relations(pipes: Pipelines, text: str) -> list[tuple[str, str | None, str, str]]:
    mentions: list[Mention] = list(pipes.mentions(text))
    return [(r.relation, r.role, r.head.text, r.tail.text) for r in find_relations(text, mentions)]


def test_consortium_membership_drafting_and_work(pipes: Pipelines) -> None:
    assert relations(
        pipes,
        "西咸新区光伏产业创新联合体成立，牵头单位为西安隆基乐叶光伏科技有限公司，"
        "成员单位包括陕西秦创碲化镉新能源有限公司、西安交通大学等。",
    ) == [
        ("MEMBER_OF", "lead", "西安隆基乐叶光伏科技有限公司", "西咸新区光伏产业创新联合体"),
        ("MEMBER_OF", "member", "陕西秦创碲化镉新能源有限公司", "西咸新区光伏产业创新联合体"),
        ("MEMBER_OF", "member", "西安交通大学", "西咸新区光伏产业创新联合体"),
    ]
    assert relations(
        pipes,
        "团体标准T/CPIA 0028.2—2024发布。起草单位：西安隆基乐叶光伏科技有限公司、西北工业大学。",
    ) == [
        ("DRAFTED", "drafter", "西安隆基乐叶光伏科技有限公司", "T/CPIA 0028.2—2024"),
        ("DRAFTED", "drafter", "西北工业大学", "T/CPIA 0028.2—2024"),
    ]
    assert relations(pipes, "陕西秦创碲化镉新能源有限公司主要研发碲化镉薄膜电池。") == [
        ("WORKS_ON", None, "陕西秦创碲化镉新能源有限公司", "碲化镉薄膜电池")
    ]
    assert relations(
        pipes,
        "The Xixian Hydrogen Innovation Consortium, led by LONGi Green Energy Technology Co., Ltd., "
        "members include Xi'an Jiaotong University.",
    ) == [
        (
            "MEMBER_OF",
            "lead",
            "LONGi Green Energy Technology Co., Ltd.",
            "Xixian Hydrogen Innovation Consortium",
        ),
        (
            "MEMBER_OF",
            "member",
            "Xi'an Jiaotong University",
            "Xixian Hydrogen Innovation Consortium",
        ),
    ]
    # no cue, no relation
    assert relations(pipes, "西安隆基乐叶光伏科技有限公司和碲化镉薄膜电池都被提到。") == []


def test_text_stream_offsets_survive_chunk_boundaries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("loaders.textfile.CHUNK", 7)  # cut inside multi-byte characters
    monkeypatch.setattr("loaders.textfile.MAX_BLOCK", 50)
    text = "\n\n".join(
        f"第{i}段：西咸新区高新技术企业达到{i}家。Line {i} in English." for i in range(40)
    )
    for encoding, data in (
        ("utf-8", text.encode()),
        ("utf-8-sig", b"\xef\xbb\xbf" + text.encode()),
        ("gb18030", text.encode("gbk")),
    ):
        path = tmp_path / f"{encoding}.txt"
        path.write_bytes(data)
        stream = TextStream(path)
        blocks = list(stream.blocks())
        assert "".join(b for _, b in blocks) == text, encoding
        assert all(text[o : o + len(b)] == b for o, b in blocks)
        assert len(blocks) > 5 and stream.chars == len(text) and stream.encoding == encoding


def test_text_stream_refuses_what_is_not_text(tmp_path: Path) -> None:
    cases = {
        "empty.txt": b"  \n",
        "blob.bin": b"\x00\x01\x02" * 10,
        "bad.txt": b"ok \xff\xfe\x80",
        "plan.pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    with pytest.raises(LoaderError, match=r"empty\.txt: the file is empty"):
        list(TextStream(tmp_path / "empty.txt").blocks())
    with pytest.raises(LoaderError, match=r"blob\.bin: binary content"):
        list(TextStream(tmp_path / "blob.bin").blocks())
    with pytest.raises(LoaderError, match=r"bad\.txt: not valid gb18030"):
        list(TextStream(tmp_path / "bad.txt").blocks())
    with pytest.raises(LoaderError, match=r"plan\.pdf: a PDF file, not plain text"):
        list(TextStream(tmp_path / "plan.pdf").blocks())


def test_document_reader_gives_whole_text_offsets(pipes: Pipelines, tmp_path: Path) -> None:
    text = (
        "标题\n\n"
        + "到2025年，西咸新区国家高新技术企业达到3500家。\n\n" * 3
        + "Fengxi New City grows.\n"
    )
    path = tmp_path / "plan.txt"
    path.write_bytes(text.encode("gbk"))
    reader = DocumentReader(path, pipes)
    blocks = list(reader.blocks())
    mentions = [m for b in blocks for m in b.mentions]
    quantities = [q for b in blocks for q in b.quantities]
    assert [text[m.start : m.end] for m in mentions] == ["西咸新区"] * 3 + ["Fengxi New City"]
    assert [text[q.start : q.end] for q in quantities] == ["3500家"] * 3
    assert reader.title == "标题" and reader.doc_lang == "zh"
    assert reader.stream.chars == len(text) and len(reader.stream.sha256) == 64
