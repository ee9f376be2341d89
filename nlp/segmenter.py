"""Chinese word segmentation: jieba's words and rules, cut by jieba-rs once a text is long.

jieba (Python) is the reference: its dictionary, the words the pipelines add and its
answers. jieba-rs (``rjieba``) implements the same algorithm (prefix DAG, the most probable
route, HMM for unknown runs) over the same dictionary about 20 times faster, and differs
from jieba in three ways, each undone here:

- a run of Latin letters, digits and ``. - _ %`` that is no dictionary word stays one token
  (``non-fossil``, ``www.shine.cn``); jieba cuts it (``non | - | fossil``): such a token is
  cut again by jieba;
- CJK characters outside jieba's Chinese range (extension A, ``\\u9fd6``-``\\u9fff``,
  compatibility and supplementary ideographs) are Chinese to jieba-rs; jieba cuts the text
  at each and keeps it alone: the text is cut there first;
- a word added with frequency 0 (a forced split, 网|讯) can still come out of jieba-rs's
  HMM; jieba splits it into its characters: so is it here.

Both dictionaries get every word added (:func:`add_word`, :func:`split`), and jieba-rs a
placeholder word that no text can contain, weighted so that both totals are equal: jieba adds
a re-added word's frequency to its total, jieba-rs replaces the old one. The segmentation is
then jieba's (tests/test_nlp_segmenter.py), except where two routes score exactly the same
(a run of one repeated word, 哈哈哈哈哈哈哈): the last bit of a float decides there, in both.

jieba-rs loads its dictionary and the added words in 0.19 s, the time jieba takes to cut
about 90k characters (472k chars/s on the bench corpus; jieba-rs cuts 5.8M/s): a text is
cut by jieba until :data:`RUST_AFTER` characters have been cut in the process, by jieba-rs
after that (same words either way), so one short document starts no slower and a long one
pays at most twice the better of the two (switching at the break-even point).

jieba must get its words through this module from the first use on: a word given to jieba
directly afterwards is seen (jieba's total moves) and jieba cuts from then on.
"""

from __future__ import annotations

import re
import threading
from typing import Any

import jieba

__all__ = ["RUST_AFTER", "Segmenter", "add_word", "cut", "segmenter", "split"]

RUST_AFTER = 100_000  # characters cut by jieba before jieba-rs is loaded (break-even)

_HAN = re.compile(r"[\u4e00-\u9fd5]")  # jieba's Chinese (re_han_default)
_ALNUM = re.compile(r"[a-zA-Z0-9]+")
# CJK that jieba does not read as Chinese, each kept alone; jieba-rs would join it
_ODD = re.compile("([\u3400-\u4dbf\u9fd6-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f])")
_PLACEHOLDER = "\ue000"  # private use: outside both Chinese ranges, so in no route
_RUNS_KEPT = 50_000


class Segmenter:
    """jieba's segmentation of a text (see the module's docstring); ``cut`` is thread-safe."""

    def __init__(self, rust_after: int = RUST_AFTER) -> None:
        self.rust_after = rust_after
        self.words: dict[str, int] = {}  # each word added, with the frequency jieba gave
        self.replaced = 0  # the frequencies re-added words had in jieba before
        self.forced: set[str] = set()  # added with frequency 0: never one token
        self.cut_chars = 0
        self._rust: Any = None
        self._start: int | None = None  # jieba's total when this segmenter first used it
        self._given = 0  # the frequencies of every word added through it
        self._runs: dict[str, list[str]] = {}  # Latin runs as jieba cuts them
        self._lock = threading.Lock()

    def add_word(self, word: str, freq: int | None = None) -> None:
        """``jieba.add_word``, mirrored in jieba-rs."""
        tokenizer = jieba.dt
        self._started()
        before = tokenizer.FREQ.get(word, 0)
        tokenizer.add_word(word, freq)
        given = int(tokenizer.FREQ[word])
        with self._lock:
            self.words[word] = given
            self._given += given
            self._runs.clear()  # an added word may be one of them
            self.replaced += before
            if given == 0:
                self.forced.add(word)
            elif word in self.forced:
                self.forced.discard(word)
            # a new jieba-rs on the next long cut, never this one changed: a cut running in
            # another thread (jieba-rs releases the GIL) holds it borrowed
            self._rust = None

    def split(self, *parts: str) -> None:
        """``jieba.suggest_freq(parts, tune=True)``: the parts are cut apart where they meet."""
        self.add_word("".join(parts), int(jieba.suggest_freq(parts, tune=False)))

    def cut(self, text: str) -> list[str]:
        """jieba's words of ``text`` (``jieba.lcut(text)``), whitespace tokens included."""
        rust = self._engine(len(text))
        if rust is None:
            return list(jieba.dt.cut(text))
        if not _ODD.search(text):
            return self._cut(rust, text)
        out: list[str] = []
        for k, piece in enumerate(_ODD.split(text)):
            if k % 2:
                out.append(piece)
            elif piece:
                out += self._cut(rust, piece)
        return out

    @property
    def rust_cuts(self) -> bool:
        """Whether the next text is cut by jieba-rs."""
        return self._engine(0) is not None

    def _cut(self, rust: Any, text: str) -> list[str]:
        out: list[str] = []
        for w in rust.cut(text, True):
            if len(w) > 1 and not _HAN.search(w):
                if _ALNUM.fullmatch(w) or w.isspace():
                    out.append(w)
                else:
                    out += self._latin(w)  # non-fossil, 33.9%: jieba cuts such runs itself
            elif w in self.forced:
                out += w
            else:
                out.append(w)
        return out

    def _latin(self, run: str) -> list[str]:
        """jieba's words of a Latin run (a pure function of the run while no word is added:
        remembered, since the same few recur: 20%, high-tech, 2021-2025)."""
        words = self._runs.get(run)
        if words is None:
            words = list(jieba.dt.cut(run))
            if len(self._runs) < _RUNS_KEPT:
                self._runs[run] = words
        return words

    def _started(self) -> int:
        """jieba's total before this segmenter's first word (jieba initialised)."""
        jieba.dt.check_initialized()
        if self._start is None:
            self._start = int(jieba.dt.total)
        return self._start

    def _engine(self, chars: int) -> Any:
        """jieba-rs, level with jieba's dictionary; None while jieba is the cheaper."""
        tokenizer = jieba.dt
        start = self._started()
        with self._lock:
            self.cut_chars += chars
            if int(tokenizer.total) != start + self._given:
                # a word added to jieba behind this module's back: jieba-rs does not know
                # jieba's dictionary any more, so jieba cuts
                return None
            if self._rust is None:
                if self.cut_chars < self.rust_after or tokenizer.dictionary is not None:
                    return None  # short work so far, or a dictionary jieba-rs does not ship
                import rjieba

                self._rust = rjieba.Jieba()
                for word, freq in self.words.items():
                    self._rust.add_word(word, freq, None)
                self._rust.add_word(_PLACEHOLDER, self.replaced, None)
            return self._rust


segmenter = Segmenter()
add_word = segmenter.add_word
split = segmenter.split
cut = segmenter.cut
