"""``tether migrate`` (issue 8): carrying annotations across a PDF update with both versions.

Fast unit tests of the alignment and the span mapping (insertions before a span, edits inside,
deletion, a moved paragraph, a duplicated passage, non-BMP text with UTF-16 offsets, the time
guard), then the acceptance floors on the real update cases: per category, ``migrate`` does at
least as well as ``check`` (scored with :func:`tether.evaluate.score_answers`, exactly as
tests/test_update_cases.py scores ``check``) and anchors nothing wrongly.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, SHARED, require_shared
from tether.check import check_paths
from tether.evaluate import Answer, CategoryScore, load_truth, merge, score_answers, update_pairs
from tether.migrate import AlignOptions, Migrator, align_texts, map_span, migrate_document
from tether.migrate.alignment import DELETE, EQUAL, INSERT
from tether.migrate.core import change_reason
from tether.migrate.spanmap import Change
from tether.migrate.workflow import migrate_paths
from tether.offsets import OffsetUnit
from tether.resolve import Candidate, Status
from tether.resolve.result import Method
from tether.selectors import Annotation, TextPosition, TextQuote
from tether.textmodel.model import DocumentText

# ---------------------------------------------------------------------------------------------
# helpers

FILLER = ("The committee met on Tuesday to review the budget for the coming year. "
          "Several members raised concerns about the maintenance costs of the old bridge. ")
PARA = ("Annotations must stay tied to the words they highlight, even when the publisher "
        "sends a corrected version of the document. ")
TAIL = ("In the end the proposal was adopted with a narrow majority and a promise to revisit "
        "it after the summer recess. ")


def doc(*pages: str) -> DocumentText:
    return DocumentText.from_page_texts(list(pages), model="test")


def annotate(old: DocumentText, exact: str, occurrence: int = 0, *, ident: str = "a1",
             unit: OffsetUnit = OffsetUnit.UTF16) -> Annotation:
    """An annotation on the ``occurrence``-th copy of ``exact`` in ``old``, as Hypothesis
    would store it (offsets in ``unit``, 32 characters of context)."""
    start = -1
    for _ in range(occurrence + 1):
        start = old.text.index(exact, start + 1)
    end = start + len(exact)
    s, e = (old.to_utf16(start), old.to_utf16(end)) if unit == OffsetUnit.UTF16 else (start, end)
    quote = TextQuote(exact, old.text[max(0, start - 32):start], old.text[end:end + 32])
    return Annotation(ident, quote=quote, position=TextPosition(s, e, unit))


def migrate_one(old: DocumentText, new: DocumentText, ann: Annotation):
    return Migrator(old, new).migrate(ann)


def assert_valid(al) -> None:
    """Every EQUAL segment holds equal text; the segments cover both texts in order."""
    i = j = 0
    for s in al.segments:
        assert (s.old_start, s.new_start) == (i, j)
        if s.op == EQUAL:
            assert al.old[s.old_start:s.old_end] == al.new[s.new_start:s.new_end]
        elif s.op == DELETE:
            assert s.new_start == s.new_end
        else:
            assert s.op == INSERT and s.old_start == s.old_end
        i, j = s.old_end, s.new_end
    assert (i, j) == (len(al.old), len(al.new))


# ---------------------------------------------------------------------------------------------
# the alignment


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="ab 𝑥\n", max_size=60), st.text(alphabet="abc 𝑥", max_size=60))
def test_alignment_is_always_a_valid_diff(old, new):
    assert_valid(align_texts(old, new))


def test_identical_and_empty_texts():
    al = align_texts(PARA, PARA)
    assert al.stats.kept_chars == len(PARA) and al.stats.complete
    assert [s.op for s in al.segments] == [EQUAL]
    assert_valid(align_texts("", PARA))
    assert_valid(align_texts(PARA, ""))


def test_time_guard_splits_at_unique_anchors_then_gives_up_cleanly():
    old = FILLER * 3 + PARA + TAIL
    new = FILLER * 3 + "A new sentence appears here. " + PARA.replace("corrected", "revised") \
        + TAIL
    # An LCS over more than 100 cells "would not fit": stretches are cut at unique tokens.
    slow = align_texts(old, new, AlignOptions(cells_per_second=1.0, free_cells=100))
    assert_valid(slow)
    assert slow.stats.token_splits >= 1 and slow.stats.kept_chars > 0.9 * len(old)
    # No time at all: everything not trivially small is left as a replacement — still valid.
    none = align_texts(old, new, AlignOptions(max_seconds=0.0, free_cells=0))
    assert_valid(none)
    assert not none.stats.complete and none.stats.to_dict()["complete"] is False
    assert none.stats.regions_skipped + none.stats.token_given_up > 0


def test_a_long_surviving_run_is_not_dropped_as_chance():
    old = "Xq zv wk ab cd: P ∧QP ∧e1P ∧QQ ∧e2 then rule for all yy tt uu."
    new = "Completely different words here: P ∧QP ∧e1P ∧QQ ∧e2 Using equation three now."
    al = align_texts(old, new)
    m = map_span(al, old.index("P ∧QP"), old.index("P ∧QP") + len("P ∧QP ∧e1P ∧QQ ∧e2"))
    assert m.kept_fraction == 1.0


# ---------------------------------------------------------------------------------------------
# mapping spans and deciding


def test_insertion_before_the_span_moves_it():
    old = doc(FILLER, PARA + TAIL)
    new = doc("A brand new opening sentence was added. " + FILLER, PARA + TAIL)
    r = migrate_one(old, new, annotate(old, PARA.strip()))
    res = r.resolution
    assert res.status == Status.DRIFTED and r.evidence.source == "alignment"
    assert new.text[res.start:res.end] == PARA.strip()
    assert res.start_utf16 == new.to_utf16(res.start) and res.page == 1
    assert r.evidence.changes == ()


def test_unchanged_position_is_anchored():
    old = doc(FILLER + PARA + TAIL)
    new = doc(FILLER + PARA + TAIL.replace("summer", "winter"))
    r = migrate_one(old, new, annotate(old, PARA.strip()))
    assert r.resolution.status == Status.ANCHORED
    assert r.resolution.method is not None and r.resolution.method.value == "position"


def test_edit_inside_the_span_is_fuzzy_with_the_changes():
    old = doc(FILLER + PARA + TAIL)
    new = doc(FILLER + PARA.replace("a corrected version", "an amended version") + TAIL)
    r = migrate_one(old, new, annotate(old, PARA.strip()))
    res = r.resolution
    assert res.status == Status.FUZZY and r.evidence.source == "alignment"
    assert new.text[res.start:res.end] == PARA.replace("a corrected", "an amended").strip()
    ops = [(c.op, c.text) for c in r.evidence.changes]
    assert ops == [("delete", "a corrected"), ("insert", "an amended")]
    assert "'a corrected'→'an amended'" in res.reason
    assert r.evidence.to_dict()["changes"] == [{"op": "delete", "text": "a corrected"},
                                               {"op": "insert", "text": "an amended"}]


def test_span_starting_on_a_replaced_word_takes_the_replacement():
    old = doc(FILLER + "Annotations must stay tied. " + TAIL)
    new = doc(FILLER + "Highlights must stay tied. " + TAIL)
    r = migrate_one(old, new, annotate(old, "Annotations must stay tied."))
    assert r.resolution.exact == "Highlights must stay tied."


def test_deleted_passage_is_refused_although_its_neighbours_map():
    old = doc(FILLER + PARA + TAIL)
    new = doc(FILLER + TAIL)
    r = migrate_one(old, new, annotate(old, PARA.strip()))
    assert not r.resolution.status.is_anchored
    assert r.evidence.kept == 0.0


def test_deleted_copy_of_a_duplicated_passage_is_refused_not_sent_to_the_other_copy():
    """OLD holds the passage twice; the annotated (second) copy is deleted. The first copy is
    still in NEW, but it is *another* passage: the alignment vetoes the cascade's find."""
    old = doc(FILLER + PARA + TAIL + FILLER + PARA + TAIL)
    new = doc(FILLER + PARA + TAIL + FILLER + TAIL)
    r = migrate_one(old, new, annotate(old, PARA.strip(), occurrence=1))
    assert r.resolution.status == Status.ORPHANED and r.evidence.source == "alignment"
    assert "elsewhere" in r.resolution.reason and len(r.resolution.rivals) == 1
    # ... and the first copy, kept, still migrates to itself.
    first = migrate_one(old, new, annotate(old, PARA.strip(), occurrence=0)).resolution
    assert first.status.is_anchored and first.start == new.text.index(PARA.strip())


