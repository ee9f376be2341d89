"""nlp.segmenter: jieba-rs gives jieba's own words, on sentences written for each way the
two differ (Latin runs, CJK outside jieba's range, forced splits, added words), on generated
text, and once a word reaches jieba behind its back (jieba cuts again)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import jieba
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp.entities import Pipelines
from nlp.gazetteer import Gazetteer
from nlp.segmenter import RUST_AFTER, Segmenter, segmenter
from tests.conftest import ROOT

SENTENCES = [
    # hyphenated words, URLs, decimals, percentages, ranges: jieba cuts Latin runs itself
    "西咸新区发布non-fossil能源规划，详见www.shine.cn/news/2021-03-05/thread-6121409-1-1.html。",
    "到2025年，非化石能源占比达到20.5%左右，2021-2025年新增装机45.2-billion-yuan。",
    "晶硅-钙钛矿叠层电池效率达到33.9%，C&I用户、R&D投入和5G基站同步增长。",
    # CJK outside jieba's Chinese range (extension A and B, compatibility ideographs)
    "新业𠀀企业与㐀研究院、鿖实验室及豈中心签约。",
    # forced splits (org_suffixes.json: 网|讯, 报|讯) and words the pipelines add
    "西部网讯（记者 王敏）三秦网讯：陕西日报讯，西安市科学技术局与西咸新区管委会联合发布。",
    "隆基绿能科技股份有限公司和西安交通大学共建氢燃料电池与碲化镉薄膜电池创新联合体。",
    # whitespace of every kind is a token of its own, as jieba gives it
    "第一段\r\n第二段\t制表\u3000全角空格  两个空格\n\n空行后",
]


@pytest.fixture(scope="module")
def pipelines() -> Pipelines:
    return Pipelines(Gazetteer())  # adds the seed's, suffixes' and places' words


@pytest.fixture
def rust(pipelines: Pipelines) -> Segmenter:
    before = segmenter.rust_after
    segmenter.rust_after = 0
    assert segmenter.rust_cuts, "jieba-rs must be the one cutting here"
    yield segmenter
    segmenter.rust_after = before


@pytest.mark.parametrize("text", SENTENCES)
def test_jieba_rs_gives_jiebas_words(rust: Segmenter, text: str) -> None:
    assert rust.cut(text) == jieba.lcut(text)


def test_forced_splits_and_added_words_are_jiebas(rust: Segmenter) -> None:
    assert rust.cut("西部网讯") == ["西部", "网", "讯"]
    assert "西咸新区" in rust.cut("西咸新区管委会")  # a word the pipelines add


_CHARS = st.sampled_from(
    list("中国科技企业研发新能源光伏电池氢燃料的了在和与及省市区县年月日家个万亿网讯报西部")
    + list("abcXYZ019")
    + list(".-%_&+#@/:，。、；（）() \t\n\r\u3000")
    + [
        "😀",
        "é",
        "Ⅱ",
        "①",
        "𠀀",
        "㐀",
        "鿖",
        "豈",
        "\u9fd5",
        "Ａ",
        "１",
        "\u200b",
        "\x85",
        "\u2028",
    ]
)


@settings(max_examples=3000, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(_CHARS, max_size=60))
def test_generated_text_is_cut_as_jieba_cuts_it(rust: Segmenter, text: str) -> None:
    assert rust.cut(text) == jieba.lcut(text)


CHILD = """
import json
import jieba
from nlp.segmenter import Segmenter
jieba.setLogLevel(60)
seg = Segmenter(rust_after=0)
seg.add_word("碲化镉光伏幕墙", freq=50_000)
seg.split("网", "讯")
text = "碲化镉光伏幕墙和光伏幕墙示范线，西部网讯"
first = (seg.rust_cuts, seg.cut(text) == jieba.lcut(text))
jieba.add_word("光伏幕墙示范线", freq=90_000)  # behind the segmenter's back
print(json.dumps([first, seg.rust_cuts, seg.cut(text), jieba.lcut(text)]))
"""


def test_a_word_added_to_jieba_directly_makes_jieba_cut_again() -> None:
    # a fresh interpreter: jieba's dictionary untouched before the segmenter starts
    out = subprocess.run(
        [sys.executable, "-c", CHILD], cwd=ROOT, capture_output=True, text=True, check=True
    )
    first, rust_after_direct_add, ours, jiebas = json.loads(out.stdout)
    assert first == [True, True]
    assert rust_after_direct_add is False
    assert ours == jiebas and "光伏幕墙示范线" in ours


def test_short_work_is_cut_by_jieba_without_loading_jieba_rs() -> None:
    seg = Segmenter()
    seg.cut("到2027年新增高新技术企业500家。")
    assert not seg.rust_cuts and seg._rust is None
    seg.cut("新" * RUST_AFTER)
    assert seg.rust_cuts


def test_the_tokenizers_doc_text_is_the_text(pipelines: Pipelines) -> None:
    text = "西咸新区 发布\n规划，隆基绿能科技股份有限公司  参与。"
    doc = pipelines.nlp["zh"](text)
    assert doc.text == text == doc.user_data["innograph_text"]


def test_words_added_while_other_threads_cut(rust: Segmenter) -> None:
    # jieba-rs releases the GIL while it cuts: a word added meanwhile must not change the
    # instance a cut holds (it would raise "Already borrowed"), and later cuts know the word
    errors: list[BaseException] = []
    stop = threading.Event()

    def cutting() -> None:
        try:
            while not stop.is_set():
                for text in SENTENCES:
                    rust.cut(text * 20)
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=cutting) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        for k in range(30):
            rust.add_word(f"并发测试词{k:02d}号", freq=1000)
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert errors == []
    assert rust.rust_cuts
    assert "并发测试词07号" in rust.cut("出现并发测试词07号时")
    text = SENTENCES[4] + "并发测试词29号"
    assert rust.cut(text) == jieba.lcut(text)
