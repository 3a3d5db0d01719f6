"""Migrating annotations from one version of a document to the next, using both texts (pure).

The resolver (:mod:`tether.resolve`) sees only the new document: a 32-character context is its
best evidence. With the old document at hand, a full-text alignment (:mod:`tether.migrate.align`)
says where every character went. For each annotation :class:`Migrator` does:

1. **confirm the stored position in OLD**: the stored ``TextPositionSelector`` (in its unit)
   must hold the quote in the old text, exactly or up to whitespace. If it does not (no
   position, or the annotation was made on some other version), nothing ties the annotation to
   a place in OLD, and the **cascade** on NEW decides alone (``evidence: "cascade"``).
2. **map the span** through the alignment (:func:`~tether.migrate.spanmap.map_span`) and accept
   the result (``evidence: "alignment"``) only when the evidence is strong: at least
   ``min_kept`` of the quote's visible characters survive in one place, at least
   ``min_support`` visible characters of the quote and its context are aligned consistently,
   and the new text still resembles the quote (``min_similarity``). The status follows the
   resolver's rules: ``anchored`` (the stored offsets hold the quote exactly), ``drifted`` (the
   same text, up to whitespace, elsewhere), ``fuzzy`` (changed: ``changes`` says how).
3. a *changed* passage placed by the alignment is **contested** by the cascade: if text
   elsewhere in NEW, not traced to other OLD text, resembles the quote more, the cascade's
   answer wins when it chose that text, a single nearly verbatim place is taken as the passage
   *moved*, and otherwise the annotation is ``ambiguous``;
4. otherwise the **cascade** on NEW proposes a place, and the alignment **vetoes** it when that
   text is OLD's own text from *elsewhere* (a look-alike that was already there — the annotated
   passage itself was deleted): ``orphaned``, with the look-alike as rival. When the cascade
   refuses, a single nearly verbatim place in new text is still taken as the passage moved.
5. last, over the whole document (:meth:`Migrator.migrate_all`), as ``check`` does: a refusal
   the cascade decided is placed between the annotations anchored with certainty (the note's
   *landmarks*, :mod:`tether.resolve.landmarks`), unless the alignment traces the text there to
   OLD's text elsewhere.

:meth:`Migrator.migrate` returns a :class:`~tether.migrate.result.Migration`: the
:class:`~tether.resolve.Resolution` (same statuses and fields as ``check``) plus its
:class:`~tether.migrate.result.Evidence` — which evidence placed or
refused it (``"alignment"`` | ``"cascade"`` | None for invalid annotations), whether the stored
position was confirmed in OLD, the share of the quote that survives, and the changes inside
the passage (:class:`~tether.migrate.spanmap.Change`). The thresholds are
:class:`~tether.migrate.options.MigrateOptions`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from rapidfuzz.distance import Indel, Levenshtein

from tether.migrate.align import align_texts
from tether.migrate.alignment import Alignment
from tether.migrate.options import DEFAULT_MIGRATE_OPTIONS, MigrateOptions
from tether.migrate.result import CONFIRMED, Evidence, Migration
from tether.migrate.spanmap import Change, SpanMap, map_span, visible, visible_len, word_changes
from tether.offsets import OffsetError, OffsetUnit
from tether.resolve import (
    Candidate,
    Method,
    Resolution,
    Resolver,
    Status,
    describe_context,
)
from tether.resolve.describe import signed_move
from tether.selectors import Annotation
from tether.textmodel.model import DocumentText

#: A rewritten fuzzy reason spells out this many changes before "…".
REASON_CHANGES_SHOWN = 3
#: Changed text longer than this is shortened in a reason.
REASON_TEXT_WIDTH = 40


class Migrator:
    """Migrates annotations from ``old`` to ``new``. The alignment and the resolver on ``new``
    are built once; reuse the migrator for every annotation of the document."""

    def __init__(self, old: DocumentText, new: DocumentText,
                 options: MigrateOptions = DEFAULT_MIGRATE_OPTIONS,
                 alignment: Alignment | None = None) -> None:
        self.old, self.new, self.options = old, new, options
        self.alignment = alignment or align_texts(old.text, new.text, options.align)
        self._resolver: Resolver | None = None

    @property
    def resolver(self) -> Resolver:
        if self._resolver is None:
            self._resolver = Resolver(self.new, self.options.resolve)
        return self._resolver

    def migrate_all(self, annotations: Iterable[Annotation]) -> list[Migration]:
        """Migrate one document's annotations (pass them together, as ``check`` resolves a
        note: :meth:`Migrator.migrate` for each, then the cascade's refusals are placed between
        the annotations anchored with certainty, :meth:`Resolver.place_refusals`). Only a
        refusal the cascade decided may be placed (not one the alignment vetoed), and only
        where the alignment does not trace the text to OLD's text elsewhere; an answer of the
        cascade that the landmarks show to be a copy OLD already had elsewhere is refused
        (``preexisting_copies``), as ``check`` refuses it."""
        out = [self.migrate(a) for a in annotations]
        placed = self.resolver.place_refusals([m.resolution for m in out],
                                              lambda i: out[i].evidence.source == "cascade")
        return [m if r is m.resolution
                else self._by_landmarks(m, r) if r.status.is_anchored
                else Migration(r, m.evidence)
                for m, r in zip(out, placed, strict=True)]

    def _by_landmarks(self, refused: Migration, placed: Resolution) -> Migration:
        """``placed`` (a refusal the landmarks placed) unless the text there is OLD's text from
        outside the annotated passage (:meth:`_lookalike`): then ``refused`` stands."""
        ann = placed.annotation
        assert ann.quote is not None and placed.start is not None and placed.end is not None
        span, _ = self.old_span(ann)
        if span is None:
            return Migration(placed, refused.evidence)
        if self._lookalike(placed.start, placed.end, span, ann.quote.exact) is not None:
            return refused
        ev = refused.evidence
        return Migration(placed, dataclasses.replace(ev, changes=_changes(placed, span[0])))

    def migrate(self, ann: Annotation) -> Migration:
        if ann.problems or ann.quote is None or not visible(ann.quote.exact):
            return Migration(self.resolver.resolve(ann), Evidence(None))  # invalid: say why
        span, why = self.old_span(ann)
        if span is None:
            return Migration(self.resolver.resolve(ann), Evidence("cascade", why))
        m = map_span(self.alignment, *span)
        if not self._placed(ann, m):
            return self._from_cascade(ann, span, m)
        placed = self._from_alignment(ann, m)
        if placed.resolution.status == Status.FUZZY:
            return self._contest(ann, span, placed)
        return placed

    def old_span(self, ann: Annotation) -> tuple[tuple[int, int] | None, str]:
        """The stored position in OLD's code points, if it holds the quote (exactly or up to
        whitespace); else None and why."""
        pos, quote = ann.position, ann.quote
        assert quote is not None
        if pos is None:
            return None, "no TextPositionSelector"
        try:
            start = self.old.convert(pos.start, pos.unit, OffsetUnit.CODE_POINT)
            end = self.old.convert(pos.end, pos.unit, OffsetUnit.CODE_POINT)
        except OffsetError as exc:
            return None, f"the stored position is not in OLD's text: {exc}"
        there = self.old.text[start:end] if start <= end else ""
        if there == quote.exact or (there and visible(there) == visible(quote.exact)):
            return (start, end), "confirmed"
        return None, (f"the stored position {pos.start}-{pos.end} does not hold the quote in "
                      f"OLD's text (it holds {_clip(there)!r})")

    def _placed(self, ann: Annotation, m: SpanMap) -> bool:
        opt = self.options
        if m.new_start is None or m.new_end is None or m.new_end <= m.new_start:
            return False
        if m.kept_fraction < opt.min_kept or m.support < opt.min_support:
            return False
        assert ann.quote is not None
        exact, found = ann.quote.exact, self.new.text[m.new_start:m.new_end]
        if visible(found) != visible(exact) and len(visible(exact)) < opt.short_quote \
                and not m.context_agrees(opt.short_context_agree):
            return False
        return _similarity(exact, found) >= opt.min_similarity

    def _from_alignment(self, ann: Annotation, m: SpanMap) -> Migration:
        assert ann.quote is not None and m.new_start is not None and m.new_end is not None
        start, end = m.new_start, m.new_end
        exact, found = ann.quote.exact, self.new.text[start:end]
        at_stored = _stored_span_in(self.new, ann) == (start, end)
        distance = None
        changes: tuple[Change, ...] = ()
        if found == exact:
            status, method, score = (Status.ANCHORED, Method.POSITION, 1.0) if at_stored \
                else (Status.DRIFTED, Method.QUOTE, 1.0)
            reason = None if at_stored else \
                f"moved by {self._move_in_stored_unit(ann, m.old_start, start)} (aligned with OLD)"
        elif visible(found) == visible(exact):
            status, method, score = Status.DRIFTED, Method.QUOTE, 1.0
            moved = self._move_in_stored_unit(ann, m.old_start, start)
            reason = f"moved by {moved} (aligned with OLD); only whitespace differs"
        else:
            status, method = Status.FUZZY, Method.FUZZY
            score = _similarity(exact, found)
            distance = Levenshtein.distance(visible(exact), visible(found))
            changes = word_changes(exact, found, m.old_start, start)
            reason = change_reason(m.kept_fraction, changes)
        prefix, suffix = describe_context(self.new.text, start, end)
        res = Resolution(ann, status, method, score, start, end, self.new.to_utf16(start),
                         self.new.to_utf16(end), self.new.page_of(start), found, prefix, suffix,
                         reason=reason, edit_distance=distance)
        return Migration(res, Evidence("alignment", CONFIRMED, m.kept_fraction, changes))

    def _move_in_stored_unit(self, ann: Annotation, old_start: int, new_start: int) -> str:
        """How far a span moved from OLD (``old_start``) to NEW (``new_start``, both code
        points), told in the unit of the annotation's stored offsets: the difference between
        the stored and the resolved offsets people see side by side ("+13 UTF-16 units")."""
        assert ann.position is not None  # the alignment runs only from a stored position
        unit = ann.position.unit
        if unit == OffsetUnit.UTF16:
            new_start, old_start = self.new.to_utf16(new_start), self.old.to_utf16(old_start)
        return signed_move(new_start - old_start, unit)

    def _contest(self, ann: Annotation, span: tuple[int, int], placed: Migration) -> Migration:
        """A changed passage placed by the alignment, against the cascade: when the quote
        resembles some other text of NEW more — text the alignment does not trace to elsewhere
        in OLD, so it may be this passage moved — the alignment's place is in doubt. The
        cascade's answer wins if it chose that text; otherwise the annotation is ambiguous."""
        res, kept = placed.resolution, placed.evidence.kept
        assert ann.quote is not None and res.start is not None and res.end is not None
        own = res.score or 0.0
        cascade = self.resolver.resolve(ann)
        cands = list(cascade.rivals)
        if cascade.status.is_anchored:
            cands.insert(0, _as_candidate(self.new, cascade))
        better = [c for c in cands if (c.end <= res.start or c.start >= res.end)
                  and _similarity(ann.quote.exact, c.exact) > own
                  and self._lookalike(c.start, c.end, span, ann.quote.exact) is None]
        if not better:
            return placed
        doubt = (f"the alignment with OLD places the passage at {res.start_utf16}-"
                 f"{res.end_utf16} (UTF-16), but text elsewhere resembles the quote more "
                 f"({_similarity(ann.quote.exact, better[0].exact):.2f} vs {own:.2f})")
        if cascade.status.is_anchored and (better[0].start, better[0].end) == \
                (cascade.start, cascade.end):
            reason = f"{cascade.reason}; {doubt}" if cascade.reason else doubt
            return Migration(dataclasses.replace(cascade, reason=reason),
                             Evidence("cascade", CONFIRMED, kept, _changes(cascade, span[0])))
        moved = self._moved(ann, span, better, kept)
        if moved is not None:
            return moved
        rivals = (_as_candidate(self.new, res), *better)
        doubted = Resolution(ann, Status.AMBIGUOUS, rivals=rivals,
                             reason=f"{doubt}: moved or edited? left for a person")
        return Migration(doubted, Evidence("alignment", CONFIRMED, kept))

    def _from_cascade(self, ann: Annotation, span: tuple[int, int], m: SpanMap) -> Migration:
        res = self.resolver.resolve(ann)
        kept = m.kept_fraction
        survived = (f"the alignment with OLD keeps {m.kept_fraction:.0%} of the passage"
                    + (f" in {m.clusters} places" if m.clusters > 1 else ""))
        if not res.status.is_anchored:
            moved = self._moved(ann, span, list(res.rivals), kept)
            if moved is not None:
                return moved
            reason = f"{res.reason}; {survived}" if res.reason else survived
            return Migration(dataclasses.replace(res, reason=reason),
                             Evidence("cascade", CONFIRMED, kept))
        assert res.start is not None and res.end is not None
        assert ann.quote is not None
        elsewhere = self._lookalike(res.start, res.end, span, ann.quote.exact)
        if elsewhere is not None:
            rival = _as_candidate(self.new, res)
            where = f"{self.old.to_utf16(elsewhere[0])}-{self.old.to_utf16(elsewhere[1])}"
            reason = (f"{survived}, and the text the quote matches in NEW is OLD's text from "
                      f"elsewhere (OLD {where}, UTF-16), not this passage: the annotated "
                      "passage was deleted")
            refused = Resolution(ann, Status.ORPHANED, rivals=(rival,), reason=reason)
            return Migration(refused, Evidence("alignment", CONFIRMED, kept))
        lo, hi = self.alignment.slot(*span)
        moved = self._new_text(res.start, res.end) and (res.end < lo or res.start > hi)
        return Migration(res, Evidence("cascade", CONFIRMED, kept, _changes(res, span[0]),
                                       moved=moved))

    def _moved(self, ann: Annotation, span: tuple[int, int], cands: list[Candidate],
               kept: float | None) -> Migration | None:
        """The passage moved: its old place lost it (the caller knows), and among the cascade's
        candidates exactly one place holds text nearly the same as a distinctive quote
        (``move_similarity``) that the alignment does not trace to other OLD text — new text,
        so this passage inserted there. None when that is not the case."""
        assert ann.quote is not None
        exact, opt = ann.quote.exact, self.options
        if len(visible(exact)) < opt.short_quote:
            return None
        good = [c for c in cands if _similarity(exact, c.exact) >= opt.move_similarity
                and self._lookalike(c.start, c.end, span, exact) is None]
        if not good or any(c.start >= good[0].end or c.end <= good[0].start for c in good):
            return None  # none, or several places: not evidence of one move
        c = max(good, key=lambda c: _similarity(exact, c.exact))
        found = c.exact
        where = (f"moved: the alignment with OLD shows the passage gone from its old place "
                 f"and text {_similarity(exact, found):.0%} like it newly in NEW at "
                 f"{c.start_utf16}-{c.end_utf16} (UTF-16)")
        if visible(found) == visible(exact):
            status, method, score, distance = Status.DRIFTED, Method.QUOTE, 1.0, None
            changes: tuple[Change, ...] = ()
        else:
            status, method = Status.FUZZY, Method.FUZZY
            score = _similarity(exact, found)
            distance = Levenshtein.distance(visible(exact), visible(found))
            changes = word_changes(exact, found, span[0], c.start)
        prefix, suffix = describe_context(self.new.text, c.start, c.end)
        res = Resolution(ann, status, method, score, c.start, c.end, c.start_utf16, c.end_utf16,
                         c.page, found, prefix, suffix, reason=where, edit_distance=distance)
        return Migration(res, Evidence("alignment", CONFIRMED, kept, changes, moved=True))

    def _new_text(self, start: int, end: int) -> bool:
        """Whether most of ``new[start:end]``'s visible characters are new in NEW (the
        alignment traces them to no OLD text)."""
        total = visible_len(self.new.text[start:end])
        traced = sum(visible_len(self.new.text[a:b])
                     for a, b, _ in self.alignment.equal_in_new(start, end))
        return total > 0 and traced < total / 2

    def _lookalike(self, start: int, end: int, span: tuple[int, int], quote: str
                   ) -> tuple[int, int] | None:
        """If ``new[start:end]`` is OLD's text from *outside* the annotated ``span`` — at least
        ``max_foreign`` of its visible characters align there, and that stretch of OLD resembles
        the quote about as much (``lookalike_margin``) as the candidate does — return that
        stretch of OLD (code points); else None. Shared boilerplate (a DOI prefix common to
        every reference) aligns too, but the stretch of OLD it comes from then resembles the
        quote much less than the candidate, so it does not count."""
        total = visible_len(self.new.text[start:end])
        outside, lo, hi = 0, None, None
        for a, b, oa in self.alignment.equal_in_new(start, end):
            ob = oa + b - a
            for x, y in ((oa, min(ob, span[0])), (max(oa, span[1]), ob)):
                if x < y:
                    outside += visible_len(self.old.text[x:y])
                    lo = x if lo is None else min(lo, x)
                    hi = y if hi is None else max(hi, y)
        if not total or lo is None or hi is None or outside < self.options.max_foreign * total:
            return None
        here = _similarity(quote, self.new.text[start:end])
        there = _similarity(quote, self.old.text[lo:hi])
        return (lo, hi) if there >= here - self.options.lookalike_margin else None


