"""The verbatim lane of session 5 (issue 6) gives exactly what it replaced.

Each shortcut is compared with the computation it skips: ``strip_ignorable`` on bytes (ASCII)
and by ``str.replace`` (printable text), ``key_pair`` (both context sides keyed in one pass),
``Resolver._found_once`` (a verbatim quote found once with agreeing context, resolved
without ``Query`` / ``Match`` / ``Verdict``) against the general path on every annotation of
the real update pairs (Suite A) and on quotes cut from corpus text and moved, and
``KeyView``'s block-narrowed bisections against the plain ones.
"""

from __future__ import annotations

import bisect
import random
import unicodedata

import pytest
from test_resolve_fast_equal import ALPHABET
from test_resolve_verbatim_fast import PROSE

from conftest import FIXTURES, require_shared
from tether.formats import load_annotations
from tether.offsets import OffsetUnit
from tether.resolve.cascade import Resolver
from tether.resolve.describe import moved_reason
from tether.resolve.normalize import (
    _IGNORABLE_RUN,
    _PUNCTUATION_FOLD,
    _PUNCTUATION_RE,
    IGNORABLE_CODE_POINTS,
    build_view,
    key,
    key_pair,
    strip_ignorable,
)
from tether.resolve.position import StoredSpan
from tether.selectors import Annotation, TextPosition, TextQuote
from tether.textmodel.model import DocumentText


def test_every_ignorable_character_but_the_space_is_unprintable() -> None:
    """The premise of ``strip_ignorable``'s printable shortcut (a printable text can hold no
    ignorable character other than U+0020), and of its ASCII one (the ASCII ignorables)."""
    assert " ".isprintable()
    assert all(not chr(cp).isprintable() for cp in IGNORABLE_CODE_POINTS if cp != 0x20)
    ascii_ignorable = {cp for cp in IGNORABLE_CODE_POINTS if cp < 0x80}
    assert ascii_ignorable == {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20}


def test_strip_ignorable_equals_the_regex_on_random_text() -> None:
    rnd = random.Random(51)
    for _ in range(10_000):
        alphabet = rnd.choice([ALPHABET, PROSE, [*"ab cd\t\n.\x1c"]])
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 60)))
        assert strip_ignorable(text) == _IGNORABLE_RUN.sub("", text), repr(text)


def test_key_pair_equals_two_keys() -> None:
    rnd = random.Random(52)
    for _ in range(6_000):
        alphabet = rnd.choice([ALPHABET, PROSE, [*"ab^ c’\x00"]])
        a, b = ("".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 40)))
                for _ in range(2))
        for fold in (True, False):
            assert key_pair(a, b, fold) == (key(a, fold), key(b, fold)), (a, b)


def _resolve_both(doc: DocumentText, annotations: list[Annotation]) -> int:
    """Resolve every annotation with the lane and without it (``_found_once`` answering None
    sends every annotation down the general path); assert equal answers; return how many the
    lane took."""
    fast, slow = Resolver(doc), Resolver(doc)
    slow._found_once = lambda *args: None  # type: ignore[method-assign]
    taken = 0
    original = fast._found_once

    def counting(*args):  # type: ignore[no-untyped-def]
        nonlocal taken
        out = original(*args)
        taken += out is not None
        return out

    fast._found_once = counting  # type: ignore[method-assign]
    for ann in annotations:
        a, b = fast.resolve(ann), slow.resolve(ann)
        assert a.to_dict() == b.to_dict(), ann.id
        assert (a.start, a.end, a.start_utf16, a.end_utf16, a.score, a.edit_distance) == (
            b.start, b.end, b.start_utf16, b.end_utf16, b.score, b.edit_distance), ann.id
    return taken


@pytest.mark.slow
def test_lane_equals_the_general_path_on_every_update_case() -> None:
    shared = require_shared()
    taken = 0
    for note in sorted((FIXTURES / "updates").glob("*/v*.md")):
        truths = sorted(note.parent.glob(f"{note.stem}-to-*.truth.json"))
        if not truths:
            continue
        new = truths[0].name.split("-to-")[1].split(".")[0]
        pages = shared / "corpus" / "versions" / note.parent.name / f"{new}.pdfjs-pages.json"
        doc = DocumentText.from_pdfjs_pages_json(pages.read_text(encoding="utf-8"))
        taken += _resolve_both(doc, list(load_annotations(note).annotations))
    assert taken >= 300  # the lane is the common case: it must actually be exercised


