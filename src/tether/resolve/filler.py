"""Filler: dot leaders, rules and blanks, which agree wherever they are repeated.

A table of contents puts ``. . . .`` on every line and a form puts ``____`` beside every field,
so a stored context side that is filler, or a quote of filler whose context agrees only in its
filler, says nothing about *which* line it was on. Step 1 (:mod:`tether.resolve.cascade`,
``_position_confirmed``) asks this module whether the agreement it found at the stored position
is of that kind; then the position does not settle the answer alone (``FILLER_TIE``).

All strings here are in view form (:mod:`tether.resolve.normalize`: whitespace removed, folded),
indices are view indices.
"""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein

#: Filler has at most this many distinct characters: a dot leader is dots (and the spaces the
#: view drops), a rule is dashes or underscores. A row of *varied* digits is not filler (a
#: review: a matrix row sent to an earlier matrix by its digits).
MAX_FILLER_CHARS = 2


def is_filler_side(side: str, quote: str) -> bool:
    """Whether a stored context side is filler: one or two characters, all of them the quote's
    own (a dot leader beside a quote of dots)."""
    chars = set(side)
    return len(chars) <= MAX_FILLER_CHARS and chars <= set(quote)


def is_filler_quote(quote: str) -> bool:
    """Whether the quote itself is filler: one or two characters, none a letter or digit (a
    highlighted dot leader, rule or blank; ``"1111"`` is not)."""
    chars = set(quote)
    return 0 < len(chars) <= MAX_FILLER_CHARS and not any(c.isalnum() for c in chars)


def agrees_beyond_filler(side: str, found: str, quote: str, is_prefix: bool,
                         agree: float) -> bool:
    """Whether a stored context side of a filler quote agrees with the document beside a place
    in what is *not* filler: the side and the document's text beside the place (``found``, as
    long as the side; the text before the place for a prefix) with the quote's characters
    removed, the ends nearest the quote compared, normalised Levenshtein similarity at least
    ``agree``.

    Why: beside a dot leader the side ``"T . . . . . . ."`` (the end of "ESPRIT") agrees 15 of
    16 with ``"o . . . . . . ."`` (the end of "Armonico"), yet the one character that tells the
    contents lines apart differs (held-out draws, session 12: the Italian thesis v3 → v4 dot
    leaders anchored on the next contents line, three cases over two draws)."""
    filler = set(quote)
    mine = "".join(c for c in side if c not in filler)
    if not mine:
        return False  # all filler: it agrees anywhere
    theirs = "".join(c for c in found if c not in filler)
    theirs = theirs[-len(mine):] if is_prefix else theirs[:len(mine)]
    return Levenshtein.normalized_similarity(mine, theirs) >= agree


def agrees_only_in_filler(side: str, is_prefix: bool, quote: str, view: str, at: int,
                          after: int, agree: float) -> bool:
    """Whether a stored context side that agrees beside the quote at view span ``[at, after)``
    of ``view`` agrees there only in filler: the side is filler itself, or the quote is and the
    side's other characters do not agree (:func:`agrees_beyond_filler`)."""
    if is_filler_side(side, quote):
        return True
    if not is_filler_quote(quote):
        return False
    found = view[max(0, at - len(side)):at] if is_prefix else view[after:after + len(side)]
    return not agrees_beyond_filler(side, found, quote, is_prefix, agree)


#: The reason of a stored position confirmed only by filler while the search answers elsewhere.
FILLER_TIE = ("the stored position holds the quote, but only filler (dots, rules) of its "
              "stored context agrees there, and the rest of the evidence points elsewhere")
