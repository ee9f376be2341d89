"""The zh tokenizer's words and spaces, and the gazetteer's remembered links."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from spacy.util import get_words_and_spaces

import nlp.gazetteer as gazetteer_module
from nlp.entities import words_and_spaces
from nlp.gazetteer import Entry, Gazetteer

# pieces of a text as jieba cuts one: words, single and double spaces, tabs, line breaks
_PIECES = st.lists(
    st.sampled_from(["光伏", "组件", "A", "GW", "  ", " ", "\t", "\n", " \n", "。", "2025"]),
    max_size=30,
)


@given(_PIECES)
def test_words_and_spaces_answer_as_spacy_does_for_words_that_cut_the_text(
    words: list[str],
) -> None:
    text = "".join(words)
    assert words_and_spaces(words, text) == get_words_and_spaces(words, text)


def test_words_and_spaces_of_a_paragraph_with_spaces_between_words() -> None:
    words = ["西安", " ", "高新区", "  ", "2025", " ", "\n", "年"]
    assert words_and_spaces(words, "".join(words)) == (
        ["西安", "高新区", " ", "2025", "\n", "年"],
        [True, True, False, True, False, False],
    )


def test_words_that_do_not_cut_the_text_are_refused_as_spacy_refuses_them() -> None:
    with pytest.raises(ValueError, match="E194"):
        words_and_spaces(["西安", "市"], "西安省")


def test_a_link_is_remembered_and_the_memory_is_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gaz = Gazetteer([Entry("ORG", "秦创原创新促进中心", "org:q1", "name", "Organization")])
    first = gaz.link("ORG", "秦创原创新促进中心")
    assert first.node == "org:q1" and first.method == "exact"
    assert gaz.link("ORG", "秦创原创新促进中心") is first  # read once
    monkeypatch.setattr(gazetteer_module, "LINKS_KEPT", 3)
    for name in ("甲公司", "乙公司", "丙公司", "丁公司"):
        assert gaz.link("ORG", name).node is None
    assert len(gaz._links) <= 3  # forgotten at once when full, then filled again
    assert gaz.link("ORG", "秦创原创新促进中心") == first
