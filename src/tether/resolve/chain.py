"""Step 4: a heavily edited passage, found by the pieces of it that survived in order.

Steps 2 and 3 measure a candidate by its *edit distance* to the quote, which caps what they can
find at ``max_edit_ratio`` of the quote changed. A passage that lost a third of its text to a
rewrite (a sentence cut, a formula renumbered and reworded, a list item dropped) is beyond that,
yet most of it is still there, in order, where it was. This step looks for exactly that:

1. *Seeds*: the gram votes of ``prefix + quote + suffix`` (:meth:`DocumentIndex.regions`), with a
   tolerance wide enough for large insertions and deletions, name a few regions.
2. *Pieces*: in each region's window, a longest-common-subsequence alignment of the quote gives
   its matching blocks (each grown back over verbatim characters the alignment spent elsewhere);
   only blocks of at least ``PIECE_LEN`` characters that occur at most ``MAX_REPEATS`` times in
   the whole document count (a 10-character run of prose is rare; a repeated
   ``https://doi.org/`` or a formula fragment used all over says nothing about *where*).
3. *Chain*: the blocks are collinear by construction (monotone in quote and document order); a
   gap of more than ``ResolveOptions.chain_max_gap`` view characters of new text between two
   blocks ends a chain, so a chain is one contiguous passage, never two fragments that happen
   to be near each other.
   ``coverage`` is the share of the stored quote's characters the chain keeps (visible
   characters of its blocks plus the spaces they kept).
4. *Brackets*: the chain's start is bracketed when the quote's first characters survived (at most
   ``END_SLACK`` are missing) and the stored prefix agrees right before it; its end likewise with
   the suffix. A bracketed end is extended to where the context says the passage begins or ends.

Whether a chain is good enough is decided by :func:`~tether.resolve.decide.chain_objection`
(thresholds in :mod:`tether.resolve.options`). All positions are match-view indices.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from rapidfuzz.distance import LCSseq

from tether.resolve.blocks import matching_blocks
from tether.resolve.evidence import Query, prefix_similarity, suffix_similarity
from tether.resolve.index import GRAM_LEN, MIN_INDEXED_NEEDLE, DocumentIndex
from tether.resolve.normalize import KeyView, build_view
from tether.resolve.options import ResolveOptions

#: Least length (view characters) of a surviving block. The gram index finds every occurrence of
#: a needle this long, so each block's rarity is measured exactly; and ten characters of prose
#: (two words) rarely match by chance inside the same window. DEV (see options.py): 8 → +10
#: edited, 12 → +1, no wrong anchor either way.
PIECE_LEN = MIN_INDEXED_NEEDLE
#: A block found more often than this in the document is boilerplate (a DOI prefix, a repeated
#: formula fragment, a running header) and is not counted. DEV: 1 → −3 edited, 10 → +6, no wrong
#: anchor either way.
MAX_REPEATS = 3
#: Regions (by votes) examined per annotation. DEV: 2 → +2 edited, +2 moved; 8 → no change.
MAX_REGIONS = 4
#: The window around a region reaches this share of the quote beyond each end of it, so a
#: passage that grew by half its length still fits.
WINDOW_SHARE = 0.5
#: Quote characters that may be missing at a chain's end for it still to count as the quote's
#: end (a changed first or last word), and how far the context may sit beyond that.
END_SLACK = 8


@dataclass(frozen=True, slots=True)
class Chain:
    """One chain of surviving blocks: view span ``[start, end)`` (extended to agreeing context
    when bracketed), ``coverage`` of the quote in 0..1, the number of ``pieces``, and whether the
    start / end is bracketed by agreeing context (``head`` / ``tail``)."""

    start: int
    end: int
    coverage: float
    pieces: int
    head: bool
    tail: bool
    #: Quote characters before the first block / after the last one, and the quote's length.
    lead: int
    trail: int
    quote_length: int

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end

    def continues(self, other: Chain) -> bool:
        """True when ``other`` reads as more of the same passage: after this chain in both the
        quote and the document (or before in both), with no more new text between them than
        the quote's own length (an edit, not a move)."""
        m = self.quote_length
        if other.start >= self.end:
            return other.lead + PIECE_LEN >= m - self.trail and other.start - self.end <= m
        if other.end <= self.start:
            return other.trail + PIECE_LEN >= m - self.lead and self.start - other.end <= m
        return False

    def shares_text(self, other: Chain) -> bool:
        """True when ``other`` holds some of the same quote text (at least a block's worth), so
        it is another candidate place for it, not another part of a passage split up."""
        lo = max(self.lead, other.lead)
        hi = min(self.quote_length - self.trail, other.quote_length - other.trail)
        return hi - lo >= PIECE_LEN

    @property
    def ends(self) -> str:
        """Which ends are bracketed by agreeing context, for messages."""
        sides = [name for name, ok in (("prefix", self.head), ("suffix", self.tail)) if ok]
        return " and ".join(sides) + (" agree" if len(sides) > 1 else " agrees") if sides \
            else "the stored context agrees at neither end"