def migrate_document(old: DocumentText, new: DocumentText, annotations: Iterable[Annotation],
                     options: MigrateOptions = DEFAULT_MIGRATE_OPTIONS) -> list[Resolution]:
    """Resolve ``annotations`` (made on ``old``) against ``new``, using the alignment of the two
    texts first and the resolver cascade for what it cannot place. Pure; see the module
    docstring for the rules, and :meth:`Migrator.migrate` for the evidence behind each."""
    return [m.resolution for m in Migrator(old, new, options).migrate_all(annotations)]


def change_reason(kept: float, changes: tuple[Change, ...]) -> str:
    """A fuzzy result's reason: the changed words, ``'old'→'new'`` for a replacement,
    ``deleted 'x'`` / ``inserted 'x'`` otherwise (as the cascade's reasons spell them)."""
    parts: list[str] = []
    k = 0
    while k < len(changes):
        c = changes[k]
        nxt = changes[k + 1] if k + 1 < len(changes) else None
        if c.op == "delete" and nxt is not None and nxt.op == "insert" and nxt.old == c.old:
            parts.append(f"'{_clip(c.text)}'→'{_clip(nxt.text)}'")
            k += 2
            continue
        parts.append(f"{'deleted' if c.op == 'delete' else 'inserted'} '{_clip(c.text)}'")
        k += 1
    shown = ", ".join(parts[:REASON_CHANGES_SHOWN]) or "only typography"
    if len(parts) > REASON_CHANGES_SHOWN:
        shown += f", … ({len(parts) - REASON_CHANGES_SHOWN} more)"
    return f"aligned with OLD ({kept:.0%} of the passage kept): {shown}"


