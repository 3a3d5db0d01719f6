"""The check workflow: annotation files → their PDFs → text model → resolutions.

This is the library API behind ``tether check`` and ``tether repair`` (the CLI is a thin layer
over :func:`check_paths`). Failures are collected per item — an unreadable note, a missing PDF —
and never stop the other items.
"""

from __future__ import annotations

import errno
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tether.formats import (
    JSON_SUFFIXES,
    AnnotationFile,
    FormatError,
    ObsidianNote,
    load_annotations,
)
from tether.locate import TargetError, resolve_target, walk_files
from tether.offsets import OffsetUnit
from tether.resolve import DEFAULT_OPTIONS, Resolution, ResolveOptions, Resolver, Status
from tether.selectors import Annotation
from tether.textmodel.cache import TextCache
from tether.textmodel.load import (
    DEFAULT_LIMITS,
    DEFAULT_MODEL,
    PDF_HEADER_WINDOW,
    PDF_SIGNATURE,
    ExtractionLimits,
    PdfError,
    load_text,
    looks_like_pdf,
)
from tether.textmodel.model import DocumentText

#: The reason every annotation of a PDF without any text gets.
NO_TEXT_LAYER = "no text layer: the PDF has no extractable text (a scan without OCR?)"
#: The reason every annotation of a PDF with no pages at all gets.
NO_PAGES = "the PDF has no pages"


@dataclass
class InputError:
    """An item that could not be processed, with a message for people."""

    path: str
    message: str


@dataclass
class AnnotationResult:
    """One annotation's resolution, with the file it came from."""

    file: AnnotationFile
    resolution: Resolution

    @property
    def source(self) -> str:
        return str(self.file.path) if self.file.path else "<text>"


@dataclass
class DocumentCheck:
    """Every annotation file about one PDF, resolved against that PDF's text."""

    pdf: Path | None
    files: list[AnnotationFile]
    text: DocumentText | None = None
    results: list[AnnotationResult] = field(default_factory=list)
    #: Page notes (annotations with no text selectors): nothing to anchor, listed only.
    page_notes: list[AnnotationResult] = field(default_factory=list)
    error: str | None = None

    @property
    def model(self) -> str:
        return self.text.model if self.text else DEFAULT_MODEL

    @property
    def fingerprint(self) -> str | None:
        return self.text.fingerprint if self.text else None

    @property
    def stored_fingerprints(self) -> list[str]:
        """Every distinct ``documentFingerprint`` the files' annotations store, sorted."""
        return sorted(self.stored_fingerprint_counts)

    @property
    def stored_fingerprint_counts(self) -> dict[str, int]:
        """How many of the files' annotations store each ``documentFingerprint`` (as written;
        annotations storing none are not counted). A note holds several after a partial
        ``repair``: the rewritten annotations store the new PDF's, the others the old one's."""
        counts = Counter(a.fingerprint for f in self.files for a in f.annotations
                         if a.fingerprint)
        return dict(sorted(counts.items()))

    @property
    def pdf_changed(self) -> bool | None:
        """Whether the PDF's /ID[0] differs from every stored ``documentFingerprint`` (None:
        nothing stored or the PDF was not read). False when some annotations store this PDF's
        and others another's: :attr:`stored_fingerprint_counts` tells them apart."""
        stored = self.stored_fingerprints
        if not stored or self.fingerprint is None:
            return None
        return self.fingerprint.lower() not in {s.lower() for s in stored}

    @property
    def summary(self) -> dict[str, int]:
        counts = Counter(r.resolution.status.value for r in self.results)
        return {s.value: counts.get(s.value, 0) for s in Status}


@dataclass
class CheckRun:
    """The outcome of checking some paths."""

    documents: list[DocumentCheck] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)

    @property
    def results(self) -> list[AnnotationResult]:
        return [r for d in self.documents for r in d.results]

    @property
    def all_anchored(self) -> bool:
        return all(r.resolution.status == Status.ANCHORED for r in self.results)

    @property
    def exit_code(self) -> int:
        """0 all anchored; 1 anything else found; 2 an input error (file, PDF) occurred."""
        if self.errors or any(d.error for d in self.documents):
            return 2
        return 0 if self.all_anchored else 1


