"""Property-based fuzzing of every reader with random and mutated real input.

Seeds are real notes (``fixtures/updates/*/v*.md`` and, when present, the vault notes of
``../shared/corpus`` — read only), Hypothesis / W3C JSON built from their blocks, and real PDF
content streams and object sources. Properties: no exception but the documented one
(:class:`FormatError` for a wholly unusable file, :class:`JsonSpanError` from the JSON span
parser), no hang (a per-example deadline), and what is read is kept (an empty rewrite gives the
input back byte for byte). Each test states its example count.
"""

from __future__ import annotations

import contextlib
import json
from datetime import timedelta

import pymupdf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, SHARED, vault_notes
from tether.formats import (
    FORMATS,
    AnnotationFile,
    FormatError,
    ObsidianNote,
    SelectorUpdate,
    detect_format,
    parse_annotations,
    parse_hypothesis,
    parse_note,
    parse_w3c,
)
from tether.formats.base import decode_text
from tether.formats.jsondoc import sniff_json_format
from tether.formats.jsonedit import JsonSpanError, parse_spans
from tether.textmodel.pdfjs211.objects import PdfObjects
from tether.textmodel.pdfjs211.syntax import Name, Op, Ref, operations, parse_object

FUZZ = settings(deadline=timedelta(seconds=2), derandomize=False,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# --- seeds ----------------------------------------------------------------------------------

def _first_blocks(text: str, blocks: int = 3) -> str:
    """The front matter and the first ``blocks`` blocks of a note (keeps examples small)."""
    lines = text.split("\n")
    ids = [i for i, line in enumerate(lines) if line.startswith("^")]
    return "\n".join(lines[:ids[blocks - 1] + 1]) + "\n" if len(ids) >= blocks else text


def _real_notes() -> list[str]:
    paths = sorted(FIXTURES.glob("updates/*/v1.md"))
    if (SHARED / "corpus" / "vaults").is_dir():
        paths += vault_notes()
    return [_first_blocks(p.read_text(encoding="utf-8")) for p in paths]


NOTES = _real_notes()
assert len(NOTES) >= 3


def _block_json(note: str) -> list[dict]:
    out = []
    for block in parse_note(note).blocks:
        if block.json is not None:
            out.append({"id": block.id, **block.json.value})
    return out


def _w3c(h: dict) -> dict:
    target = (h.get("target") or [{}])[0]
    return {"@context": "http://www.w3.org/ns/anno.jsonld", "id": f"urn:uuid:{h['id']}",
            "type": "Annotation",
            "body": [{"type": "TextualBody", "value": h.get("text", ""), "purpose": "commenting"}],
            "target": {"source": target.get("source", "urn:x-pdf:0"),
                       "selector": target.get("selector", [])}}


def _json_seeds() -> list[str]:
    out = []
    for note in NOTES:
        items = _block_json(note)
        out.append(json.dumps(items, ensure_ascii=False, separators=(",", ":")))
        out.append(json.dumps({"rows": items, "total": len(items)}, indent=2))
        out.append(json.dumps({"type": "AnnotationPage", "items": [_w3c(h) for h in items]},
                              ensure_ascii=False, indent=1))
        if items:
            out.append(json.dumps(_w3c(items[0])))
    return out


JSON_SEEDS = _json_seeds()


def _pdf_seeds() -> tuple[list[bytes], list[str]]:
    streams: list[bytes] = []
    objects: list[str] = []
    pdfs = [FIXTURES / "pdfs" / "eth-yellowpaper" / "v1.pdf",
            *sorted((FIXTURES / "synthetic").glob("*.pdf"))]
    for pdf in pdfs:
        with pymupdf.open(pdf) as doc:
            streams.append(PdfObjects(doc).page_contents(0)[:3000])
            objects += [doc.xref_object(x, compressed=False)[:2000]
                        for x in range(1, min(doc.xref_length(), 25))]
    return [s for s in streams if s], objects


STREAMS, OBJECT_SOURCES = _pdf_seeds()

TOKENS = ["{", "}", "[", "]", '"', "\\", "\\u", ",", ":", "\n", "\r\n", "\r", ">", ">```", "^",
          "^x1", "```annotation-json\n", "```", "%%", "%%PREFIX%%", "%%HIGHLIGHT%% ==",
          "== %%POSTFIX%%", "%%LINK%%", "%%COMMENT%%\n", "%%TAGS%%\n", "*", "---\n", "\ufeff",
          "\x00", "\x1d", "\udc80", "\ud835", "\U0001d465", "\u2028", "-1", "1e400", "0.5",
          "NaN", "null", "true", "[]", "{}", '"start":', '"end":', '"exact":', '"prefix":',
          '"type":"TextPositionSelector"', '"type":"TextQuoteSelector"', '"selector":',
          '"target":', '"rows":', '"@context":', '"type":"AnnotationPage"', "\t", " "]


@st.composite
def mutated(draw: st.DrawFn, seeds: list[str]) -> str:
    """A seed after 1-6 edits: tokens inserted, slices deleted / duplicated / swapped for
    random text, the text cut short."""
    text = draw(st.sampled_from(seeds))
    for _ in range(draw(st.integers(1, 6))):
        n = len(text)
        i = draw(st.integers(0, n))
        j = draw(st.integers(i, min(n, i + 80)))
        op = draw(st.sampled_from(["insert", "delete", "replace", "duplicate", "cut"]))
        if op == "insert":
            text = text[:i] + draw(st.sampled_from(TOKENS)) + text[i:]
        elif op == "delete":
            text = text[:i] + text[j:]
        elif op == "replace":
            text = text[:i] + draw(st.text(max_size=6)) + text[j:]
        elif op == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        else:
            text = text[:i]
    return text


@st.composite
def mutated_bytes(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 8))):
        if not data:
            break
        i = draw(st.integers(0, len(data) - 1))
        op = draw(st.sampled_from(["flip", "insert", "delete", "cut"]))
        if op == "flip":
            data[i] = draw(st.integers(0, 255))
        elif op == "insert":
            data[i:i] = draw(st.sampled_from([b"[", b"]", b"<<", b">>", b"(", b")", b"\\", b"<",
                                              b"/", b"%", b"BT", b"ET", b"Tj", b"TJ", b"ID ",
                                              b" EI", b"R", b"-", b".", b"#", b"\x00"]))
        elif op == "delete":
            del data[i:i + draw(st.integers(1, 40))]
        else:
            del data[i:]
    return bytes(data)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["id", "target", "selector", "type", "start", "end",
                                       "exact", "prefix", "suffix", "rows", "items", "body",
                                       "source", "@context", "text", "tags", "first", "next"]),
                      children, max_size=5),
    max_leaves=25)