def find_chains(index: DocumentIndex, query: Query, opt: ResolveOptions,
                complete: bool = False) -> list[Chain]:
    """The chains in the best few regions, most coverage first; of chains that overlap in the
    document only the best is kept.

    The first chain is always the best one. The rest of the list is complete (every chain)
    whenever step 4 reads it, i.e. unless the best chain :func:`falls_short` of the coverage it
    needs: then only the best chain decides the answer (the refusal names its coverage), so
    chains that provably keep fewer characters than it are not measured. Each window's blocks
    are cut into coarse groups (:meth:`_Search.coarse_groups`), each with an upper bound on what
    a chain inside it keeps; the groups are measured highest bound first, and once a group's
    bound is below the best chain's, neither it nor any group after it can matter. (Most
    blocks of a deleted passage's windows are scattered text: their rarity and chains are then
    never measured.) ``complete`` measures every chain regardless (the reference the tests
    compare with).
    """
    m = len(query.quote)
    if m < opt.chain_min_quote:
        return []
    search = _Search(index, query, opt.context_agree, opt.chain_max_gap)
    view = index.view.text
    needle = query.prefix + query.quote + query.suffix
    origin = len(query.prefix)
    # The same clustering tolerance as step 3 (a quarter of the quote), so the index answers
    # from its memo of step 3's query.
    regions = index.regions(needle, origin, origin + m, max(GRAM_LEN, m // 4))[:MAX_REGIONS]
    reach = int(WINDOW_SHARE * m) + GRAM_LEN
    # (bound, (window, group), blocks) for every coarse group, highest bound first; the
    # (window, group) pair is the group's place in the unpruned search.
    coarse = sorted(
        ((upper, (w, g), blocks) for w, region in enumerate(regions)
         for g, (blocks, upper) in enumerate(search.coarse_groups(
             max(0, region.low - reach), min(len(view), region.high + m + reach)))),
        key=lambda t: (-t[0], t[1]))
    measured: list[tuple[tuple[int, int, int], Chain]] = []
    best: Chain | None = None  # the best chain so far: first in the final sort
    place: tuple[float, int, tuple[int, int, int]] = (0.0, 0, (0, 0, 0))  # its sort key
    kept = 0  # the characters it keeps
    for upper, (w, g), blocks in coarse:
        if best is not None and upper < kept and not complete and falls_short(best, opt):
            break  # no chain left keeps as much as the best, which decides alone
        for k, group in enumerate(search.rare_groups(blocks)):
            chain, covered = search.measure(group)
            measured.append(((w, g, k), chain))
            key = (-chain.coverage, chain.start, (w, g, k))
            if best is None or key < place:
                best, place, kept = chain, key, covered
    # The order the chains come in without skipping (the sort below is stable, so ties
    # between chains resolve as they did).
    measured.sort(key=lambda t: t[0])
    every = [chain for _, chain in measured]
    # Overlapping windows find the same chain twice (or a part of it): keep the best.
    every.sort(key=lambda c: (-c.coverage, c.start))
    found: list[Chain] = []
    for chain in every:
        if not any(chain.overlaps(c.start, c.end) for c in found):
            found.append(chain)
    return found


def needed_coverage(chain: Chain, opt: ResolveOptions) -> float:
    """The share of the quote (0..1) step 4 needs ``chain`` to keep: ``chain_min_coverage`` when
    the stored context agrees at a surviving end, else ``chain_bare_coverage``."""
    return opt.chain_min_coverage if chain.head or chain.tail else opt.chain_bare_coverage


def too_thin(chain: Chain, opt: ResolveOptions) -> bool:
    """Whether ``chain`` is one surviving piece, shorter than ``chain_bare_piece`` view
    characters, with the stored context agreeing at neither end: too little to tell the passage
    from text that merely shares a phrase with it (``CHAIN_BARE_PIECE``)."""
    return (not (chain.head or chain.tail) and chain.pieces == 1
            and chain.quote_length - chain.lead - chain.trail < opt.chain_bare_piece)


def falls_short(chain: Chain, opt: ResolveOptions) -> bool:
    """Whether ``chain``, the best one, keeps less of the quote than step 4 needs to accept it
    (:func:`~tether.resolve.decide.chain_objection`'s first rule), or is :func:`too_thin`. Then
    no other chain changes the answer: step 4 refuses, naming this chain."""
    return chain.coverage < needed_coverage(chain, opt) or too_thin(chain, opt)


class _Search:
    """One annotation's chain search: the quote's own view (for coverage in stored characters)
    and the rarity of each block, measured once."""

    def __init__(self, index: DocumentIndex, query: Query, agree: float, max_gap: int) -> None:
        self.index, self.query, self.agree, self.max_gap = index, query, agree, max_gap
        self.rare: dict[str, bool] = {}

    @cached_property
    def quote_view(self) -> KeyView:
        """The stored quote's own view, built only when a chain is measured (~40 µs for a
        passage; a deleted one often has no chain)."""
        view = build_view(self.query.exact, self.index.fold)
        assert view.text == self.query.quote
        return view

    def chains_in(self, lo: int, hi: int) -> list[Chain]:
        """Every chain of rare surviving blocks in ``view[lo:hi]``."""
        return [self.measure(group)[0] for coarse, _ in self.coarse_groups(lo, hi)
                for group in self.rare_groups(coarse)]

    def coarse_groups(self, lo: int, hi: int) -> list[tuple[list[tuple[int, int, int]], int]]:
        """The blocks of at least ``PIECE_LEN`` in ``view[lo:hi]`` cut where more than
        ``max_gap`` view characters separate two of them, rare or not, each group with an upper
        bound on the stored characters any chain inside it keeps: the document characters its
        blocks span (a block keeps an LCS of its stored and its document text).

        Each chain of rare blocks lies inside one such group: leaving the common blocks out
        only widens gaps, so it can split a group, never join two."""
        index = self.index
        blocks = [b for b in matching_blocks(self.query.quote, index.view.text, lo, hi, PIECE_LEN)
                  if b[1] - b[0] >= PIECE_LEN]
        to_source = index.view.to_source
        out: list[tuple[list[tuple[int, int, int]], int]] = []
        for b in blocks:
            c, d = to_source(b[2], _view_end(b))
            if out and b[2] - _view_end(out[-1][0][-1]) <= self.max_gap:
                out[-1][0].append(b)
                out[-1] = (out[-1][0], out[-1][1] + d - c)
            else:
                out.append(([b], d - c))
        return out

    def rare_groups(self, blocks: list[tuple[int, int, int]]) -> list[list[tuple[int, int, int]]]:
        """The chains' blocks among ``blocks`` (one coarse group): the rare ones, cut where
        more than ``max_gap`` view characters of new text separate two."""
        quote = self.query.quote
        groups: list[list[tuple[int, int, int]]] = []
        for b in blocks:
            if not self._is_rare(quote[b[0] : b[1]]):
                continue
            if groups and b[2] - _view_end(groups[-1][-1]) <= self.max_gap:
                groups[-1].append(b)
            else:
                groups.append([b])
        return groups

    def _is_rare(self, piece: str) -> bool:
        rare = self.rare.get(piece)
        if rare is None:
            rare = self.rare[piece] = len(self.index.find_exact(piece)) <= MAX_REPEATS
        return rare

    def measure(self, group: list[tuple[int, int, int]]) -> tuple[Chain, int]:
        """The chain of ``group``'s blocks, and the stored characters it keeps."""
        query, view = self.query, self.index.view.text
        m = len(query.quote)
        start, end = group[0][2], _view_end(group[-1])
        lead, trail = group[0][0], m - group[-1][1]
        # Coverage counts stored characters, whitespace included (the unit in which "half of
        # the quote survives" is meant): a block's visible characters plus the spaces it still
        # has where the quote had them (a reflowed line end loses or gains one).
        covered = 0
        source, view_map = self.index.source, self.index.view
        for qa, qb, va in group:
            a, b = self.quote_view.to_source(qa, qb)
            c, d = view_map.to_source(va, va + qb - qa)
            covered += LCSseq.similarity(query.exact[a:b], source[c:d])
        head = tail = False
        if lead <= END_SLACK and query.prefix:
            at = _best_boundary(range(start, max(0, start - lead - END_SLACK) - 1, -1),
                                lambda p: prefix_similarity(query.prefix, view, p))
            if at is not None and at[1] >= self.agree:
                head, start = True, at[0]
        if trail <= END_SLACK and query.suffix:
            at = _best_boundary(range(end, min(len(view), end + trail + END_SLACK) + 1),
                                lambda p: suffix_similarity(query.suffix, view, p))
            if at is not None and at[1] >= self.agree:
                tail, end = True, at[0]
        return Chain(start, end, covered / len(query.exact), len(group), head, tail, lead,
                     trail, m), covered


def _view_end(block: tuple[int, int, int]) -> int:
    return block[2] + block[1] - block[0]


def _best_boundary(positions: range, similarity: Callable[[int], float | None]
                   ) -> tuple[int, float] | None:
    """The position with the highest similarity (the first one, i.e. nearest the block, on
    ties). Similarities are at most 1.0, so a position scoring 1.0 ends the search: no later
    one can score higher."""
    best: tuple[int, float] | None = None
    for p in positions:
        s = similarity(p)
        if s is not None and (best is None or s > best[1]):
            best = (p, s)
            if s >= 1.0:
                break
    return best
