"""The similarity index finds exactly what scoring every name finds (loaders/similar_names)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from loaders.similar_names import SimilarNames

# few characters, so that near names (one character more, less or changed) are common
names = st.text(alphabet="西安科技能源光伏氢碳AB", max_size=9)


@settings(max_examples=400, deadline=None)
@given(
    known=st.lists(names, max_size=40),
    later=st.lists(names, max_size=10),
    queries=st.lists(names, min_size=1, max_size=3),
    cutoff=st.sampled_from([50.0, 70.0, 85.0, 90.0, 95.0, 100.0]),
    index_after=st.sampled_from([0, 1, 10]),
)
def test_best_equals_scoring_every_name(
    known: list[str], later: list[str], queries: list[str], cutoff: float, index_after: int
) -> None:
    index = SimilarNames(known, cutoff, index_after)
    for names_now in (known, known + later):
        if names_now is not known:
            for name in later:  # added after the index was (or was not yet) built
                index.add(name)
        for query in queries:
            hit = process.extractOne(query, names_now, scorer=fuzz.ratio, score_cutoff=cutoff)
            assert index.best(query) == (None if hit is None else (hit[0], float(hit[1])))
    assert index.indexed == (index_after < 2 * len(queries))


def test_near_names_are_candidates_and_far_ones_are_not() -> None:
    index = SimilarNames(["西安光伏能源科技", "宝鸡钛业材料", "咸阳氢能装备"], 85.0, 0)
    assert index.best("西安光伏能源科技发") == ("西安光伏能源科技", pytest.approx(94.1, abs=0.1))
    assert index.candidates("宝鸡钛业材料") == [1]  # the others share none of its rare characters
    assert index.best("汉中茶业") is None


def test_a_cutoff_outside_the_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="cutoff 0"):
        SimilarNames([], 0)


def test_the_resolver_store_finds_names_claimed_before_and_after_its_index(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from loaders import similar_names
    from loaders.org_store import OrgStore

    monkeypatch.setattr(similar_names, "INDEX_AFTER", 0)  # index at the first question
    store = OrgStore()
    store.claim("key", "西安光伏能源科技", "org-1")
    assert store.most_similar("西安光伏能源科技发", 85.0) == (
        "西安光伏能源科技",
        pytest.approx(94.1, abs=0.1),
    )
    store.claim("key", "宝鸡钛业材料", "org-2")  # claimed once the index stands
    assert store.most_similar("宝鸡钛业材料有", 85.0) == (
        "宝鸡钛业材料",
        pytest.approx(92.3, abs=0.1),
    )
    store.claim("key", "宝鸡钛业材料", "org-3")  # a name claimed twice is indexed once
    assert store._similar is not None and store._similar.names.count("宝鸡钛业材料") == 1
    # another cutoff: indexed again from the store, the same names
    assert store.most_similar("宝鸡钛业材料有", 95.0) is None
    assert store._similar.cutoff == 95.0