def gather_files(paths: Sequence[Path], run: CheckRun, *, unit: OffsetUnit | None = None,
                 pdf_goes: str | None = None) -> list[AnnotationFile]:
    """Load every annotation file named by ``paths`` (folders: every note in them with an
    ``annotation-target``). Unreadable files are recorded in ``run.errors``; a PDF among them
    with ``pdf_goes`` as the advice, for a command without ``--pdf`` (``{path}``: the PDF;
    None: the command has ``--pdf``, "give it with --pdf PATH").

    A file reached twice (named twice, via ``./``, a link, or named and inside a named folder)
    is loaded once: its annotations would count twice, and ``repair`` would write it twice —
    the second write refused as "changed since it was read" after the first had succeeded."""
    files: list[AnnotationFile] = []
    seen: set[str] = set()

    def first_time(path: Path) -> bool:
        real = os.path.realpath(path)  # never raises, link loops included
        if real in seen:
            return False
        seen.add(real)
        return True

    def unreadable_folder(exc: OSError) -> None:
        where = exc.filename or "?"
        run.errors.append(InputError(str(where), f"{where}: cannot read the folder: "
                                     f"{exc.strerror or exc}; its notes were not checked"))

    for path in paths:
        if path.is_dir():
            errors_before, found = len(run.errors), False
            for note in walk_files(path, ".md", on_error=unreadable_folder):
                if not first_time(note):
                    found = True  # named too (or reached twice): read once, but it is here
                    continue
                try:
                    loaded = load_annotations(note, format="obsidian", unit=unit)
                except FormatError as exc:
                    run.errors.append(InputError(str(note), str(exc)))
                    continue
                if isinstance(loaded, ObsidianNote) and loaded.target:
                    files.append(loaded)
                    found = True
            if not found and len(run.errors) == errors_before:
                # A typo'd vault path, or the wrong folder: silence would read as "all fine".
                run.errors.append(InputError(str(path), _nothing_in_folder(path, pdf_goes)))
        elif path.exists():
            if not first_time(path):
                continue
            # `tether check notes.json paper.pdf`: the PDF in the wrong place. A file named
            # like an annotation file is read as one first: a note may quote "%PDF-1.7".
            if not _named_like_annotations(path) and _is_pdf(path):
                run.errors.append(InputError(str(path), _pdf_in_the_wrong_place(path, pdf_goes)))
                continue
            try:
                loaded = load_annotations(path, unit=unit)
            except FormatError as exc:
                message = _pdf_in_the_wrong_place(path, pdf_goes) if _is_pdf(path, strict=True) \
                    else str(exc)
                run.errors.append(InputError(str(path), message))
                continue
            if isinstance(loaded, ObsidianNote) and not loaded.target \
                    and not loaded.annotations and _is_pdf(path, strict=True):  # NAME.md
                run.errors.append(InputError(str(path), _pdf_in_the_wrong_place(path, pdf_goes)))
                continue
            files.append(loaded)
        else:
            run.errors.append(InputError(str(path), _why_missing(path)))
    return files


def _named_like_annotations(path: Path) -> bool:
    """Whether ``path``'s name is one annotation files have (a note, a JSON export)."""
    return path.suffix.lower() in (".md", *JSON_SUFFIXES)


def _is_pdf(path: Path, strict: bool = False) -> bool:
    """Whether ``path`` starts like a PDF (:func:`looks_like_pdf`, the rule :func:`load_text`
    applies); an unreadable file is left to the annotation reader's message. ``strict``, for a
    file named like an annotation file: only one that *starts* with the header (a PDF saved as
    NAME.md does; a note or a JSON export that merely quotes "%PDF-1.7" does not)."""
    try:
        with open(path, "rb") as f:
            head = f.read(PDF_HEADER_WINDOW)
    except OSError:
        return False
    if strict:
        return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(PDF_SIGNATURE)
    return looks_like_pdf(head)


def _pdf_in_the_wrong_place(path: Path, pdf_goes: str | None) -> str:
    """The message for a PDF given where annotation files go (``pdf_goes``: as for
    :func:`gather_files`)."""
    advice = f"give it with --pdf {path}" if pdf_goes is None else pdf_goes.format(path=path)
    return f"{path}: is a PDF, not an annotation file; {advice}"


def _nothing_in_folder(folder: Path, pdf_goes: str | None) -> str:
    """Why a folder named on the command line gave no annotation file (``pdf_goes``: as for
    :func:`gather_files`; JSON files need ``--pdf`` where the command has it)."""
    message = (f"{folder}: no annotation files found in this folder (a folder is searched for "
               "Obsidian Annotator notes: .md files with an annotation-target)")
    if next(iter(walk_files(folder, ".json")), None) is not None:
        message += ("; name Hypothesis / W3C .json files one by one"
                    + (", with --pdf" if pdf_goes is None else ""))
    return message


