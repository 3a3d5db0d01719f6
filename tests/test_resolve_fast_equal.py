"""The resolver's C-level shortcuts give exactly what the plain Python they replace gives.

Speed work (issue 6) replaced Python loops by string operations; each shortcut is compared here
with the straightforward version it replaced (kept below as the reference), on random strings
built from the characters that matter (ignorables, foldable typography, astral characters,
visible C0 codes) and on real corpus texts.
"""

from __future__ import annotations

import json
import random
from array import array

from conftest import require_shared
from tether.resolve.normalize import (
    _IGNORABLE_RUN,
    _KEPT_RUN,
    IGNORABLE_CODE_POINTS,
    KeyView,
    _fold_char,
    _needs_fold,
    build_view,
    key,
    strip_ignorable,
)

ALPHABET = [*"ab cd.\t\n\r\x0b\x0c", "\xa0", "\u00ad", "\u200b", "\u2060", "\ufeff", "\u3000",
            "\x1c", "\x1f", "ﬁ", "’", "“", "—", "é", "e\u0301", "\U0001d400", "Ａ", "…", "\u0345"]


def reference_view(source: str, fold: bool = True) -> KeyView:
    """``build_view`` as it was before the speed work: one regex match per kept run."""
    parts: list[str] = []
    run_view, run_source, run_step = array("q"), array("q"), array("b")
    view_len = 0
    next_source = -1

    def add(text: str, at: int, one_to_one: bool) -> None:
        nonlocal view_len, next_source
        if not (one_to_one and at == next_source):
            run_view.append(view_len)
            run_source.append(at)
            run_step.append(1 if one_to_one else 0)
        parts.append(text)
        view_len += len(text)
        next_source = at + len(text) if one_to_one else -1

    for m in _KEPT_RUN.finditer(source):
        run, a = m.group(), m.start()
        if not fold or not _needs_fold(run):
            add(run, a, True)
            continue
        for i, ch in enumerate(run):
            f = _fold_char(ch)
            if f:
                add(f, a + i, len(f) == 1)
    return KeyView("".join(parts), run_view, run_source, run_step, len(source))


def assert_same_view(source: str, fold: bool) -> None:
    got, want = build_view(source, fold), reference_view(source, fold)
    assert got.text == want.text
    assert (got.run_view, got.run_source, got.run_step) == (want.run_view, want.run_source,
                                                           want.run_step)
    assert got.source_length == want.source_length


def test_str_split_differs_from_the_ignorable_set_only_where_strip_ignorable_checks() -> None:
    spaces = {c for c in range(0x110000) if chr(c).isspace()}
    assert spaces - IGNORABLE_CODE_POINTS == {0x1C, 0x1D, 0x1E, 0x1F}
    assert IGNORABLE_CODE_POINTS - spaces == {0xAD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF}


def test_strip_key_and_view_equal_the_reference_on_random_strings() -> None:
    rnd = random.Random(6)
    for _ in range(8_000):
        text = "".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(0, 24)))
        assert strip_ignorable(text) == _IGNORABLE_RUN.sub("", text), repr(text)
        for fold in (True, False):
            assert_same_view(text, fold)
            assert key(text, fold) == reference_view(text, fold).text


def test_view_equals_the_reference_on_corpus_texts() -> None:
    shared = require_shared()
    files = sorted((shared / "corpus").rglob("*.pdfjs-pages.json"))[:6]
    assert files
    for f in files:
        pages = sorted(json.loads(f.read_text(encoding="utf-8"))["pages"],
                       key=lambda p: p["index"])
        text = "".join(p["text"] for p in pages)
        for fold in (True, False):
            assert_same_view(text, fold)


def corpus_index(shared, name: str):  # type: ignore[no-untyped-def]
    from tether.resolve.index import DocumentIndex
    from tether.textmodel.model import DocumentText

    path = shared / "corpus" / "versions" / name
    return DocumentIndex(DocumentText.from_pdfjs_pages_json(path.read_text(encoding="utf-8")))


def mutated(rnd: random.Random, text: str, extra: str) -> str:
    """A random stretch of ``text`` with a few characters replaced (some never in the text)."""
    a = rnd.randrange(max(1, len(text) - 50))
    chars = list(text[a : a + rnd.randint(0, 600)])
    for _ in range(rnd.randint(0, 30)):
        if chars:
            chars[rnd.randrange(len(chars))] = rnd.choice(extra)
    return "".join(chars)


