"""The registry's names found and linked from the on-disk index: longest match, overlaps
with seed patterns, aliases and former names, names inside longer words, the fuzzy link
against a brute-force comparison with every key, the kept index and its version."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import jieba
import neo4j
import pytest
from rapidfuzz import fuzz

from api.settings import Settings
from api.usecases.lexicon import lexicon_index, refresh_lexicon
from loaders.demo_firms import FirmTable
from loaders.normalize import name_key
from nlp.entities import Pipelines
from nlp.errors import ExtractionError
from nlp.gazetteer import FUZZY_THRESHOLD, Entry, Gazetteer, Link
from nlp.registry_index import RegistryIndex, build_index, fold
from tests.test_usecases import Recorded, _at

REGISTRY = [
    Entry("ORG", "西安隆基乐叶光伏科技有限公司", "org-longi", "name", "Organization"),
    Entry("ORG", "LONGi Green Energy Technology Co., Ltd.", "org-longi", "name", "Organization"),
    Entry("ORG", "西安乐叶光伏科技有限公司", "org-longi", "former_name", "Organization"),
    Entry("ORG", "隆基", "org-longi", "alias", "Organization"),
    Entry("ORG", "秦创科技有限公司", "org-qckj", "name", "Organization"),
    Entry("ORG", "秦创", "org-qc", "alias", "Organization"),
    Entry("ORG", "Qinchuang", "org-qc", "alias", "Organization"),
    Entry("ORG", "西咸新区光伏产业创新联合体", "cons-pv", "name", "Consortium"),
]


def found(pipes: Pipelines, text: str) -> list[tuple[str, str, str | None, str]]:
    out = []
    for m in pipes.mentions(text):
        assert text[m.start : m.end] == m.text
        out.append((m.label, m.text, m.link.node, m.link.method))
    return out


@pytest.fixture(scope="module")
def pipes(tmp_path_factory: pytest.TempPathFactory) -> Pipelines:
    """Pipelines over the index as a refresh keeps it: built on disk, then memory-mapped."""
    directory = tmp_path_factory.mktemp("lexicon") / "lexicon"
    build_index(REGISTRY, directory, "v1")
    return Pipelines(Gazetteer(index=RegistryIndex.open(directory)))


def test_longest_registry_name_wins_and_is_one_token(pipes: Pipelines) -> None:
    text = "西咸新区光伏产业创新联合体成立，隆基和西安隆基乐叶光伏科技有限公司加入。"
    assert found(pipes, text) == [
        ("ORG", "西咸新区光伏产业创新联合体", "cons-pv", "exact"),  # not the AREA 西咸新区
        ("ORG", "隆基", "org-longi", "alias"),
        ("ORG", "西安隆基乐叶光伏科技有限公司", "org-longi", "exact"),  # not 隆基 inside it
    ]
    tokens = [t.text for t in pipes.nlp["zh"].make_doc(text)]
    assert "西咸新区光伏产业创新联合体" in tokens and "西安隆基乐叶光伏科技有限公司" in tokens
    # the names are found by the index: jieba's dictionary holds the seed, not the registry
    assert "西安隆基乐叶光伏科技有限公司" not in jieba.dt.FREQ
    assert "西咸新区" in jieba.dt.FREQ


def test_registry_names_beside_and_over_seed_patterns(pipes: Pipelines) -> None:
    # a registry alias next to a seed technology: both, each whole
    assert found(pipes, "秦创碲化镉薄膜电池中试线投产。") == [
        ("ORG", "秦创", "org-qc", "alias"),
        ("TECH", "碲化镉薄膜电池", "cdte-thin-film", "exact"),
    ]
    # a longer unregistered firm name around a registered one: the longest mention wins
    # (the organisation suffix rule extends it), and it is not linked to the shorter name
    assert found(pipes, "陕西秦创科技有限公司成立。") == [
        ("ORG", "陕西秦创科技有限公司", None, "candidate")
    ]


def test_former_names_and_english_names(pipes: Pipelines) -> None:
    assert found(pipes, "西安乐叶光伏科技有限公司更名。") == [
        ("ORG", "西安乐叶光伏科技有限公司", "org-longi", "alias")
    ]
    text = "LONGi Green Energy Technology\nCo., Ltd. works with Qinchuang."
    assert found(pipes, text) == [
        # the line break is in the mention's text: linked on the normalised name
        ("ORG", "LONGi Green Energy Technology\nCo., Ltd.", "org-longi", "normalised"),
        ("ORG", "Qinchuang", "org-qc", "alias"),
    ]


def test_a_name_inside_a_longer_word_is_not_a_mention(pipes: Pipelines) -> None:
    assert [m for m in found(pipes, "Qinchuangyuan platforms grew.") if m[2]] == []
    assert [m for m in found(pipes, "The XQinchuang fund grew.") if m[2]] == []
    assert ("ORG", "Qinchuang", "org-qc", "alias") in found(pipes, "(Qinchuang) grew.")


def test_the_index_on_disk_answers_as_the_index_in_memory(tmp_path: Path) -> None:
    directory = tmp_path / "lexicon"
    info = build_index(REGISTRY, directory, "v1")
    assert (info.version, info.names) == ("v1", len(REGISTRY))
    disk, memory = Gazetteer(index=RegistryIndex.open(directory)), Gazetteer(REGISTRY)
    for text in ("隆基", "西安隆基乐叶光伏科技（有限公司）", "西安隆基乐页光伏科技有限公司", "秦"):
        assert disk.link("ORG", text) == memory.link("ORG", text)
    assert disk.link("ORG", "西安隆基乐页光伏科技有限公司").method == "fuzzy"
    build_index(REGISTRY[:1], directory, "v2")  # replaced whole
    again = RegistryIndex.open(directory)
    assert (again.info.version, len(again)) == ("v2", 1)
    (directory / "manifest.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ExtractionError, match=r"not a registry index .*--refresh"):
        RegistryIndex.open(directory)


def _brute_force(entries: list[Entry], label: str, text: str) -> Link:
    """The fuzzy link as it was: extractOne-like over every key, in rank order."""
    keys: dict[str, Entry] = {}
    for e in sorted(entries, key=lambda e: e.kind not in ("name", "code")):
        keys.setdefault(name_key(e.text), e)
    key = name_key(text)
    best, score = None, -1.0
    for k, e in keys.items():
        s = fuzz.ratio(key, k)
        if s > score:
            best, score = e, s
    if best is None or score < FUZZY_THRESHOLD or len(key) < 4:
        return Link(None, "candidate", 0.0)
    return Link(best.node, "fuzzy", round(score / 100 * 0.9, 3), best.node_label)


def _typo(rng: random.Random, name: str, chars: str) -> str:
    i = rng.randrange(len(name))
    how = rng.choice(("substitute", "delete", "insert", "swap"))
    if how == "substitute":
        return name[:i] + rng.choice(chars) + name[i + 1 :]
    if how == "delete":
        return name[:i] + name[i + 1 :]
    if how == "insert":
        return name[:i] + rng.choice(chars) + name[i:]
    j = min(i + 1, len(name) - 1)
    return name[:i] + name[j] + name[i] + name[j + 1 :]


def test_fuzzy_link_agrees_with_every_key_compared_for_one_place_edits() -> None:
    table = FirmTable.draw(random.Random(7), 3_000)
    entries = [
        Entry("ORG", f.name, f"org-{i}", "name", "Organization") for i, f in enumerate(table)
    ]
    gazetteer = Gazetteer(entries)
    rng = random.Random(1)
    chars = "".join({c for f in table[:200] for c in f.name})
    fuzzy = 0
    for f in (table[rng.randrange(len(table))] for _ in range(150)):
        typo = _typo(rng, f.name, chars)
        got = gazetteer.link("ORG", typo)
        if got.method in ("exact", "normalised"):
            continue
        assert got == _brute_force(entries, "ORG", typo), typo
        fuzzy += got.method == "fuzzy"
    assert fuzzy > 50  # most one-place typos still link


def test_fold_keeps_offsets() -> None:
    assert fold("İstanbul LONGi") == "İstanbul longi" and len(fold("İ")) == 1


@pytest.mark.neo4j
def test_refresh_rebuilds_the_index_only_when_the_registry_changed(
    db: neo4j.Driver, settings: Settings, tmp_path: Path
) -> None:
    db.execute_query("CREATE (:Organization {id: 'org-qc', name: '陕西秦创碲化镉新能源有限公司'})")
    here = _at(settings, tmp_path)
    first = refresh_lexicon(here)
    built = (lexicon_index(here) / "names.marisa").stat().st_mtime_ns
    recorded = Recorded()
    same = refresh_lexicon(here, events=recorded.events())
    assert recorded.of("on_message") == [
        f"gazetteer: {first.registry_names:,} registry names from the graph, "
        "unchanged since the last refresh (its index kept)"
    ]
    assert (lexicon_index(here) / "names.marisa").stat().st_mtime_ns == built
    assert same.gazetteer.link("ORG", "陕西秦创碲化镉新能源有限公司").node == "org-qc"
    db.execute_query("CREATE (:Organization {id: 'org-bj', name: '宝鸡钛业股份有限公司'})")
    changed = refresh_lexicon(here)
    assert changed.registry_names == first.registry_names + 1
    assert changed.gazetteer.link("ORG", "宝鸡钛业股份有限公司").node == "org-bj"
    # an index kept without its manifest's version is rebuilt from the kept names
    down = replace(here, neo4j_uri="bolt://127.0.0.1:1")
    (lexicon_index(here) / "manifest.json").unlink()
    kept = refresh_lexicon(down, refresh=False)
    assert kept.source == "cache" and kept.gazetteer.link("ORG", "宝鸡钛业股份有限公司").node