def test_lane_equals_the_general_path_on_moved_corpus_quotes() -> None:
    """Quotes cut from corpus text (with whitespace at their ends, repeated phrases, context
    edited or missing, stored position moved or absent), both paths."""
    shared = require_shared()
    rnd = random.Random(53)
    taken = 0
    for name in ("eth-yellowpaper/v4", "music-esprit-thesis-it/v4", "co519-logic-partD/v1"):
        path = shared / "corpus" / "versions" / f"{name}.pdfjs-pages.json"
        doc = DocumentText.from_pdfjs_pages_json(path.read_text(encoding="utf-8"))
        text = doc.text
        annotations = []
        for i in range(300):
            a = rnd.randrange(40, len(text) - 700)
            b = a + rnd.choice([rnd.randint(8, 40), rnd.randint(20, 600)])
            a -= rnd.random() < 0.2  # a quote that starts with the space before it
            prefix, suffix = text[a - 32 : a], text[b : b + 32]
            if rnd.random() < 0.2:
                prefix = prefix[:10] + "zz" + prefix[14:]
            if rnd.random() < 0.1:
                suffix = "qqqq" + suffix[4:]
            if rnd.random() < 0.1:
                prefix = ""
            shift = rnd.choice([0, 1, -3, 40, 2_000])
            lo, hi = (min(len(text), max(0, x + shift)) for x in (a, b))
            position = None if rnd.random() < 0.1 else TextPosition(doc.to_utf16(lo),
                                                                     doc.to_utf16(hi))
            annotations.append(Annotation(f"m{i}", TextQuote(text[a:b], prefix, suffix),
                                          position))
        taken += _resolve_both(doc, annotations)
    assert taken >= 300


def _plain_to_source(view, a: int, b: int) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """``KeyView.to_source`` as it was: two bisections over all runs."""
    k = bisect.bisect_right(view.run_view, a) - 1
    start = view.run_source[k] + (a - view.run_view[k]) * view.run_step[k]
    k = bisect.bisect_right(view.run_view, b - 1) - 1
    return start, view.run_source[k] + (b - 1 - view.run_view[k]) * view.run_step[k] + 1


def _plain_from_source(view, offset: int) -> int:  # type: ignore[no-untyped-def]
    """``KeyView.from_source`` as it was: one bisection over all runs."""
    k = bisect.bisect_right(view.run_source, offset) - 1
    if k < 0:
        return 0
    view_end = view.run_view[k + 1] if k + 1 < len(view.run_view) else len(view.text)
    step = view.run_step[k]
    source_end = view.run_source[k] + ((view_end - view.run_view[k]) if step else 1)
    if offset >= source_end:
        return view_end
    return view.run_view[k] + (offset - view.run_source[k]) * step


def _assert_blocks_equal_plain(view, rnd: random.Random, spans: int) -> None:  # type: ignore[no-untyped-def]
    n, m = len(view.text), view.source_length
    for offset in [*range(-2, min(m, 300) + 3), *(rnd.randint(0, m + 200) for _ in range(spans))]:
        assert view.from_source(offset) == _plain_from_source(view, offset), offset
    for _ in range(spans if n else 0):
        a = rnd.randrange(n)
        b = rnd.randint(a + 1, min(n, a + 700))
        assert view.to_source(a, b) == _plain_to_source(view, a, b), (a, b)


def test_block_narrowed_lookups_equal_the_plain_bisections() -> None:
    """``KeyView``'s block tables change no answer of ``to_source`` / ``from_source``: random
    texts (ignorables, expansions such as ``ﬁ``, folded punctuation) and corpus views."""
    rnd = random.Random(54)
    with_tables = 0
    for _ in range(1_000):
        text = "".join(rnd.choice(ALPHABET + [" " * 70, "word " * 20])
                       for _ in range(rnd.randint(0, 400)))
        for fold in (True, False):
            view = build_view(text, fold)
            with_tables += view.view_blocks is not None
            _assert_blocks_equal_plain(view, rnd, 40)
    assert with_tables > 200  # both kinds of view (with and without tables) were checked
    shared = require_shared()
    for name in ("eth-yellowpaper/v4", "music-esprit-thesis-it/v4", "co519-logic-partD/v1"):
        path = shared / "corpus" / "versions" / f"{name}.pdfjs-pages.json"
        doc = DocumentText.from_pdfjs_pages_json(path.read_text(encoding="utf-8"))
        _assert_blocks_equal_plain(build_view(doc.text), rnd, 5_000)


def test_moved_reason_spells_the_sign_like_the_format_spec() -> None:
    span = StoredSpan(1_000, 1_010, 1_000)
    for unit, name in ((OffsetUnit.CODE_POINT, "code point"), (OffsetUnit.UTF16, "UTF-16 unit")):
        for moved in (-1_000, -1, 0, 1, 122_456):
            names = name if abs(moved) == 1 else f"{name}s"
            assert moved_reason(span, moved, unit, 1) == f"the quote moved by {moved:+d} {names}"


def test_punctuation_folded_by_replace_equals_the_substitution() -> None:
    """``key`` of NFKC-normalized text folds each punctuation character found with one
    ``str.replace``; the substitution it replaced called the table once per match."""
    rnd = random.Random(55)
    marks = list(_PUNCTUATION_FOLD)
    for _ in range(6_000):
        text = "".join(rnd.choice(PROSE + marks) for _ in range(rnd.randint(0, 50)))
        kept = strip_ignorable(text)
        if kept.isascii() or not unicodedata.is_normalized("NFKC", kept):
            continue
        assert key(text) == _PUNCTUATION_RE.sub(lambda m: _PUNCTUATION_FOLD[m.group()], kept)