def _why_missing(path: Path) -> str:
    """Why ``path`` cannot be opened although it was named: missing, a link loop, ..."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return f"{path}: a symbolic link loop (too many levels of symbolic links)"
        if path.is_symlink():
            return f"{path}: a broken symbolic link (its target does not exist)"
        if not isinstance(exc, FileNotFoundError):
            return f"{path}: cannot open: {exc.strerror or exc}"
    return f"{path}: no such file or folder"


def _pdf_for(file: AnnotationFile, pdf: Path | None) -> Path:
    if pdf is not None:
        return pdf
    if isinstance(file, ObsidianNote):
        assert file.path is not None
        return resolve_target(file.path, file.target, file.target_type)
    # group_by_pdf puts the file's path in front of the message (once).
    sources = sorted({a.source for a in file.annotations if a.source})
    about = f" (its annotations are about {sources[0]})" if len(sources) == 1 else ""
    raise TargetError(f"a {_FORMAT_NAMES.get(file.format, file.format)} file does not name a "
                      f"local PDF{about}; pass --pdf FILE")


_FORMAT_NAMES = {"hypothesis": "Hypothesis JSON", "w3c": "W3C JSON-LD"}


def group_by_pdf(files: Iterable[AnnotationFile], pdf: Path | None, run: CheckRun
                 ) -> list[DocumentCheck]:
    """One :class:`DocumentCheck` per distinct PDF; files whose PDF cannot be found become a
    document with ``error`` set (so reports still list them)."""
    groups: dict[Path, DocumentCheck] = {}
    out: list[DocumentCheck] = []
    for f in files:
        try:
            target = _pdf_for(f, pdf).resolve()
        except TargetError as exc:
            out.append(DocumentCheck(pdf=None, files=[f], error=f"{f.path}: {exc}"))
            continue
        if target not in groups:
            groups[target] = DocumentCheck(pdf=target, files=[])
            out.append(groups[target])
        groups[target].files.append(f)
    return out


def settled_without_matching(check: DocumentCheck, has_text: bool
                             ) -> Iterator[tuple[AnnotationFile, Annotation, Resolution | None]]:
    """Each annotation of ``check.files`` with what is decided before any matching: page notes
    go to ``check.page_notes`` (not yielded); on a PDF without text every annotation is
    orphaned (or invalid, when its reader found problems). ``None``: the caller must match it."""
    assert check.text is not None
    for f in check.files:
        for ann in f.annotations:
            if ann.extra.get("kind") == "page-note" and not ann.problems:
                check.page_notes.append(AnnotationResult(f, Resolution(
                    annotation=ann, status=Status.INVALID,
                    reason="page note: no text selectors, nothing to anchor")))
            elif has_text:
                yield f, ann, None
            elif ann.problems:
                yield f, ann, Resolution(annotation=ann, status=Status.INVALID,
                                         reason="; ".join(ann.problems))
            else:
                yield f, ann, Resolution(annotation=ann, status=Status.ORPHANED,
                                         reason=NO_TEXT_LAYER if check.text.pages else NO_PAGES)


def no_text_reason(text: DocumentText) -> str | None:
    """Why ``text`` gives an annotation nothing to anchor to (:data:`NO_TEXT_LAYER`, or
    :data:`NO_PAGES`), or None when it holds a visible character."""
    if any(not c.isspace() for c in text.text):
        return None
    return NO_TEXT_LAYER if text.pages else NO_PAGES


def resolve_document(check: DocumentCheck, text: DocumentText,
                     options: ResolveOptions = DEFAULT_OPTIONS) -> None:
    """Resolve every annotation of ``check.files`` against ``text`` (pure; fills results), all
    of them in one :meth:`Resolver.resolve_all` call (landmarks work across the files)."""
    check.text = text
    has_text = no_text_reason(text) is None
    settled = list(settled_without_matching(check, has_text))
    # Every annotation of the document in one call: the resolver places refusals between the
    # others anchored with certainty (``ResolveOptions.landmarks``), across all its notes.
    todo = [ann for _, ann, res in settled if res is None]
    resolved = iter(Resolver(text, options).resolve_all(todo) if todo else [])
    for f, _, res in settled:
        check.results.append(AnnotationResult(f, next(resolved) if res is None else res))


def check_paths(paths: Sequence[Path | str], *, pdf: Path | str | None = None,
                model: str = DEFAULT_MODEL, options: ResolveOptions = DEFAULT_OPTIONS,
                unit: OffsetUnit | None = None, password: str | None = None,
                limits: ExtractionLimits = DEFAULT_LIMITS,
                cache: TextCache | None = None, with_boxes: bool = False) -> CheckRun:
    """Check annotation files (notes, Hypothesis / W3C JSON, folders of notes) against their
    PDFs — or against ``pdf`` for all of them. ``limits`` bound each PDF's extraction (a PDF
    over a limit is an input error for its files; the others go on). ``cache``: reuse page
    texts extracted before from the same PDF bytes (:mod:`tether.textmodel.cache`; texts with
    boxes are never cached). ``with_boxes``: keep each character's box in ``check.text``, for
    callers that draw the highlights (one extraction instead of a second one later)."""
    run = CheckRun()
    files = gather_files([Path(p) for p in paths], run, unit=unit)
    run.documents = group_by_pdf(files, Path(pdf) if pdf is not None else None, run)
    for check in run.documents:
        check_document(check, model=model, options=options, password=password, limits=limits,
                       cache=cache, with_boxes=with_boxes)
    return run


def check_document(check: DocumentCheck, *, model: str = DEFAULT_MODEL,
                   options: ResolveOptions = DEFAULT_OPTIONS, password: str | None = None,
                   limits: ExtractionLimits = DEFAULT_LIMITS,
                   cache: TextCache | None = None, with_boxes: bool = False) -> None:
    """Read ``check.pdf``'s text and resolve ``check.files`` against it (fills ``results``).
    An unreadable PDF becomes ``check.error``; a document already in error is left as it is.
    One document's whole check: what :func:`check_paths` and the batch workers
    (:mod:`tether.batch`) run for each document."""
    if check.error or check.pdf is None:
        return
    try:
        text = load_text(check.pdf, model=model, password=password, with_boxes=with_boxes,
                         limits=limits, cache=cache)
    except PdfError as exc:
        check.error = str(exc)
        return
    resolve_document(check, text, options)
