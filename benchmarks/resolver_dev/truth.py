"""Corrections of the fixtures' truth method (``scripts/make_update_cases.py``) for DEV.

``make_update_cases.classify`` decides each case from a whole-text alignment. Auditing DEV's
wrong anchors (session 5) found three ways it misjudges a passage that a reader would call the
same; corrections 1–3 below use the classifier's own thresholds and only ever turn a ``deleted``
case into a findable one or accept one more span, so they can only remove a "wrong" verdict.
Corrections 4 and 5 (session 8) go the other way: a truth span that is not the annotated passage
at all is taken away, so it can *add* a "wrong" verdict (an anchor there was counted found).
Correction 6 (session 9) takes away accepted spans besides the truth that are not the passage.
Correction 7 (session 10) moves a truth span from a verbatim copy that is not the passage to the
passage's edited form. Correction 8 (session 13) finds a ``deleted`` passage by its surroundings
where a section was reformatted and reordered (a bibliography turned author–year). The
acceptance fixtures (``fixtures/updates``) carry the same corrections (``suite_a_truth.py
--write``: since session 6, 6 of 1,350 cases :func:`rejoin_in_place`; since session 8, 2 more
:func:`pre_existing_copy` and 1 :func:`thin_search`, which also takes a span away; since
session 9, 5 :func:`other_copies` and 1 more :func:`pre_existing_copy`, a verbatim copy whose
context says it is another old copy's; since session 13, 1 :func:`by_surroundings`). A case's
``truth_fix`` names every correction that applied, joined by ``+`` (:func:`markers`).

This module applies them in order (:func:`refine`); each family lives in its own module, whose
docstring says what the classifier gets wrong and why the correction is safe:

- :mod:`missed_passage` — 1. :func:`rejoin_in_place` (a passage edited in place around an
  insertion of 41+ characters), 2. :func:`tight_search` (a short quote its widened search
  window swamped), 3. :func:`accept_context_twins` (a verbatim copy with agreeing context where
  A paired a repeated string with the wrong copy).
- :mod:`not_the_passage` — 4. :func:`pre_existing_copy` (a truth span that is OLD's other,
  surviving text), 5. :func:`thin_search` (a span only the whole-text search supports, on a few
  shared characters), 6. :func:`other_copies` (accepted ``alternatives`` / ``occurrences`` that
  are not the passage); 4 and 5 re-decide the case by one ladder (:func:`redecide`).
- :mod:`surroundings` — 8. :func:`by_surroundings` (a passage whose surroundings' unique window
  in NEW keeps at least half of it: a reformatted, reordered bibliography entry).
- :mod:`across_insertion` — 7. :func:`across_insertion.across_insertion` (a verbatim copy A
  reached by jumping over an insertion that holds the passage's edited form).
- :mod:`passage` — what they share: :class:`Passage` (one case's annotated passage and what
  tells it from other text), :func:`inverse`, :func:`traced_elsewhere`,
  :func:`two_sided_context`, the ``truth_fix`` markers.

The names importers use (``refine``, ``inverse``, ``markers``, ``Passage``, the corrections)
stay importable from here.
"""

from __future__ import annotations

from typing import Any

import make_update_cases as M
from across_insertion import across_insertion
from missed_passage import REJOIN_SHARE, accept_context_twins, rejoin_in_place, tight_search
from not_the_passage import other_copies, pre_existing_copy, redecide, thin_search
from passage import (
    PRE_EXISTING_SHARE,
    Passage,
    inverse,
    mark,
    markers,
    traced_elsewhere,
    two_sided_context,
)
from surroundings import by_surroundings

__all__ = [
    "PRE_EXISTING_SHARE", "REJOIN_SHARE", "Passage", "accept_context_twins", "across_insertion",
    "inverse", "markers", "other_copies", "pre_existing_copy", "redecide", "refine",
    "by_surroundings", "rejoin_in_place", "thin_search", "tight_search", "traced_elsewhere",
    "two_sided_context",
]

#: :func:`passage.mark` by the name it had here (``tests/test_truth_audit.py`` uses it).
_mark = mark


def refine(case: dict, old: str, new: str, mapping: list[int], mo: M.Utf16Map, mn: M.Utf16Map,
           nows: tuple[str, list[int]], dmp: Any, inv: list[int]) -> str | None:
    """Apply the corrections above to one classified case; the ones applied (``truth_fix``).

    ``inv`` is :func:`inverse` of ``mapping``. :func:`pre_existing_copy` runs on every outcome
    of 1–3, 7 and 8 too (a span :func:`tight_search` or :func:`by_surroundings` found can be a
    surviving copy); :func:`thin_search` on the classifier's own decisions only;
    :func:`other_copies` last, on every case (a case that 4 or 5 decided is left alone by 1–5,
    7 and 8 when applied again; one that 7 decided is no longer ``intact``, so 7 leaves it
    alone; one that 8 found is no longer ``deleted``).
    """
    s, e = mo.to_cp(case["old"]["start_utf16"]), mo.to_cp(case["old"]["end_utf16"])
    passage = Passage(old, new, mapping, inv, s, e, mo, mn, nows)
    fixed = False
    if not {"pre_existing_copy", "thin_search"} & set(markers(case)):
        # (decided; tight_search would find the surviving copy again)
        span = passage.span
        fixed = (rejoin_in_place(case, old, new, mapping, s, e, span)
                 or tight_search(case, old, new, mapping, s, e, span, dmp)
                 or accept_context_twins(case, old, new, s, e, mn, nows, span)
                 or across_insertion(case, passage, dmp)
                 or by_surroundings(case, passage, dmp))
        fixed = pre_existing_copy(case, passage) or fixed
        fixed = thin_search(case, passage, dmp) or fixed
    fixed = other_copies(case, passage) or fixed
    return case["truth_fix"] if fixed else None