def test_moved_paragraph_is_found_at_its_new_place():
    moved = ("This paragraph about spectral estimation of harmonics was moved to the end of "
             "the chapter by the author. ")
    old = doc(FILLER + moved + TAIL + FILLER.upper() + TAIL.upper())
    new = doc(FILLER + TAIL + FILLER.upper() + TAIL.upper() + moved)
    r = migrate_one(old, new, annotate(old, moved.strip()))
    res = r.resolution
    assert res.status.is_anchored and res.exact == moved.strip()
    assert res.start == new.text.index(moved)


def test_moved_and_edited_paragraph_is_reported_as_moved():
    moved = ("This paragraph about spectral estimation of harmonics was moved to the end of "
             "the chapter by the author. ")
    old = doc(FILLER + moved + TAIL + FILLER.upper() + TAIL.upper())
    new = doc(FILLER + TAIL + FILLER.upper() + TAIL.upper() + moved.replace("the author",
                                                                             "its author"))
    r = migrate_one(old, new, annotate(old, moved.strip()))
    assert r.resolution.status == Status.FUZZY and r.evidence.moved
    assert r.resolution.start == new.text.index("This paragraph about spectral")


def test_move_detection_needs_one_new_nearly_verbatim_place():
    """The rule behind ``moved`` when the cascade itself refuses (its context disagrees on both
    sides): exactly one candidate, in new text, ≥ 90 % like a distinctive quote."""
    moved = ("This paragraph about spectral estimation of harmonics was moved to the end of "
             "the chapter by the author. ")
    old = doc(FILLER + moved + TAIL + FILLER.upper())
    new = doc(FILLER + TAIL + FILLER.upper() + moved.replace("the author", "its author")
              + moved.replace("spectral", "modal").replace("harmonics", "modes"))
    ann = annotate(old, moved.strip())
    mg = Migrator(old, new)
    span = (old.text.index(moved), old.text.index(moved) + len(moved.strip()))

    def cand(text: str) -> Candidate:
        s = new.text.index(text)
        return Candidate(s, s + len(text), new.to_utf16(s), new.to_utf16(s + len(text)),
                         new.page_of(s), 0.5, text)

    close = cand(moved.replace("the author", "its author").strip())
    far = cand(moved.replace("spectral", "modal").replace("harmonics", "modes").strip())
    found = mg._moved(ann, span, [far, close], 0.0)
    assert found is not None and found.evidence.moved and found.evidence.source == "alignment"
    assert found.resolution.status == Status.FUZZY and found.resolution.start == close.start
    assert [(c.op, c.text) for c in found.evidence.changes] == [("delete", "the"),
                                                               ("insert", "its")]
    assert mg._moved(ann, span, [far], 0.0) is None  # only 80 % alike
    assert mg._moved(ann, span, [far, close, far], 0.0) is not None  # far does not count
    # two separate new places as alike: not evidence of one move
    copy = moved.replace("the author", "an author")
    new2 = doc(new.text + copy)
    mg2 = Migrator(old, new2)
    s2 = new2.text.index(copy)
    second = Candidate(s2, s2 + len(copy.strip()), s2, s2 + len(copy.strip()), 0, 0.5,
                       copy.strip())
    assert mg2._moved(ann, span, [close], 0.0) is not None
    assert mg2._moved(ann, span, [close, second], 0.0) is None
    # a place that is OLD's own text from elsewhere (a look-alike) is no move either
    filler = cand(FILLER.strip())
    assert mg._lookalike(filler.start, filler.end, span, moved) is not None
    short = annotate(old, "spectral estimation")
    assert mg._moved(short, span, [close], 0.0) is None