scalars = (st.none() | st.booleans() | st.integers(-3, 2**70) | st.floats(allow_nan=False)
           | st.text(max_size=8))
selector_like = st.fixed_dictionaries(
    {"type": st.sampled_from(["TextQuoteSelector", "TextPositionSelector", "RangeSelector"])},
    optional={"start": scalars, "end": scalars, "exact": scalars, "prefix": scalars,
              "suffix": scalars})
odd = scalars | st.lists(scalars, max_size=2) | st.sampled_from([{}, [{}], [[]], {"id": 1}])
annotation_like = st.fixed_dictionaries({}, optional={
    "id": scalars, "target": st.lists(st.fixed_dictionaries({}, optional={
        "source": scalars, "selector": st.lists(selector_like, max_size=3)}), max_size=2),
    "document": st.fixed_dictionaries({}, optional={"documentFingerprint": scalars,
                                                    "link": odd}),
    "uri": scalars, "text": scalars, "tags": odd})
w3c_like = st.fixed_dictionaries({"type": st.sampled_from(["Annotation", ["Annotation"]]) | odd},
                                 optional={
    "@context": scalars, "id": scalars, "bodyValue": scalars,
    "body": odd | st.lists(st.fixed_dictionaries({}, optional={"value": scalars,
                                                               "purpose": odd}), max_size=2),
    "target": odd | st.fixed_dictionaries({}, optional={
        "source": odd, "selector": odd | st.lists(selector_like, max_size=2)})})
json_texts = st.one_of(
    json_values.map(json.dumps),
    st.lists(annotation_like, max_size=3).map(json.dumps),
    st.lists(annotation_like, max_size=3).map(lambda v: json.dumps({"rows": v}, indent=1)),
    st.lists(w3c_like, max_size=3).map(json.dumps),
    st.tuples(odd, st.lists(w3c_like, max_size=2), odd).map(lambda t: json.dumps(
        {"type": ["AnnotationCollection", "AnnotationPage"][len(t[1]) % 2], "total": t[0],
         "first": {"type": "AnnotationPage", "items": t[1], "next": t[2]}, "items": t[2]})),
    mutated(JSON_SEEDS),
)


