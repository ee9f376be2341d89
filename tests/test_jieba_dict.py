"""nlp.jieba_dict: jieba's dictionary from the application's pickle cuts text exactly as
jieba's own initialisation does, its part-of-speech tags are jieba.posseg's, and a missing,
stale or torn pickle is built again. Each
case in a fresh interpreter, since jieba's tokenizer is initialised once per process."""

from __future__ import annotations

import hashlib
import json
import pickle
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

SENTENCE = "西咸新区将建设碲化镉薄膜电池和氢燃料电池示范线，到2027年新增高新技术企业500家。"

CHILD = """
import json, sys
from pathlib import Path
import jieba
jieba.setLogLevel(60)
if sys.argv[1] == "pickle":
    from nlp.jieba_dict import load_dictionary
    loaded = load_dictionary(Path(sys.argv[2]))
else:
    loaded = None
    jieba.initialize()
jieba.add_word("秦创原平台", freq=2000)
from nlp.jieba_dict import word_tags
tags = word_tags()
import jieba.posseg  # what the tags must equal: posseg reads them from the dictionary file
same_tags = tags == jieba.posseg.dt.word_tag_tab and len(tags) > 300_000
print(json.dumps({"loaded": loaded, "words": jieba.lcut(sys.argv[3]), "total": jieba.dt.total,
                  "same_tags": same_tags, "tag": tags.get("企业")}))
"""


def _cut(how: str, cache: Path) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, how, str(cache), SENTENCE + "秦创原平台上线。"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(out.stdout)
    return result


def test_the_pickle_is_written_once_then_loaded_and_cuts_as_jieba_does(tmp_path: Path) -> None:
    own = _cut("jieba", tmp_path)
    first = _cut("pickle", tmp_path)
    assert first["loaded"] is False and (tmp_path / "jieba-dict.pickle").is_file()
    second = _cut("pickle", tmp_path)
    assert second["loaded"] is True
    assert first["words"] == second["words"] == own["words"]
    assert first["total"] == second["total"] == own["total"]
    # the part-of-speech tags, read from the dictionary file or the pickle, are posseg's
    assert own["same_tags"] is first["same_tags"] is second["same_tags"] is True
    assert second["tag"] == "n"
    words = second["words"]
    assert isinstance(words, list) and "秦创原平台" in words  # added after loading: still one


def _stored(path: Path) -> tuple[object, ...]:
    stored: tuple[object, ...] = pickle.loads(path.read_bytes().partition(b"\n")[2])
    return stored


def _store(path: Path, value: object) -> None:
    payload = pickle.dumps(value)
    path.write_bytes(hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)


def test_a_stale_torn_or_damaged_pickle_is_built_again(tmp_path: Path) -> None:
    own = _cut("jieba", tmp_path)
    path = tmp_path / "jieba-dict.pickle"
    _cut("pickle", tmp_path)
    key = _stored(path)[0]
    assert isinstance(key, tuple)
    _store(path, ((*key[:-1], 0), {"西咸": 1}, 1, {"西咸": "ns"}))  # for another dict.txt
    stale = _cut("pickle", tmp_path)
    assert stale["loaded"] is False and stale["words"] == own["words"]
    assert _stored(path)[0] == key  # rewritten for this dictionary
    whole = path.read_bytes()
    for damaged in (whole[:1000], whole[:5000] + bytes([whole[5000] ^ 0xFF]) + whole[5001:]):
        path.write_bytes(damaged)  # a write cut short; one byte changed on disk
        again = _cut("pickle", tmp_path)
        assert again["loaded"] is False and again["words"] == own["words"]
        assert path.read_bytes() == whole
    assert _cut("pickle", tmp_path)["loaded"] is True


def test_a_cache_that_cannot_be_written_leaves_jiebas_own(tmp_path: Path) -> None:
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache directory would be")
    result = _cut("pickle", blocked)
    assert result["loaded"] is False and result["words"] == _cut("jieba", tmp_path)["words"]
