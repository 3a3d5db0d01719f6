"""Which annotations a repair rewrites, and to what (pure: resolutions in, updates out).

Rewritten: ``drifted`` annotations, and ``fuzzy`` ones scoring at least ``min_score``.
Never touched: ``anchored`` (nothing to do), ``ambiguous``, ``orphaned``, ``invalid`` — a
repair must not turn a guess into a highlight that looks verified.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tether.check import AnnotationResult
from tether.formats import AnnotationFile, SelectorUpdate
from tether.resolve import Status

#: Default least score for rewriting a ``fuzzy`` annotation (the resolver's own floor is lower:
#: it reports weaker fuzzy matches, but a repair writes them into people's notes).
DEFAULT_MIN_SCORE = 0.8


@dataclass
class FilePlan:
    """Updates for one file (offsets in the file's unit) and why others were left alone."""

    file: AnnotationFile
    updates: dict[str, SelectorUpdate] = field(default_factory=dict)
    left: dict[str, str] = field(default_factory=dict)


def update_for(r: AnnotationResult) -> SelectorUpdate | None:
    """The selector values that make ``r``'s annotation anchor exactly where it resolved."""
    res = r.resolution
    span = res.span(r.file.unit)
    if span is None or res.exact is None:
        return None
    return SelectorUpdate(start=span[0], end=span[1], exact=res.exact,
                          prefix=res.prefix or "", suffix=res.suffix or "")


def plan_repairs(results: list[AnnotationResult], *, min_score: float = DEFAULT_MIN_SCORE
                 ) -> list[FilePlan]:
    """Group results by file and choose what to rewrite."""
    plans: dict[int, FilePlan] = {}
    order: list[FilePlan] = []
    for r in results:
        key = id(r.file)
        if key not in plans:
            plans[key] = FilePlan(r.file)
            order.append(plans[key])
        plan = plans[key]
        res = r.resolution
        if res.status == Status.ANCHORED:
            continue
        if res.status == Status.FUZZY and (res.score or 0) < min_score:
            plan.left[res.id] = f"fuzzy score {res.score:.2f} below --min-score {min_score:g}"
            continue
        if res.status not in (Status.DRIFTED, Status.FUZZY):
            plan.left[res.id] = f"{res.status.value}: {res.reason or 'not anchored'}"
            continue
        update = update_for(r)
        if update is None:
            plan.left[res.id] = "no resolved span"
            continue
        plan.updates[res.id] = update
    return order