def test_numpy_votes_give_the_same_regions_as_the_dict_of_postings() -> None:
    shared = require_shared()
    rnd = random.Random(5)
    for name in ("eth-yellowpaper/v4.pdfjs-pages.json", "co519-logic-partD/v1.pdfjs-pages.json"):
        fast = corpus_index(shared, name)
        slow = corpus_index(shared, name)
        slow.__dict__["gram_keys"] = None  # the dict path (no numpy)
        assert fast.gram_keys is not None
        text = fast.view.text
        for _ in range(300):
            needle = mutated(rnd, text, "xyz€ж\U0001d400" + text[:40])
            origin = rnd.randint(0, min(40, len(needle)))
            end = origin + rnd.randint(0, max(0, len(needle) - origin))
            tolerance = rnd.choice((0, 8, 20, 100))
            got = fast.regions(needle, origin, end, tolerance)
            want = slow.regions(needle, origin, end, tolerance)
            assert got == want
            assert [r.ends() for r in got] == [r.ends() for r in want]


def test_alignment_on_document_codes_equals_the_alignment_on_strings() -> None:
    from tether.resolve.align import best_alignment, best_alignment_by_ends

    shared = require_shared()
    index = corpus_index(shared, "eth-yellowpaper/v4.pdfjs-pages.json")
    keys = index.gram_keys
    assert keys is not None
    text = index.view.text
    rnd = random.Random(8)
    for _ in range(400):
        quote = mutated(rnd, text, "xyz€ж" + text[:40]) or "x"
        lo = rnd.randrange(len(text) - 800)
        hi = lo + rnd.randint(1, 800)
        k = rnd.randint(0, len(quote))
        start = rnd.randint(0, hi - lo)
        coded = (keys.code(quote), keys.view_codes[lo:hi])
        assert best_alignment(quote, text[lo:hi], k, start, coded) == best_alignment(
            quote, text[lo:hi], k, start)
        head, tail = rnd.randint(lo, hi), rnd.randint(lo, hi) + len(quote)
        assert best_alignment_by_ends(quote, text, head, tail, 20, k,
                                      (keys.code(quote), keys.view_codes)) == \
            best_alignment_by_ends(quote, text, head, tail, 20, k)


def reference_blocks(quote: str, view: str, lo: int, hi: int) -> list[tuple[int, int, int]]:
    """``blocks.matching_blocks`` (was ``chain._blocks``) as it was before the speed work
    (every block, however short)."""
    from rapidfuzz.distance import LCSseq

    def view_end(block: tuple[int, int, int]) -> int:
        return block[2] + block[1] - block[0]

    out: list[tuple[int, int, int]] = []
    for op in LCSseq.opcodes(quote, view[lo:hi]):
        if op.tag != "equal":
            continue
        qa, qb, va = op.src_start, op.src_end, lo + op.dest_start
        while qa > 0 and va > lo and quote[qa - 1] == view[va - 1]:
            qa, va = qa - 1, va - 1
        while out and (out[-1][1] > qa or view_end(out[-1]) > va):
            last = out[-1]
            if last[1] - last[0] < qb - qa:
                out.pop()
                continue
            cut = max(last[1] - qa, view_end(last) - va)
            qa, va = qa + cut, va + cut
            break
        if qa < qb:
            out.append((qa, qb, va))
    return out