def test_non_bmp_text_utf16_offsets():
    """Math letters count 2 UTF-16 units: stored offsets are read in UTF-16 from OLD and the
    resolved ones are written in UTF-16 for NEW, with non-BMP text inserted before the span."""
    old = doc("Let 𝑥 and 𝑦 be reals. ", "We prove 𝑥 + 𝑦 ≥ 2√(𝑥𝑦) for all 𝑥 > 0 by squaring.")
    new = doc("Let 𝑥, 𝑦 and 𝑧 be positive reals. ",
              "We prove 𝑥 + 𝑦 ≥ 2√(𝑥𝑦) for all 𝑥 > 0 by squaring twice.")
    ann = annotate(old, "𝑥 + 𝑦 ≥ 2√(𝑥𝑦) for all 𝑥 > 0")
    assert ann.position.start == old.to_utf16(old.text.index("𝑥 + 𝑦")) \
        != old.text.index("𝑥 + 𝑦")
    r = migrate_one(old, new, ann)
    res = r.resolution
    assert res.status == Status.DRIFTED and r.evidence.source == "alignment"
    start = new.text.index("𝑥 + 𝑦")
    assert (res.start, res.end) == (start, start + len("𝑥 + 𝑦 ≥ 2√(𝑥𝑦) for all 𝑥 > 0"))
    assert res.span(OffsetUnit.UTF16) == (new.to_utf16(res.start), new.to_utf16(res.end))
    assert res.span(OffsetUnit.UTF16)[0] - res.start == 3  # 𝑥, 𝑦, 𝑧 before it
    # the same annotation stored in code points (W3C) lands on the same span
    cp = migrate_one(old, new, annotate(old, "𝑥 + 𝑦 ≥ 2√(𝑥𝑦) for all 𝑥 > 0",
                                        unit=OffsetUnit.CODE_POINT)).resolution
    assert (cp.start, cp.end) == (res.start, res.end)


