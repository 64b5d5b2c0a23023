"""Randomized check (seeded, deterministic) that the attribution CPU shortcuts of session 21 give
what the code they stand for gives, on lines mixing the whitespace kinds ``str.split`` knows (NBSP,
thin space, tabs, newlines, the ASCII separators \\x1c-\\x1f, U+0085, U+3000) with those it does
not (zero-width space/joiner, RLM), Arabic punctuation, closing marks and desk initials:

* ``_over(s, n)`` is ``_words(s) > n`` for every string and bound;
* ``signoff`` with the initials matched once after the last closing mark is ``signoff`` with the
  initials searched for along the whole line (the code before cb02daf)."""

from __future__ import annotations

import random

import pytest

from tasks import attribution
from tasks.attribution import _over, _words, signoff

SPACES = [" ", "  ", "\u00a0", "\u2009", "\u202f", "\t", "\n", "\r\n", "\x1c", "\x1f", "\x85", "\u3000",
          "\u200b", "\u200c", "\u200f", "\ufeff"]
WORDS = ["رويترز", "أ", "ف", "ب", "س", "ص", "ع", "م.ب", "ع.ع", "ح", "بترا", "الفرنسية", "واس", "AFP", "a", "b",
         "وأضاف", "أن", "المحادثات", "مستمرة", "قال", "1", "2024", "،", "؛", "؟", ".", "/", "-", "ـ", "–"]
MARKS = ["(", ")", "«", "»", '"', "”", "“", "[", "]", "/"]
CREDITS = ["(رويترز)", "(أ ف ب)", "«الفرنسية»", '"واس"', "(بترا)", "( الوكالات)", "- رويترز", "”رويترز“", "“رويترز”"]


def _line(rnd: random.Random) -> str:
    out = []
    for _ in range(rnd.randint(0, 14)):
        r = rnd.random()
        pool = CREDITS if r < 0.15 else MARKS if r < 0.35 else WORDS
        out += [rnd.choice(pool), rnd.choice(SPACES) if rnd.random() < 0.8 else ""]
    return "".join(out)


def _lines(seed: int, n: int) -> list[str]:
    rnd = random.Random(seed)
    return [_line(rnd) for _ in range(n)]


def test_bounded_word_count_is_the_word_count_for_every_whitespace_kind():
    for s in [*_lines(1, 3000), "", *SPACES, "".join(SPACES), "\u200b".join(WORDS)]:
        words = _words(s)
        for n in range(-1, 18):
            assert _over(s, n) == (words > n), (s, n)


class _SearchedAlong:
    """The initials' pattern as the old code used it: searched for along the whole line."""

    def __init__(self, pattern):
        self.pattern = pattern

    def match(self, text, pos=0):
        return self.pattern.search(text)


def _signoffs(lines: list[str]) -> list:
    return [signoff(line) for line in lines]


@pytest.mark.parametrize("seed", [2, 3])
def test_signoff_initials_after_the_last_closing_mark_are_those_searched_for(monkeypatch, seed):
    rnd = random.Random(seed)
    tails = ["", " س ص/ ع ع", " ح س/ب ق", " ع.ع/م.ب", "ع ع", " أ ف ب", " A.B/ C", " ع 1/ب", " ع ع وأضاف",
             " (ع ع)", " «ع» ع", " س/ص/ع/م/ب", ' "ع" ع.', " ع ع\n", "\u00a0ح\u00a0س"]
    lines = [_line(rnd) + rnd.choice(CREDITS) + rnd.choice(tails) + rnd.choice(["", " ", "\u200b"])
             for _ in range(1500)] + _lines(seed + 10, 1500)
    new = _signoffs(lines)
    monkeypatch.setattr(attribution, "_EDITOR_INITIALS", _SearchedAlong(attribution._EDITOR_INITIALS))
    old = _signoffs(lines)
    assert sum(o is not None for o in old) > 300  # the lines do hold credits
    assert [(line, n) for line, n, o in zip(lines, new, old, strict=True) if n != o] == []