def test_chain_blocks_leaving_out_short_ones_keep_every_long_one() -> None:
    from tether.resolve.blocks import matching_blocks as _blocks
    from tether.resolve.chain import PIECE_LEN

    rnd = random.Random(4)
    for _ in range(6_000):
        alphabet = rnd.choice(("ab", "abc", "abcdefgh", "abcdefghijklmnopqrstuvwxyz "))
        base = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 120)))
        chars = list(base[rnd.randint(0, 20) :])
        for _ in range(rnd.randint(0, 15)):
            if chars:
                chars[rnd.randrange(len(chars))] = rnd.choice(alphabet + "XY")
        quote = "".join(chars)
        noise = [
            "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30))) for _ in range(2)]
        view = noise[0] + base + noise[1]
        lo = rnd.randint(0, len(view))
        hi = rnd.randint(lo, len(view))
        want = reference_blocks(quote, view, lo, hi)
        assert _blocks(quote, view, lo, hi) == want
        for shortest in (PIECE_LEN, rnd.randint(1, 12)):
            assert [b for b in _blocks(quote, view, lo, hi, shortest)
                    if b[1] - b[0] >= shortest] == [b for b in want if b[1] - b[0] >= shortest]


def test_occurs_more_than_once_shortcut_agrees_with_counting() -> None:
    shared = require_shared()
    index = corpus_index(shared, "co519-logic-partD/v1.pdfjs-pages.json")
    text = index.view.text
    rnd = random.Random(9)
    for _ in range(3_000):
        a = rnd.randrange(len(text) - 60)
        first = text[a : a + rnd.randint(1, 30)]
        index.find_exact(first)  # primes the shortcut when ``first`` is unique
        lo = max(0, a - rnd.randint(0, 20))
        around = text[lo : a + len(first) + rnd.randint(0, 20)]
        other = text[rnd.randrange(len(text) - 40) :][: rnd.randint(1, 40)]
        for needle in (around, other):
            assert index.occurs_more_than_once(needle) == (len(index.find_exact(needle)) > 1)


def test_context_similarity_shortcuts_equal_the_windowed_comparison() -> None:
    """``prefix_similarity`` / ``suffix_similarity`` return 1.0 at once when the stored side
    agrees exactly, and ``common_end`` / ``common_start`` the whole overlap: the same values
    the full comparisons give."""
    from tether.resolve import evidence as ev

    def reference_common_end(stored: str, view: str, at: int) -> int:
        n = 0
        while n < min(len(stored), at) and stored[len(stored) - 1 - n] == view[at - 1 - n]:
            n += 1
        return n

    def reference_common_start(stored: str, view: str, at: int) -> int:
        n = 0
        while n < min(len(stored), len(view) - at) and stored[n] == view[at + n]:
            n += 1
        return n

    rnd = random.Random(10)
    for _ in range(20_000):
        view = "".join(rnd.choice("abc") for _ in range(rnd.randint(0, 40)))
        at = rnd.randint(0, len(view))
        stored = "".join(rnd.choice("abc") for _ in range(rnd.randint(1, 12)))
        if rnd.random() < 0.5:  # often an exact agreement, the shortcut's case
            stored = view[max(0, at - len(stored)) : at] or stored
        window = view[max(0, at - len(stored) - ev.CONTEXT_SLACK) : at]
        want = ev._best_similarity(
            stored, [window[len(window) - k :] for k in ev._lengths(stored, window)])
        assert ev.prefix_similarity(stored, view, at) == want
        window = view[at : at + len(stored) + ev.CONTEXT_SLACK]
        want = ev._best_similarity(stored, [window[:k] for k in ev._lengths(stored, window)])
        assert ev.suffix_similarity(stored, view, at) == want
        assert ev.common_end(stored, view, at) == reference_common_end(stored, view, at)
        assert ev.common_start(stored, view, at) == reference_common_start(stored, view, at)


def test_lcs_bound_changes_no_answer_on_edited_and_deleted_corpus_passages(monkeypatch) -> None:
    """Step 3 skips the alignments ``align.cannot_align`` rules out (before a whole-window
    alignment, an alignment by ends, and a long quote's region as a whole): every answer is
    the same as with nothing skipped, on edited, cut and replaced passages of a corpus text."""
    from tether.offsets import OffsetUnit
    from tether.resolve import align, fuzzy
    from tether.resolve.cascade import Resolver  # pure: what the patches reach
    from tether.selectors import Annotation, TextPosition, TextQuote
    from tether.textmodel.model import DocumentText

    shared = require_shared()
    path = shared / "corpus" / "versions" / "eth-yellowpaper/v4.pdfjs-pages.json"
    doc = DocumentText.from_pdfjs_pages_json(path.read_text(encoding="utf-8"))
    text = doc.text
    rnd = random.Random(11)
    annotations = []
    for k in range(160):
        a = rnd.randrange(40, len(text) - 900)
        b = a + rnd.randint(60, 700)
        exact = list(text[a:b])
        kind = k % 4
        if kind == 0:  # a few characters edited
            for _ in range(rnd.randint(1, len(exact) // 12)):
                exact[rnd.randrange(len(exact))] = rnd.choice("xyz .0")
        elif kind == 1:  # a stretch cut out
            c = rnd.randrange(len(exact))
            del exact[c : c + rnd.randint(5, len(exact) // 2)]
        elif kind == 2:  # most of it replaced by text from elsewhere (a deleted passage)
            c = rnd.randrange(len(text) - len(exact))
            keep = rnd.randint(0, len(exact) // 2)
            exact = exact[:keep] + list(text[c : c + len(exact) - keep])
        else:  # words shuffled
            words = "".join(exact).split(" ")
            rnd.shuffle(words)
            exact = list(" ".join(words))
        annotations.append(Annotation(
            id=str(k), quote=TextQuote("".join(exact) or "x", text[a - 32 : a],
                                       text[b : b + 32]),
            position=TextPosition(doc.to_utf16(a), doc.to_utf16(b), OffsetUnit.UTF16)))

    def answers() -> list:
        resolver = Resolver(doc)
        assert resolver.index.gram_keys is not None  # numpy votes and codes from the start
        return [r.to_dict() for r in map(resolver.resolve, annotations)]

    with_bound = answers()
    monkeypatch.setattr(align, "cannot_align", lambda *args: False)
    monkeypatch.setattr(fuzzy, "cannot_align", lambda *args: False)
    assert answers() == with_bound
    statuses = {r["status"] for r in with_bound}
    assert {"fuzzy", "orphaned"} <= statuses