def test_the_move_is_told_in_the_unit_of_the_stored_offsets():
    """The table shows "stored → resolved (UTF-16)"; the reason's "moved by" must be that
    difference, in that unit (on the Italian thesis, 16 math letters before a passage made a
    +1237-unit move read "moved by +1221 code points"), and in code points for W3C."""
    old = doc("Let 𝑥 and 𝑦 be reals. ", "We prove 𝑥 + 𝑦 ≥ 2√(𝑥𝑦) for all 𝑥 > 0 by squaring.")
    new = doc("Let 𝑥, 𝑦 and 𝑧 be positive reals. ",
              "We prove 𝑥 + 𝑦 ≥ 2√(𝑥𝑦) for all 𝑥 > 0 by squaring twice.")
    quote = "𝑥 + 𝑦 ≥ 2√(𝑥𝑦) for all 𝑥 > 0"
    for unit, moved in ((OffsetUnit.UTF16, "+13 UTF-16 units"),
                        (OffsetUnit.CODE_POINT, "+12 code points")):
        ann = annotate(old, quote, unit=unit)
        res = migrate_one(old, new, ann).resolution
        assert res.status == Status.DRIFTED
        assert res.span(unit)[0] - ann.position.start == int(moved.split()[0])
        assert res.reason == f"moved by {moved} (aligned with OLD)", res.reason
    one = migrate_one(doc("ab " + FILLER), doc("xab " + FILLER), annotate(
        doc("ab " + FILLER), FILLER[:40])).resolution
    assert one.reason == "moved by +1 UTF-16 unit (aligned with OLD)"