def _changes(res: Resolution, old_start: int) -> tuple[Change, ...]:
    """A fuzzy cascade answer's changed words (the quote against the text found)."""
    if res.status != Status.FUZZY or res.exact is None or res.start is None:
        return ()
    assert res.annotation.quote is not None
    return word_changes(res.annotation.quote.exact, res.exact, old_start, res.start)


def _as_candidate(doc: DocumentText, res: Resolution) -> Candidate:
    assert res.start is not None and res.end is not None
    return Candidate(res.start, res.end, doc.to_utf16(res.start), doc.to_utf16(res.end),
                     doc.page_of(res.start), res.score or 0.0, res.exact or "")


def _stored_span_in(doc: DocumentText, ann: Annotation) -> tuple[int, int] | None:
    pos = ann.position
    if pos is None:
        return None
    try:
        return (doc.convert(pos.start, pos.unit, OffsetUnit.CODE_POINT),
                doc.convert(pos.end, pos.unit, OffsetUnit.CODE_POINT))
    except OffsetError:
        return None


def _similarity(a: str, b: str) -> float:
    return Indel.normalized_similarity(visible(a), visible(b))


def _clip(text: str, width: int = REASON_TEXT_WIDTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


__all__ = ["Migrator", "change_reason", "migrate_document"]