# --- properties -----------------------------------------------------------------------------

def _kept(file: AnnotationFile) -> None:
    """What a reader gives back is usable and loses nothing."""
    assert file.render({}) == file.text
    for ann in file.annotations:
        assert isinstance(ann.id, str) and ann.id
        assert all(isinstance(p, str) and p for p in ann.problems)
    # an update for every id is applied or refused, never an exception
    upd = SelectorUpdate(1, 6, "Alpha", "pre ", " post")
    result = file.apply_updates({ann.id: upd for ann in file.annotations})
    assert set(result.applied) | set(result.skipped) | set(result.unchanged) \
        == {ann.id for ann in file.annotations}


@settings(FUZZ, max_examples=300)
@given(mutated(NOTES))
def test_parse_note_mutated_real_notes(text: str) -> None:
    note = parse_note(text, path="n.md")
    assert isinstance(note, ObsidianNote)
    _kept(note)


@settings(FUZZ, max_examples=150)
@given(st.lists(st.sampled_from(TOKENS) | st.text(max_size=4), max_size=60).map("".join))
def test_parse_note_random_text(text: str) -> None:
    _kept(parse_note(text))


@settings(FUZZ, max_examples=200)
@given(st.binary(max_size=200) | mutated(NOTES).map(
    lambda t: t.encode("utf-8", "surrogatepass")))
def test_note_bytes_round_trip(data: bytes) -> None:
    """Any bytes a note file may hold (bad UTF-8 included) are read and written back as is."""
    try:
        text = decode_text(data, "n.md", keep_invalid=True)
    except FormatError:  # UTF-16 (a BOM): refused whole, documented
        assert data.startswith((b"\xff\xfe", b"\xfe\xff"))
        return
    note = parse_note(text)
    assert note.encode(note.render({})) == data


@settings(FUZZ, max_examples=300)
@given(json_texts, st.sampled_from([None, *FORMATS]))
def test_parse_annotations_each_format(text: str, fmt: str | None) -> None:
    try:
        file = parse_annotations(text, format=fmt, path="in.json" if fmt != "obsidian"
                                 else "in.md")
    except FormatError as exc:
        assert fmt != "obsidian", "a note never fails whole"
        assert str(exc).startswith(("in.json", "<")), exc
        return
    _kept(file)


@settings(FUZZ, max_examples=200)
@given(json_texts)
def test_json_readers_and_sniffing(text: str) -> None:
    for reader in (parse_hypothesis, parse_w3c):
        with contextlib.suppress(FormatError):
            _kept(reader(text))
    with contextlib.suppress(FormatError):
        assert sniff_json_format(text, "x") in ("hypothesis", "w3c")
    with contextlib.suppress(FormatError):
        assert detect_format(text, None) in FORMATS


@settings(FUZZ, max_examples=300)
@given(json_texts)
def test_json_span_parser_agrees_with_json_loads(text: str) -> None:
    try:
        node = parse_spans(text)
    except JsonSpanError as exc:
        assert 0 <= exc.pos <= len(text)
        return
    if "NaN" not in text and "Infinity" not in text:
        assert json.loads(text) == node.value or node.value != node.value


@settings(FUZZ, max_examples=300)
@given(st.binary(max_size=400) | mutated_bytes(STREAMS))
def test_content_stream_tokenizer(data: bytes) -> None:
    for op, operands in operations(data):
        assert isinstance(op, Op) and isinstance(operands, list)
    for op, _ in operations(data, {"Tj", "TJ", "Tf"}):
        assert isinstance(op, Op)


@settings(FUZZ, max_examples=300)
@given(st.binary(max_size=300) | mutated_bytes([s.encode("latin-1") for s in OBJECT_SOURCES])
       | st.text(max_size=100))
def test_object_parser(data: bytes | str) -> None:
    value = parse_object(data)
    assert value is None or isinstance(value, (int, float, bool, bytes, list, dict, Name, Op,
                                                Ref))


def test_seeds_are_real() -> None:
    assert all("```annotation-json" in n for n in NOTES)
    assert sum(len(_block_json(n)) for n in NOTES) >= 9
    assert STREAMS and len(OBJECT_SOURCES) >= 20