def test_edit_inside_a_non_bmp_span():
    old = doc(FILLER + "the map 𝑓 : 𝑋 → 𝑌 is continuous and open. " + TAIL)
    new = doc(FILLER + "the map 𝑔 : 𝑋 → 𝑌 is continuous and open. " + TAIL)
    r = migrate_one(old, new, annotate(old, "the map 𝑓 : 𝑋 → 𝑌 is continuous and open."))
    res = r.resolution
    assert res.status == Status.FUZZY and res.exact.startswith("the map 𝑔")
    assert [(c.op, c.text) for c in r.evidence.changes] == [("delete", "𝑓"), ("insert", "𝑔")]
    assert res.end_utf16 - res.start_utf16 == len(res.exact) + 3  # 𝑔, 𝑋, 𝑌


def test_position_that_does_not_hold_the_quote_in_old_falls_back_to_the_cascade():
    old = doc(FILLER + PARA + TAIL)
    new = doc("New opening. " + FILLER + PARA + TAIL)
    ann = annotate(old, PARA.strip())
    ann.position = TextPosition(0, 20, OffsetUnit.UTF16)
    r = migrate_one(old, new, ann)
    assert r.evidence.source == "cascade" and "does not hold the quote" in r.evidence.old_position
    assert r.resolution.status == Status.DRIFTED  # the cascade still finds it


def test_changes_are_spelled_as_the_cascade_spells_them():
    """A replacement reads 'x'→'y', a lone deletion / insertion in words (was -'x' / +'x')."""
    reason = change_reason(0.8, (Change("delete", "corrected", 5, 5),
                                 Change("insert", "amended", 5, 5),
                                 Change("delete", "old words", 30, 28),
                                 Change("insert", "new words", 40, 45)))
    assert reason == ("aligned with OLD (80% of the passage kept): 'corrected'→'amended', "
                      "deleted 'old words', inserted 'new words'")


def test_invalid_annotation_and_migrate_document_api():
    old, new = doc(FILLER + PARA), doc(FILLER + PARA)
    bad = Annotation("b", quote=TextQuote("   "))
    good = annotate(old, PARA.strip(), ident="g")
    out = migrate_document(old, new, [bad, good])
    assert [r.status for r in out] == [Status.INVALID, Status.ANCHORED]
    assert Migrator(old, new).migrate(bad).evidence.source is None


# ---------------------------------------------------------------------------------------------
# acceptance on the real update cases (../shared)

PAIRS = update_pairs(FIXTURES / "updates")


def _answers(run) -> dict[str, Answer]:
    out = {}
    for r in run.results:
        span = r.resolution.span(OffsetUnit.UTF16)
        out[r.resolution.id] = Answer(*span) if span else Answer(None, None)
    return out


@pytest.fixture(scope="module")
def corpus_runs() -> list[tuple[dict, dict[str, Answer], dict[str, Answer], dict]]:
    """(truth, check's answers, migrate's answers, migrate's resolutions) per update pair."""
    require_shared()
    out = []
    for note, truth_path, new_pdf in PAIRS:
        versions = SHARED / "corpus" / "versions" / note.parent.name
        checked = check_paths([note], pdf=versions / new_pdf)
        migrated = migrate_paths(versions / f"{note.stem}.pdf", versions / new_pdf, [note])
        for run in (checked, migrated):
            assert not run.errors and not any(d.error for d in run.documents)
        out.append((load_truth(truth_path), _answers(checked), _answers(migrated),
                    {r.resolution.id: r.resolution for r in migrated.results}))
    return out


