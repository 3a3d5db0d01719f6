"""Which annotations a repair rewrites, and to what (pure: resolutions in, updates out).

Rewritten: ``drifted`` annotations, and ``fuzzy`` ones scoring at least ``min_score``; in an
Obsidian note a rewritten annotation's ``documentFingerprint`` becomes the checked PDF's (the
others keep theirs: their offsets still index into the PDF they were made on, and the resolver
keeps annotations of different fingerprints apart).
Never touched: ``anchored`` (nothing to do), ``ambiguous``, ``orphaned``, ``invalid`` — a
repair must not turn a guess into a highlight that looks verified.

A rewrite must also be usable by the client: Hypothesis refuses highlights across a page break
and checks a position within one page, so a passage that now straddles pages is left alone (with
that reason) rather than given offsets no client can anchor.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tether.check import AnnotationResult, DocumentCheck
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


def update_for(r: AnnotationResult, fingerprint: str | None = None) -> SelectorUpdate:
    """The selector values that make ``r``'s annotation anchor exactly where it resolved
    (``r`` is drifted or fuzzy: :class:`tether.resolve.Resolution` then always has its span,
    quote and context). ``fingerprint``: the checked PDF's documentFingerprint, the PDF the
    new values index into (written only where a format keeps it per annotation:
    :class:`SelectorUpdate`)."""
    res = r.resolution
    span = res.span(r.file.unit)
    if span is None or res.exact is None:  # a caller's mistake, never a note's content
        raise ValueError(f"{res.id}: a {res.status.value} resolution has no span to write")
    return SelectorUpdate(start=span[0], end=span[1], exact=res.exact,
                          prefix=res.prefix or "", suffix=res.suffix or "",
                          fingerprint=fingerprint)


CROSSES_PAGES = ("the passage now crosses a page break; Hypothesis cannot anchor a highlight "
                 "across pages, so it is left for a person to re-highlight")


def plan_repairs(documents: list[DocumentCheck], *, min_score: float = DEFAULT_MIN_SCORE
                 ) -> list[FilePlan]:
    """Group results by file and choose what to rewrite. Every file of the documents gets a
    plan, one without annotations too (an empty plan: the report then says so, instead of
    leaving the file out as if it had not been read)."""
    # Results only come from documents without error, about their own files (a document in
    # error was never resolved), so every result's file has a plan here.
    plans: dict[int, FilePlan] = {}
    order: list[FilePlan] = []
    for f in (f for d in documents if not d.error for f in d.files):
        if id(f) not in plans:
            plans[id(f)] = FilePlan(f)
            order.append(plans[id(f)])
    for doc, r in ((d, r) for d in documents for r in d.results):
        plan = plans[id(r.file)]
        res = r.resolution
        if res.status == Status.ANCHORED:
            continue
        if res.status == Status.FUZZY and (res.score or 0) < min_score:
            plan.left[res.id] = f"fuzzy score {res.score:.2f} below --min-score {min_score:g}"
            continue
        if res.status not in (Status.DRIFTED, Status.FUZZY):
            plan.left[res.id] = f"{res.status.value}: {res.reason or 'not anchored'}"
            continue
        assert doc.text is not None and res.start is not None and res.end is not None
        if res.end > res.start and doc.text.page_of(res.start) != doc.text.page_of(res.end - 1):
            plan.left[res.id] = CROSSES_PAGES
            continue
        plan.updates[res.id] = update_for(r, doc.text.fingerprint)
    return order
