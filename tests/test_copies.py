"""Copies the landmarks show were already there (:mod:`tether.resolve.copies`), on a real update.

eth-yellowpaper v2 → v3 with the note of 150 annotations sampled on v2 (fixtures/updates) and
one more, DEV's ``short:s12-263``: "rewards a nom-inated" in the definition of Ω that v3
deleted. The same phrase, prefix and all, stands in v2's introduction too (without the
hyphen), and v3 kept it there, so the cascade anchors the introduction's copy (``fuzzy``: one
hyphen less) — a wrong anchor. The note's landmarks around the introduction kept their order
and the text between them its length, and the stored position lies far outside them: the old
version already had that copy. Each test changes one thing (the rule off, text moved into the
bracket, the stored position) and checks the rule reacts, so it fails if a condition stops
working.
"""

from __future__ import annotations

import dataclasses

import pytest

from conftest import FIXTURES, version_pages
from tether.formats import load_annotations
from tether.offsets import OffsetUnit, Utf16Index
from tether.resolve import Resolver, Status
from tether.resolve.copies import CopyRules, preexisting_copies
from tether.resolve.options import ResolveOptions
from tether.selectors import Annotation, TextPosition, TextQuote
from tether.textmodel.model import DocumentText

pytestmark = pytest.mark.corpus

NOTE = FIXTURES / "updates" / "eth-yellowpaper" / "v2.md"
QUOTE = "rewards a nom-inated"
#: Where v3 keeps the introduction's copy, "rewards a nominated" (UTF-16 = code points here).
COPY = (9244, 9263)
#: The note's landmarks around that copy (chain neighbours whose quotes occur once in v3).
BRACKET = ("8pvb94m3oto", "m2qrmi62qei")


def _pages(version: int) -> list[str]:
    return version_pages("eth-yellowpaper", version)


def _doc(pages: list[str]) -> DocumentText:
    return DocumentText.from_page_texts(pages, model="pdfjs-2.11")


@pytest.fixture(scope="module")
def new_pages() -> list[str]:
    return _pages(3)


@pytest.fixture(scope="module")
def note() -> list[Annotation]:
    """The v2 note, and the deleted definition's annotation made on v2's text (its stored
    position, context and the note's fingerprint)."""
    anns = list(load_annotations(NOTE).annotations)
    old = _doc(_pages(2)).text
    at = old.index(QUOTE)  # the definition (the introduction's copy has no hyphen)
    assert old.index("rewards a nominated party") < at
    utf16 = Utf16Index(old)
    gone = Annotation("gone", TextQuote(QUOTE, old[at - 32 : at],
                                       old[at + len(QUOTE) : at + len(QUOTE) + 32]),
                      TextPosition(int(utf16.to_utf16(at)), int(utf16.to_utf16(at + len(QUOTE)))),
                      fingerprint=anns[0].fingerprint)
    return [*anns, gone]


def _gone(results):
    return next(r for r in results if r.id == "gone")


def test_a_copy_the_old_version_had_is_refused(new_pages, note) -> None:
    r = Resolver(_doc(new_pages))
    # Without the rule (and one at a time): the wrong anchor on the introduction's copy.
    r_off = Resolver(_doc(new_pages), ResolveOptions(preexisting_copies=None))
    off = _gone(r_off.resolve_all(note))
    assert off.status == Status.FUZZY and off.span(OffsetUnit.UTF16) == COPY
    assert r.resolve(note[-1]).status == Status.FUZZY

    results = r.resolve_all(note)
    res = _gone(results)
    assert res.status == Status.ORPHANED
    assert [c.span(OffsetUnit.UTF16) for c in res.rivals] == [COPY]  # shown, not anchored
    assert res.reason is not None and "already had this copy" in res.reason
    first, second = res.reason.split("'")[1], res.reason.split("'")[3]
    assert (first, second) == BRACKET
    # The landmarks it names are anchored annotations of the note, on either side of the copy.
    spans = {x.id: x.span(OffsetUnit.UTF16) for x in results if x.status.is_anchored}
    assert spans[first][1] <= COPY[0] and COPY[1] <= spans[second][0]
    # Nothing else changes: every other answer is the one the rule-less run gives.
    without = r_off.resolve_all(note)
    assert [x for x in results if x.id != "gone"] == [x for x in without if x.id != "gone"]


def test_a_bracket_that_grew_by_the_quote_is_not_judged(new_pages, note) -> None:
    """60 characters inserted between the landmarks, before the copy (as a passage moved
    there would add them): the copy may now be the passage, so it stays anchored."""
    pages = list(new_pages)
    page = next(n for n, text in enumerate(pages) if "rewards a nominated party" in text)
    text = pages[page]
    at = text.rindex(". ", 0, text.index("rewards a nominated party") - 200) + 2
    pages[page] = text[:at] + "A sentence of sixty characters went in here, as moved text. " + \
        text[at:]
    res = _gone(Resolver(_doc(pages)).resolve_all(note))
    assert res.status == Status.FUZZY
    assert res.span(OffsetUnit.UTF16) == (COPY[0] + 60, COPY[1] + 60)


def test_a_stored_position_inside_the_bracket_is_not_judged(new_pages, note) -> None:
    """The same annotation stored where v2's introduction holds the phrase: the bracket's old
    text holds the stored position, so the copy may be the passage."""
    old = _doc(_pages(2)).text
    at = old.index("rewards a nominated party")
    moved = dataclasses.replace(note[-1], position=TextPosition(at, at + len(QUOTE)))
    res = _gone(Resolver(_doc(new_pages)).resolve_all([*note[:-1], moved]))
    assert res.status.is_anchored and res.span(OffsetUnit.UTF16) == COPY


def test_the_numbers_decide(new_pages, note) -> None:
    """The finding itself (the pure function): the bracket lost 24 units of 2,591 (the v3
    reflow); a growth limit that excludes it, or a quote floor above the quote, flags none."""
    r = Resolver(_doc(new_pages))
    single = [r.resolve(a) for a in note]
    found = preexisting_copies(single, r.index.source, occurs_once=r._occurs_once)
    assert [(f.index, f.before.id, f.after.id, f.old_gap, f.growth, f.length)
            for f in found] == [(len(note) - 1, *BRACKET, 2591, -24, 19)]
    for rules in (CopyRules(max_shrink_share=1.0, max_shrink_gap=0.0),
                  CopyRules(min_quote=19)):
        assert preexisting_copies(single, r.index.source, rules) == []


def test_migrate_refuses_the_copy_too(new_pages, note) -> None:
    """``migrate`` runs the same whole-note pass; when its answer came from the cascade (here:
    the stored position, one unit off, does not hold the quote in OLD, so the alignment cannot
    carry it), the copy is refused there too — it used to stop migrate with an internal error
    (the refusal was taken for a landmark placement)."""
    from tether.migrate.core import Migrator

    old = _doc(_pages(2))
    *others, gone = note
    pos = gone.position
    assert pos is not None
    shifted = dataclasses.replace(gone, position=TextPosition(pos.start + 1, pos.end + 1))
    out = Migrator(old, _doc(new_pages)).migrate_all([*others, shifted])
    res = out[-1]
    assert res.evidence.source == "cascade"
    assert res.resolution.status == Status.ORPHANED
    assert res.resolution.reason is not None and "already had this copy" in res.resolution.reason