@pytest.fixture(scope="module")
def corpus_scores(corpus_runs) -> tuple[dict[str, CategoryScore], dict[str, CategoryScore]]:
    check_total: dict[str, CategoryScore] = {}
    migrate_total: dict[str, CategoryScore] = {}
    for truth, checked, migrated, _ in corpus_runs:
        merge(check_total, score_answers(truth, checked))
        merge(migrate_total, score_answers(truth, migrated))
    return check_total, migrate_total


@pytest.mark.slow
@pytest.mark.corpus
def test_migrate_refuses_nothing_check_finds(corpus_runs):
    """Nowhere does check anchor what migrate refuses. (Until session 8 one case did: co519
    v2→v3 "that the", which migrate's alignment traced to OLD's text elsewhere — rightly: the
    truth audit's ``pre_existing_copy`` made it a deleted passage, and check refuses it too
    since ``RECURRING_QUOTE``.)"""
    behind = set()
    for _, checked, migrated, _ in corpus_runs:
        behind |= {k for k, a in checked.items()
                   if a.start_utf16 is not None and migrated[k].start_utf16 is None}
    assert not behind


@pytest.mark.slow
@pytest.mark.corpus
def test_migrate_anchors_nothing_wrongly(corpus_scores):
    # Issue 8's "0 wrong", on the truth as audited (fixtures/README.md, sessions 6–9).
    _, migrated = corpus_scores
    wrong = {c: s.wrong_ids for c, s in migrated.items()}
    assert not {c: ids for c, ids in wrong.items() if ids}


@pytest.mark.slow
@pytest.mark.corpus
@pytest.mark.parametrize(("category", "what"), [
    ("intact", "exact"), ("edited", "found"), ("moved", "found"), ("deleted", "refused")])
def test_migrate_does_at_least_as_well_as_check(corpus_scores, category, what):
    checked, migrated = corpus_scores
    assert migrated[category].cases == checked[category].cases > 0
    assert migrated[category].rate(what) >= checked[category].rate(what), \
        (vars(checked[category]), vars(migrated[category]))


@pytest.mark.corpus
def test_migrate_places_refusals_between_landmarks_as_check_does():
    """co519-logic v1 → v2: a 9-character formula fragment (``∧QP ∧e1P ∧Q``), intact, whose
    context was re-laid; the alignment drops it as a chance equality and the cascade alone
    refuses it. ``check`` places it between the note's landmarks; ``migrate`` must as well (it
    did not: it resolved annotation by annotation), on the truth's span, and every refusal it
    leaves that check placed must be one the alignment decided."""
    require_shared()
    note = FIXTURES / "updates" / "co519-logic-partD" / "v1.md"
    versions = SHARED / "corpus" / "versions" / "co519-logic-partD"
    truth = {c["id"]: c for c in load_truth(note.with_name("v1-to-v2.truth.json"))["cases"]}
    checked = {r.resolution.id: r for r in check_paths([note], pdf=versions / "v2.pdf").results}
    migrated = {r.resolution.id: r for r in migrate_paths(
        versions / "v1.pdf", versions / "v2.pdf", [note]).results}
    placed = migrated["w8g2ii2jouz"].resolution
    assert placed.method == Method.LANDMARKS and placed.status == Status.DRIFTED
    new = truth["w8g2ii2jouz"]["new"]
    assert placed.span(OffsetUnit.UTF16) == (new["start_utf16"], new["end_utf16"])
    for ident, c in checked.items():
        if c.resolution.method == Method.LANDMARKS and not migrated[ident].resolution.status \
                .is_anchored:
            assert migrated[ident].evidence.source == "alignment", ident


def test_place_refusals_keeps_what_the_caller_does_not_allow():
    """``Resolver.place_refusals``: the same objects back when nothing may be placed."""
    old = doc(FILLER * 3 + PARA + TAIL * 3)
    ann = annotate(old, "Annotations must stay tied")
    resolver = Migrator(old, old).resolver
    results = [resolver.resolve(ann)]
    kept = resolver.place_refusals(results, lambda i: False)
    assert kept == results and kept[0] is results[0] and kept is not results
