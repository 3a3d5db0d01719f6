"""The verbatim path's shortcuts (issue 6, session 4) give exactly what they replaced.

Each shortcut is compared with the computation it skips or defers, on corpus texts and random
cases: ``key`` folding only the typographic punctuation of NFKC-normalized text, ``Match.run``
measured on first read, ``describe_context`` / ``stored_span`` told that the document has no
astral character, ``only_ignorable``, and ``decide`` on a single candidate.
"""

from __future__ import annotations

import random
import unicodedata

from test_resolve_fast_equal import ALPHABET, corpus_index, reference_view

from conftest import require_shared
from tether.resolve.cascade import describe_context
from tether.resolve.decide import decide, objection
from tether.resolve.evidence import Query
from tether.resolve.normalize import (
    _PUNCTUATION_FOLD,
    _fold_char,
    key,
    only_ignorable,
    strip_ignorable,
)
from tether.resolve.options import DEFAULT_OPTIONS
from tether.resolve.position import stored_span
from tether.resolve.result import Method
from tether.selectors import TextPosition
from tether.textmodel.model import DocumentText

#: Characters of real quotes: accented prose, typographic punctuation, mathematics.
PROSE = [*"abc de.,;", "à", "è", "È", "ü", "ß", "’", "“", "”", "—", "–", "∀", "∃", "∧", "→",
         "α", "μ", "≡", "′", "«", "»", "\u00a0", "\u00ad", "ﬀ", "ﬁ", "…", "e\u0301",
         "\U0001d464", "Ａ"]


def test_a_character_that_folds_makes_any_text_holding_it_unnormalized() -> None:
    """The premise of ``key``'s shortcut, checked on every code point: a character that NFKC
    changes on its own (other than the punctuation folded by table) never occurs in
    NFKC-normalized text, so folding such text character by character changes only its
    punctuation."""
    for cp in range(0x110000):
        ch = chr(cp)
        if 0xD800 <= cp <= 0xDFFF or ch in _PUNCTUATION_FOLD or _fold_char(ch) == ch:
            continue
        for text in (ch, "a" + ch, ch + "a", "e" + ch + "\u0301"):
            assert not unicodedata.is_normalized("NFKC", text), hex(cp)


def test_key_equals_the_character_by_character_view_on_random_and_corpus_text() -> None:
    rnd = random.Random(41)
    for _ in range(6_000):
        alphabet = PROSE if rnd.random() < 0.7 else ALPHABET
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 80)))
        for fold in (True, False):
            assert key(text, fold) == reference_view(text, fold).text, repr(text)
        assert only_ignorable(text) == (strip_ignorable(text) == "")
    shared = require_shared()
    for name in ("eth-yellowpaper/v4.pdfjs-pages.json",
                 "music-esprit-thesis-it/v4.pdfjs-pages.json"):
        index = corpus_index(shared, name)
        text = index.source
        for _ in range(300):
            a = rnd.randrange(len(text))
            piece = text[a : a + rnd.randint(1, 600)]
            assert key(piece) == reference_view(piece).text


def test_run_measured_on_first_read_equals_run_measured_at_once() -> None:
    shared = require_shared()
    index = corpus_index(shared, "co519-logic-partD/v1.pdfjs-pages.json")
    view = index.view.text
    rnd = random.Random(42)
    for _ in range(1_500):
        a = rnd.randrange(40, len(view) - 400)
        m = rnd.randint(1, 200)
        quote = view[a : a + m]
        prefix = view[max(0, a - rnd.randint(0, 32)) : a]
        suffix = view[a + m : a + m + rnd.randint(0, 32)]
        if rnd.random() < 0.3:  # context that no longer agrees
            prefix, suffix = prefix[::-1], suffix[1:] + "x"
        q = Query(quote, quote, prefix, suffix, None)
        errors = 0 if rnd.random() < 0.7 else rnd.randint(1, 5)
        end = a + m + (0 if errors == 0 else rnd.randint(-1, 1))
        want = q.run_at(index, a, end, errors)
        match = q.evaluate(index, a, end, errors, Method.QUOTE)
        # other searches in between change the index's memo, not the answer
        index.find_exact(view[rnd.randrange(len(view) - 30) :][: rnd.randint(10, 30)])
        assert match.run == want
        assert match.run == want  # and the second read gives the same


def test_bmp_only_shortcuts_equal_the_measured_ones() -> None:
    rnd = random.Random(43)
    for _ in range(3_000):
        text = "".join(rnd.choice("ab é’\n") for _ in range(rnd.randint(0, 90)))
        start = rnd.randint(0, len(text))
        end = rnd.randint(start, len(text))
        assert describe_context(text, start, end, True) == describe_context(text, start, end)
        doc = DocumentText.from_page_texts([text[:5], text[5:]], model="pdfjs-2.11")
        for a, b in ((start, end), (end, start), (-1, end), (start, len(text) + 3)):
            pos = TextPosition(a, b)
            assert stored_span(doc, pos, True) == stored_span(doc, pos)


def test_decide_on_one_candidate_is_the_ranking_of_one() -> None:
    """A single candidate is accepted exactly when it has no objection; refused, it is the one
    rival and the objection is the reason."""
    shared = require_shared()
    index = corpus_index(shared, "co519-logic-partD/v1.pdfjs-pages.json")
    view = index.view.text
    rnd = random.Random(44)
    for _ in range(1_500):
        a = rnd.randrange(40, len(view) - 100)
        m = rnd.randint(1, 60)
        prefix = view[a - 20 : a] if rnd.random() < 0.6 else "zzzzqqqqzzzz"
        q = Query(view[a : a + m], view[a : a + m], prefix, "", rnd.choice([None, a + 7]))
        c = q.evaluate(index, a, a + m, rnd.choice([0, 0, 1, 3]), Method.QUOTE)
        verdict = decide([c], q, DEFAULT_OPTIONS)
        why = objection(c, q, DEFAULT_OPTIONS)
        if why is None:
            assert (verdict.best, verdict.rivals, verdict.ambiguous, verdict.reason) == (
                c, (), False, None)
        else:
            assert (verdict.best, verdict.rivals, verdict.ambiguous, verdict.reason) == (
                None, (c,), False, why)


def test_exact_search_finds_every_occurrence() -> None:
    """``find_exact`` (the index's rarest-gram search) against a plain scan of the view, on
    needles cut from corpus text (some repeated, some mutated) of every indexed length."""
    from tether.resolve.index import MIN_INDEXED_NEEDLE, find_all

    shared = require_shared()
    index = corpus_index(shared, "co519-logic-partD/v1.pdfjs-pages.json")
    view = index.view.text
    rnd = random.Random(45)
    for _ in range(4_000):
        a = rnd.randrange(len(view) - 400)
        needle = view[a : a + rnd.randint(MIN_INDEXED_NEEDLE, 300)]
        if rnd.random() < 0.2:
            k = rnd.randrange(len(needle))
            needle = needle[:k] + rnd.choice("x∀ ") + needle[k + 1 :]
        assert index.find_exact(needle) == find_all(view, needle)
        assert index.occurs_more_than_once(needle) == (len(find_all(view, needle)) > 1)
