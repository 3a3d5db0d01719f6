"""The resolver cascade: position → quote → fuzzy, one document, many annotations.

``Resolver(doc)`` builds the document's match view once (and its gram index on first need);
``resolve(annotation)`` is then pure and cheap. Pipeline for one annotation:

0. unusable (reader problems, no quote selector, quote of whitespace only) → ``invalid``;
1. stored position holds the quote (exactly → ``anchored``; up to whitespace → ``drifted``);
2. exact occurrences of the quote (whitespace ignored, typography folded); accepted at once when
   one stands out with its stored context agreeing;
3. otherwise approximate candidates join them and :func:`~tether.resolve.decide.decide` picks
   one (``drifted`` if its text is unchanged up to whitespace, else ``fuzzy``), or refuses
   (``ambiguous`` / ``orphaned``); :mod:`tether.resolve.second_look` may then overturn or settle
   that verdict: a tie of the text evidence broken by the stored text counted with its
   whitespace (``by_stored_text``) or between identical copies by position (``among_twins``),
   a quote accepted *changed* refused when it occurs verbatim once elsewhere
   (``unless_moved``) — unless its stored context now closes over the place it was cut from
   (``cut_move``) — and a quote accepted *verbatim* away from its stored place refused when,
   much nearer, its stored context still closes over a changed copy (``in_place``); then
   :mod:`tether.resolve.pagebreak` and :mod:`tether.resolve.nearer` may refuse an answer that
   another place, nearer or across a page break, fits about as well;
4. after an ``orphaned`` refusal, a passage too heavily edited for step 3 is looked for by the
   pieces of it that survived in order (:mod:`tether.resolve.chain`); accepted only by
   :func:`~tether.resolve.decide.chain_objection`'s rules, always as ``fuzzy`` with a reason
   saying how much survived; a quote too short for step 4 that lost its start or end is looked
   for next to agreeing context (``second_look.truncated``, option ``truncated``).
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz.distance import Levenshtein

from tether.offsets import OffsetUnit, utf16_len
from tether.resolve.chain import Chain, find_chains
from tether.resolve.decide import (
    Verdict,
    chain_objection,
    decide,
)
from tether.resolve.describe import (
    change_reason,
    count_of,
    describe_context,
    moved_reason,
    position_whitespace_reason,
)
from tether.resolve.evidence import Match, Query, combine, prefix_similarity, suffix_similarity
from tether.resolve.filler import FILLER_TIE, agrees_only_in_filler
from tether.resolve.fuzzy import fuzzy_matches
from tether.resolve.index import MIN_INDEXED_NEEDLE, DocumentIndex
from tether.resolve.nearer import unless_nearer_keeps_more
from tether.resolve.normalize import (
    fit_whitespace,
    is_ignorable,
    key,
    key_pair,
    only_ignorable,
    same_up_to_whitespace,
    strip_ignorable,
)
from tether.resolve.options import DEFAULT_OPTIONS, ResolveOptions
from tether.resolve.pagebreak import unless_bridged
from tether.resolve.placing import LandmarkPlacing
from tether.resolve.position import StoredSpan, check_position, stored_span
from tether.resolve.quote import (
    bracketed_matches,
    exact_matches,
)
from tether.resolve.result import Candidate, Method, Resolution, Status
from tether.resolve.second_look import (
    among_twins,
    by_stored_text,
    in_place_brackets,
    truncated,
    unless_cut_out,
    unless_in_place,
    unless_moved,
)
from tether.resolve.verbatim_side import unless_side_verbatim_elsewhere
from tether.selectors import CONTEXT_LENGTH, Annotation
from tether.textmodel.model import DocumentText

#: Read once: an enum member read through its class goes through ``EnumType.__getattr__``'s
#: hook (~0.2 µs, and cold code in a long run of annotations).
_ANCHORED, _DRIFTED = Status.ANCHORED, Status.DRIFTED
_BY_POSITION, _BY_QUOTE = Method.POSITION, Method.QUOTE


class Resolver(LandmarkPlacing):
    """Resolves annotations against one document. Reuse it: the indexes are per document."""

    def __init__(self, doc: DocumentText, options: ResolveOptions = DEFAULT_OPTIONS) -> None:
        self.doc = doc
        self.options = options
        self.index = DocumentIndex(doc, fold=options.fold)
        #: Every character is one UTF-16 unit: both units coincide (no conversion needed).
        self._bmp_only = doc.length_utf16 == len(doc.text)

    def resolve_all(self, annotations: Iterable[Annotation]) -> list[Resolution]:
        """Resolve the annotations of one note (or all notes) about this document. With
        ``landmarks``, refusals are then placed between the annotations anchored with certainty
        (:mod:`tether.resolve.landmarks`): pass annotations of one document together, as one
        call, for that to work; the answers never depend on the order."""
        return self.place_refusals([self.resolve(a) for a in annotations])

    def resolve(self, annotation: Annotation) -> Resolution:
        ann, opt = annotation, self.options
        if ann.problems or ann.quote is None or only_ignorable(ann.quote.exact):
            return Resolution(ann, Status.INVALID, reason=_invalid_reason(ann))
        exact = ann.quote.exact
        span = stored_span(self.doc, ann.position, self._bmp_only)
        query: Query | None = None
        hit = check_position(self.index, span, exact)
        on_filler: Match | None = None  # the stored position, when only filler confirms it
        if hit is not None:
            # Only a short quote needs its context checked, so the common case builds nothing.
            if len(exact) < opt.distinctive_quote:
                query = self._query(ann, span)
            confirmed = query is None or self._position_confirmed(query, hit.start, hit.end)
            if confirmed is True:
                if hit.exact:
                    return self._anchored(ann, _ANCHORED, _BY_POSITION, hit.start,
                                          hit.end, 1.0, None)
                return self._anchored(
                    ann, _DRIFTED, _BY_POSITION, hit.start, hit.end, 1.0,
                    position_whitespace_reason(
                        *self._moved(ann, hit.start),
                        self.index.source[hit.start:hit.end] == exact))
            if confirmed is not False:
                on_filler = confirmed
        starts = None  # the quote's exact occurrences, when the lane below looked them up
        if query is None:
            quote = key(exact, opt.fold)
            if len(quote) >= MIN_INDEXED_NEEDLE:  # (a shorter one is looked for near context)
                starts = self.index.find_exact(quote)
                if len(starts) == 1:
                    prefix, suffix = self._context_keys(ann)
                    found_once = self._found_once(ann, span, quote, starts[0], prefix, suffix)
                    if found_once is not None:
                        return found_once
                    query = Query(exact, quote, prefix, suffix, span.hint)
            if query is None:
                query = self._query(ann, span)

        exact_found, occurrences = exact_matches(self.index, query, starts)
        verdict = decide(exact_found, query, opt)
        candidates = exact_found
        if opt.fuzzy and not self._settled(verdict, query):
            max_errors = int(self._edit_allowance(query) * len(query.quote))
            candidates = exact_found + fuzzy_matches(self.index, query, max_errors, exact_found)
            if opt.bracket_search:
                candidates = _merge(candidates, bracketed_matches(self.index, query, max_errors))
            verdict = decide(candidates, query, opt)
            if opt.chain and verdict.best is None and not verdict.ambiguous:
                verdict = self._chain(query, candidates, verdict)
            if (opt.truncated and verdict.best is None and not verdict.ambiguous
                    and len(query.quote) < opt.chain_min_quote):
                verdict = truncated(self.index, query, candidates, verdict, opt)
        if verdict.ambiguous:
            verdict = by_stored_text(self.index, ann, query, verdict, opt)
        if verdict.ambiguous:
            verdict = among_twins(self.index, query, verdict, opt)
        elif verdict.best is not None and verdict.best.errors:
            verdict = unless_moved(self.index, query, verdict, opt)
        elif verdict.best is not None and opt.in_place:
            verdict = unless_in_place(self.index, query, verdict, opt)
        if verdict.best is not None and opt.page_breaks and len(candidates) > 1:
            verdict = unless_bridged(self.index, query, verdict, candidates, opt)
        if verdict.best is not None and opt.nearer_rival and len(candidates) > 1:
            verdict = unless_nearer_keeps_more(self.index, query, verdict, candidates, opt)
        if verdict.best is not None and opt.cut_out and verdict.best.errors:
            verdict = unless_cut_out(self.index, query, verdict, opt)
        if verdict.best is not None and opt.verbatim_side and len(candidates) > 1:
            verdict = unless_side_verbatim_elsewhere(query, verdict, candidates, opt)
        if on_filler is not None and verdict.best is not None and (
                verdict.best.start, verdict.best.end) != (on_filler.start, on_filler.end):
            # Only refusing is safe either way (``_position_confirmed``).
            verdict = Verdict(None, (verdict.best, on_filler), True, FILLER_TIE)
        return self._conclude(ann, query, span, verdict, occurrences)

    def _found_once(self, ann: Annotation, span: StoredSpan, quote: str, at: int, prefix: str,
                    suffix: str) -> Resolution | None:
        """Step 2 and the result written out for the commonest moved quote, or None to take the
        general path: a quote (``quote``, its view form, ``MIN_INDEXED_NEEDLE`` characters or
        more) that occurs verbatim exactly once (at view index ``at``), every stored context
        side agreeing there (``context_agree``), at least one side stored if the quote is
        shorter than ``distinctive_quote``, its text there unchanged up to whitespace. ``prefix``,
        ``suffix``: the stored context sides in view form (:meth:`_context_keys`), which the
        general path's query reuses when this returns None.

        The general path gives this case the same answer through ``exact_matches`` (one
        ``Match``), ``decide`` (one candidate; no objection to a verbatim quote this long, or to
        a shorter one whose stored context all agrees), ``_settled`` (all context agrees: no
        step 3) and ``_conclude`` (``drifted``, "the quote moved by …"). Written out, with the
        common outcomes of the small steps tested inline, it builds no intermediate object and
        calls a third of the functions: in a long run of mixed annotations each call pays its
        cache misses, which made this case cost 2–3 × what it costs repeated
        (``tests/test_resolve_verbatim_lane.py`` compares both paths on corpus cases)."""
        index, opt = self.index, self.options
        stored = ann.quote
        assert stored is not None
        if not (prefix or suffix) and len(quote) < opt.distinctive_quote:
            return None  # too short to stand alone: step 3 and the objections decide
        view = index.view
        text, after = view.text, at + len(quote)
        # evidence.prefix_similarity / suffix_similarity, their exact agreement tested first
        agree = opt.context_agree
        if not prefix:
            prefix_sim = None
        elif at >= len(prefix) and text.startswith(prefix, at - len(prefix), at):
            prefix_sim = 1.0
        elif (prefix_sim := prefix_similarity(prefix, text, at) or 0.0) < agree:
            return None
        if not suffix:
            suffix_sim = None
        elif text.startswith(suffix, after):
            suffix_sim = 1.0
        elif (suffix_sim := suffix_similarity(suffix, text, after) or 0.0) < agree:
            return None
        exact, source = stored.exact, index.source
        start, end = view.to_source(at, after)
        if is_ignorable(exact[0]) or is_ignorable(exact[-1]):
            start, end = fit_whitespace(source, start, end, exact)
        found = source[start:end]
        if found != exact and strip_ignorable(found) != strip_ignorable(exact):
            return None  # folded typography differs: ``fuzzy``, the general path's reason
        if start == span.start and end == span.end and found == exact:
            # Step 1 would have held (so this does not occur); the general path's answer.
            return self._anchored(ann, _ANCHORED, _BY_POSITION, start, end, 1.0, None)
        hint = span.hint
        if opt.in_place and hint is not None and in_place_brackets(
                index, prefix, suffix, len(quote), hint, abs(start - hint), opt):
            return None  # a bracket near the stored place: the general path's in-place rule
        score = combine(1.0, prefix_sim, suffix_sim,
                        None if hint is None else abs(start - hint), len(source))[0]
        return self._anchored(ann, _DRIFTED, _BY_QUOTE, start, end, score,
                              moved_reason(span, *self._moved(ann, start), 1))

    def _edit_allowance(self, q: Query) -> float:
        """Share of the quote step 3 may find changed: ``max_edit_ratio``, or
        ``bracketed_edit_ratio`` for a short quote with both context sides stored (only a
        candidate between two almost exactly agreeing sides may use it, see
        :func:`~tether.resolve.decide.objection`)."""
        opt = self.options
        if q.prefix and q.suffix and len(q.quote) < opt.chain_min_quote:
            return max(opt.max_edit_ratio, opt.bracketed_edit_ratio)
        return opt.max_edit_ratio

    def _query(self, ann: Annotation, span: StoredSpan) -> Query:
        assert ann.quote is not None
        return Query(ann.quote.exact, key(ann.quote.exact, self.options.fold),
                     *self._context_keys(ann), span.hint)

    def _context_keys(self, ann: Annotation) -> tuple[str, str]:
        """The stored prefix and suffix in view form, running headers trimmed (a query's)."""
        assert ann.quote is not None
        prefix, suffix = key_pair(ann.quote.prefix, ann.quote.suffix, self.options.fold)
        return self.index.trim_prefix(prefix), self.index.trim_suffix(suffix)

    def _position_confirmed(self, q: Query, start: int, end: int) -> bool | Match:
        """Step 1 trusts the stored position unless the quote is short and its stored context
        agrees on neither side: in an edited document a common word can land on the stored
        offsets by chance (measured: "frequenze" in the Italian thesis v3→v4).

        When only a side of filler agrees (:mod:`tether.resolve.filler`; for a quote of filler,
        a side whose agreement there is only in its filler), the position's evidence (a
        ``Match``) instead of True: the search decides, and an answer of its elsewhere ties
        with the position (``FILLER_TIE``). Why both ways: a dot leader's dots agree at every
        line of a table of contents, so they do not confirm the stored position (held-out
        draws, session 11: the Italian thesis v3 → v4 ". . . .", anchored on the wrong contents
        line by position, 7 such cases over four draws), but the search, left with one edited
        side, can take the wrong copy just as well (a review: a form's applicant "Name: ____"
        sent to the co-applicant's field, a retitled contents line's dots to a later line with
        the same title, a table border to the next row's)."""
        if len(q.quote) >= self.options.distinctive_quote or not q.has_context:
            return True
        view = self.index.view
        at, after = view.from_source(start), view.from_source(end)
        m = q.evaluate(self.index, at, after, 0, Method.POSITION)
        agree = self.options.context_agree
        sides = [(side, is_prefix) for sim, side, is_prefix
                 in ((m.prefix_sim, q.prefix, True), (m.suffix_sim, q.suffix, False))
                 if sim is not None and sim >= agree]
        if not sides:
            return False
        return m if all(agrees_only_in_filler(side, is_prefix, q.quote, view.text, at, after,
                                              agree) for side, is_prefix in sides) else True

    def _settled(self, verdict: Verdict, q: Query) -> bool:
        """Step 2 alone decides when one exact occurrence won and all its stored context agrees
        (then an edited copy elsewhere could not outscore it)."""
        best = verdict.best
        if best is None:
            return False
        opt = self.options
        ps, ss = best.prefix_sim, best.suffix_sim
        return ((ps is None or ps >= opt.context_agree) and (ss is None or ss >= opt.context_agree)
                and (q.has_context or len(q.quote) >= opt.distinctive_quote))

    def _chain(self, q: Query, candidates: list[Match], refused: Verdict) -> Verdict:
        """Step 4, after steps 2 and 3 refused (not as ambiguous): a heavily edited passage."""
        chains = find_chains(self.index, q, self.options)
        if not chains:
            return refused
        objection = chain_objection(chains, candidates, self.options, self._chain_pages)
        if objection is not None:
            return Verdict(None, refused.rivals, False, refused.reason or objection)
        best = chains[0]
        # A step-3 alignment inside the chain, refused for want of context, has the better
        # boundaries (fewest edits); otherwise the chain's own span.
        inside = [c for c in candidates if best.overlaps(c.view_start, c.view_end)]
        if inside:
            match = max(inside, key=lambda c: c.score)
        else:
            view = self.index.view.text
            errors = Levenshtein.distance(q.quote, view[best.start : best.end])
            match = q.evaluate(self.index, best.start, best.end, errors, Method.FUZZY)
        note = (f"heavily edited: {best.coverage:.0%} of the quote survives in order here "
                f"({count_of(best.pieces, 'piece')}; {best.ends})")
        return Verdict(match, (), False, note)

    def _chain_pages(self, chain: Chain) -> tuple[int, int]:
        """The 0-based first and last page of ``chain``'s text (view offsets ``[start, end)``)."""
        start, end = self.index.view.to_source(chain.start, chain.end)
        return self.doc.page_of(start), self.doc.page_of(max(start, end - 1))

    def _not_found(self, q: Query) -> str:
        opt = self.options
        # A quote too short for the gram index is looked for only where its stored context
        # votes (quote.py): say so rather than claim it occurs nowhere.
        where = (" near any piece of its stored context (a quote this short is looked for only "
                 "there)" if len(q.quote) < MIN_INDEXED_NEEDLE and q.has_context else "")
        if not opt.fuzzy or len(q.quote) < opt.min_fuzzy_quote:
            return f"the quote does not occur{where or ' in the document'}"
        return (f"the quote does not occur{where}, not even with {opt.max_edit_ratio:.0%} of it "
                f"edited")

    def _conclude(self, ann: Annotation, q: Query, span: StoredSpan, verdict: Verdict,
                  occurrences: int | None) -> Resolution:
        rivals = tuple(self._candidate(c) for c in verdict.rivals) if verdict.rivals else ()
        best = verdict.best
        if best is None and verdict.ambiguous:
            return Resolution(ann, Status.AMBIGUOUS, rivals=rivals, reason=verdict.reason)
        if best is None:
            return Resolution(ann, Status.ORPHANED, rivals=rivals,
                              reason=verdict.reason or self._not_found(q))
        found = self.index.source[best.start : best.end]
        method = best.method
        if (best.start, best.end) == (span.start, span.end) and found == q.exact:
            # Step 1 held but needed the context check, which the other steps confirm.
            return self._anchored(ann, Status.ANCHORED, Method.POSITION, best.start, best.end,
                                  1.0, None)
        if best.errors == 0 and same_up_to_whitespace(found, q.exact):
            drift = moved_reason(span, *self._moved(ann, best.start),
                                 occurrences if verdict.reason is None else None)
            if verdict.reason:  # how a tie was broken
                drift = f"{drift}; {verdict.reason}"
            return self._anchored(ann, Status.DRIFTED, method, best.start, best.end, best.score,
                                  drift)
        distance = Levenshtein.distance(strip_ignorable(q.exact), strip_ignorable(found))
        reason = change_reason(q.exact, found, distance)
        if verdict.reason:  # how step 4 found it
            reason = f"{verdict.reason}; {reason}"
        return self._anchored(ann, Status.FUZZY, method, best.start, best.end, best.score,
                              reason, distance)

    def _moved(self, ann: Annotation, start: int) -> tuple[int, OffsetUnit]:
        """How far a quote found at code point ``start`` lies from its stored start, in the
        stored offsets' unit: the difference a reader sees between the stored and the new
        offsets, which reasons quote (0 when nothing usable is stored)."""
        pos = ann.position
        if pos is None:
            return 0, OffsetUnit.CODE_POINT
        if pos.unit is OffsetUnit.UTF16 and not self._bmp_only:
            start = self.doc.to_utf16(start)
        return start - pos.start, pos.unit

    def _anchored(self, ann: Annotation, status: Status, method: Method, start: int, end: int,
                  score: float, reason: str | None, edit_distance: int | None = None,
                  ) -> Resolution:
        text = self.index.source
        found = text[start:end]
        if self._bmp_only:
            bmp_here, start_utf16, end_utf16 = True, start, end
        else:
            # The end from the found text's length (one conversion, not two); with no astral
            # character in the found text or its context (one encoding says so), the context
            # needs no UTF-16 trimming and the found text's units are its characters.
            window = text[start - CONTEXT_LENGTH if start > CONTEXT_LENGTH else 0
                          : end + CONTEXT_LENGTH]
            bmp_here = utf16_len(window) == len(window)
            start_utf16 = self.doc.to_utf16(start)
            end_utf16 = start_utf16 + (len(found) if bmp_here else utf16_len(found))
        prefix, suffix = describe_context(text, start, end, bmp_here)
        return Resolution(
            ann, status, method, score, start, end, start_utf16, end_utf16,
            self.doc.page_of(start), found, prefix, suffix, (), reason, edit_distance)

    def _candidate(self, c: Match) -> Candidate:
        return Candidate(c.start, c.end, self.doc.to_utf16(c.start), self.doc.to_utf16(c.end),
                         self.doc.page_of(c.start), c.score, self.index.source[c.start : c.end])


def resolve(doc: DocumentText, annotation: Annotation,
            options: ResolveOptions = DEFAULT_OPTIONS) -> Resolution:
    """One-off convenience; use :class:`Resolver` for more than one annotation per document."""
    return Resolver(doc, options).resolve(annotation)


def _merge(candidates: list[Match], bracketed: list[Match]) -> list[Match]:
    """``candidates`` plus each bracketed one, which replaces the candidates it overlaps when it
    scores higher than all of them and none is verbatim, and is dropped otherwise (one place,
    one candidate; an unchanged quote keeps its own boundaries)."""
    out = list(candidates)
    for b in bracketed:
        clash = [c for c in out if c.view_start < b.view_end and b.view_start < c.view_end]
        if all(b.score > c.score and c.errors for c in clash):
            out = [c for c in out if c not in clash] + [b]
    return out


def _invalid_reason(ann: Annotation) -> str | None:
    if ann.problems:
        return "; ".join(ann.problems)
    if ann.quote is None:
        return "no TextQuoteSelector: there is no text to look for"
    if not ann.quote.exact:
        return "the TextQuoteSelector's exact text is empty"
    if not strip_ignorable(ann.quote.exact):
        return "the TextQuoteSelector's exact text holds only whitespace"
    return None
