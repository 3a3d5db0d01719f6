"""Step 5, after every annotation of a document is resolved: refusals placed between landmarks.

:class:`LandmarkPlacing` is the part of :class:`tether.resolve.cascade.Resolver` that reads a
document's annotations together (``Resolver.resolve_all`` and ``migrate``): an ``ambiguous`` or
``orphaned`` quote placed where the annotations anchored with certainty around it put it
(:func:`~tether.resolve.bracket.place_by_landmarks`), and a heavily edited passage whose
step-4 chain lies between two landmarks accepted with the floor of a chain with agreeing context
(:func:`~tether.resolve.bracket.place_chains`, option ``chain_in_bracket``); and an accepted
answer the landmarks show to be a copy the old version already had, elsewhere than the
annotated passage, refused (:func:`~tether.resolve.copies.preexisting_copies`). Positions are
code points of the document text, as in the cascade.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import replace

from rapidfuzz.distance import Levenshtein

from tether.resolve.bracket import Bracket, Placement, place_by_landmarks, place_chains
from tether.resolve.chain import find_chains
from tether.resolve.contradicted import Contradiction, contradicted
from tether.resolve.copies import PreexistingCopy, preexisting_copies
from tether.resolve.describe import change_reason
from tether.resolve.evidence import Query
from tether.resolve.index import find_all
from tether.resolve.normalize import key, same_up_to_whitespace, strip_ignorable
from tether.resolve.position import stored_span
from tether.resolve.result import Candidate, Method, Resolution, Status
from tether.resolve.verbatim_side import REASON as VERBATIM_SIDE
from tether.selectors import Annotation


class LandmarkPlacing:
    """Placing a document's refusals between its landmarks; mixed into ``Resolver``, whose
    ``doc``, ``options``, ``index``, ``resolve``, ``_query``, ``_candidate`` and ``_anchored``
    it uses."""

    def place_refusals(self, results: Sequence[Resolution],
                       may_place: Callable[[int], bool] | None = None) -> list[Resolution]:
        """``results`` (one document's, as :meth:`resolve` gave them) with the refusals placed
        between landmarks (:mod:`tether.resolve.bracket`) when ``options.landmarks``, and, with
        ``options.preexisting_copies``, the answers the landmarks show to be a copy the old
        version already had refused (:mod:`tether.resolve.copies`);
        the others unchanged (the same objects). ``may_place(i)`` false keeps ``i`` as it is:
        a caller with evidence of its own about it (``migrate``'s alignment). A placement or
        a refusal depends only on the annotations anchored with certainty, never on another
        placement or refusal, so leaving one out changes no other."""
        out = list(results)
        if not self.options.landmarks:
            return out
        # Refusals between parallel copies of a quote are not placed: the placement rule's
        # offsets cannot tell a passage from its parallel copy a row away, and a passage moved
        # out of its bracket lets the copy slide in where it was (three reviews, session 12:
        # such refusals placed on a table's parallel row, a listing's parallel function).
        parallel = {i for i, r in enumerate(results) if r.reason == VERBATIM_SIDE}
        if self.options.contradicted:
            for c in contradicted(results, self.index.source, self._copies_between,
                                  self._both_verbatim, self.options.landmark_rules,
                                  self._occurs_once):
                if may_place is None or may_place(c.index):
                    out[c.index] = self._contradicted(results[c.index], c)
                    parallel.add(c.index)
        for p in place_by_landmarks(out, self.index.source, self.options.landmark_rules,
                                    self._occurs_once):
            if p.index not in parallel and (may_place is None or may_place(p.index)):
                out[p.index] = self._by_landmarks(out[p.index], p)
        if self.options.chain_in_bracket:
            for i, found, bracket in place_chains(
                    results, self.index.source, self._chain_target, self._rechain,
                    self.options.landmark_rules, self._occurs_once):
                if out[i] is results[i] and (may_place is None or may_place(i)):
                    out[i] = self._chain_by_landmarks(found, bracket)
        copies = self.options.preexisting_copies
        if copies is not None:
            # Asked of the cascade's answers (``results``), after the placements, which used
            # them as they were: a flagged copy is never a chain landmark (its chain
            # neighbours' old span would hold its stored position), at most a displaced one.
            for c in preexisting_copies(results, self.index.source, copies,
                                        self.options.landmark_rules, self._occurs_once):
                if may_place is None or may_place(c.index):
                    out[c.index] = self._copy_refused(results[c.index], c)
        return out

    @staticmethod
    def _copy_refused(res: Resolution, copy: PreexistingCopy) -> Resolution:
        """``res`` refused as a copy that was already there: ``orphaned``, the copy kept as
        its one candidate (the report shows where it is), the reason naming the landmarks."""
        return Resolution(res.annotation, Status.ORPHANED, rivals=(_seen(res),),
                          reason=copy.reason(res))

    @staticmethod
    def _contradicted(res: Resolution, found: Contradiction) -> Resolution:
        """``res`` refused because the landmarks put the passage where the quote also stands:
        ``ambiguous``, both places as candidates."""
        return Resolution(res.annotation, Status.AMBIGUOUS,
                          rivals=(_seen(res), *found.copies), reason=found.reason(res))

    def _both_verbatim(self, res: Resolution) -> bool:
        """Whether every context side ``res``'s annotation stored stands verbatim (view form)
        beside its answer."""
        view = self.index.view
        assert res.start is not None and res.end is not None
        query = self._stored_query(res.annotation)
        a, b = view.from_source(res.start), view.from_source(res.end)
        if not query.has_context or b <= a:
            return False
        return all(side == 1.0 for side in
                   query.evaluate(self.index, a, b, 0, Method.QUOTE).context_sides())

    def _copies_between(self, ann: Annotation, start: int, end: int) -> list[Candidate]:
        """The quote's verbatim copies (view form: whitespace ignored, folded as searched) in
        the text between code points ``start`` and ``end`` that keep a whole stored context side
        verbatim, as candidates (their score as the cascade scores them)."""
        view = self.index.view
        query = self._stored_query(ann)
        needle = query.quote
        if not needle:
            return []
        found = (query.evaluate(self.index, at, at + len(needle), 0, Method.QUOTE)
                 for at in find_all(view.text, needle, view.from_source(start),
                                    view.from_source(end)))
        return [self._candidate(m) for m in found if 1.0 in m.context_sides()]

    def _stored_query(self, ann: Annotation) -> Query:
        """The cascade's query for ``ann`` (its quote and stored context in view form, its
        stored position as the hint)."""
        return self._query(ann, stored_span(self.doc, ann.position, self._bmp_only))

    def _chain_target(self, res: Resolution) -> bool:
        """A refusal step 4 may reconsider between landmarks: a quote long enough for it, and
        a coverage floor for chains without agreeing context above the one with it."""
        opt, quote = self.options, res.annotation.quote
        return (quote is not None and opt.chain_bare_coverage > opt.chain_min_coverage
                and len(key(quote.exact, opt.fold)) >= opt.chain_min_quote)

    def _rechain(self, res: Resolution) -> Resolution | None:
        """``res``'s annotation resolved again with ``chain_bare_coverage`` lowered to
        ``chain_min_coverage`` (every other option the same, so only a step-4 chain whose
        context agrees at neither end can be accepted now), or None if still refused."""
        ann, opt = res.annotation, self.options
        # Only a best chain with no agreeing end and a coverage between the two floors can be
        # accepted now (step 4's best chain does not depend on the floors): the cheap test
        # first, so that other refusals (text not in the document) cost one chain search.
        chains = find_chains(self.index, self._stored_query(ann), opt)
        if not chains or chains[0].head or chains[0].tail or not (
                opt.chain_min_coverage <= chains[0].coverage < opt.chain_bare_coverage):
            return None
        alt = copy.copy(self)
        alt.options = replace(opt, chain_bare_coverage=opt.chain_min_coverage)
        found = alt.resolve(ann)
        return found if found.status.is_anchored else None

    def _chain_by_landmarks(self, found: Resolution, bracket: Bracket) -> Resolution:
        """Step 4's answer accepted between landmarks (``chain_in_bracket``): ``fuzzy``, its
        reason saying how much survives and between which landmarks."""
        ann = found.annotation
        assert found.start is not None and found.end is not None and ann.position is not None
        reason = (f"{found.reason}; {bracket.describe(ann.position.unit)}, so it needs no "
                  f"agreeing context")
        return self._anchored(ann, Status.FUZZY, Method.LANDMARKS, found.start, found.end,
                              found.score or 0.0, reason, found.edit_distance)

    def _occurs_once(self, quote: str) -> bool:
        """Whether ``quote`` occurs exactly once in the document's match view (gram index)."""
        needle = key(quote, self.options.fold)
        return bool(needle) and not self.index.occurs_more_than_once(needle) and bool(
            self.index.find_exact(needle))

    def _by_landmarks(self, refused: Resolution, placed: Placement) -> Resolution:
        """The resolution of an annotation placed between landmarks: ``drifted`` when the quote
        is unchanged up to whitespace, else ``fuzzy``; the reason names the landmarks."""
        ann, c = refused.annotation, placed.candidate
        assert ann.quote is not None
        found = self.index.source[c.start : c.end]
        if same_up_to_whitespace(found, ann.quote.exact):
            return self._anchored(ann, Status.DRIFTED, Method.LANDMARKS, c.start, c.end, c.score,
                                  placed.reason)
        distance = Levenshtein.distance(strip_ignorable(ann.quote.exact), strip_ignorable(found))
        reason = f"{placed.reason}; {change_reason(ann.quote.exact, found, distance)}"
        return self._anchored(ann, Status.FUZZY, Method.LANDMARKS, c.start, c.end, c.score,
                              reason, distance)


def _seen(res: Resolution) -> Candidate:
    """An accepted answer as a candidate, for the refusal that overturns it (the report still
    shows where it was)."""
    assert res.start is not None and res.end is not None and res.exact is not None
    assert res.start_utf16 is not None and res.end_utf16 is not None
    return Candidate(res.start, res.end, res.start_utf16, res.end_utf16, res.page or 0,
                     res.score or 0.0, res.exact)
