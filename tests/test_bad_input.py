"""Bad input and faults in-process: what the library does with each class of ``docs/bad-input.md``
that the CLI sweep (``test_bad_input_cli.py``) cannot show by exit code alone — the values read,
the bytes kept, the limits, races between writers.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest
from badinput_kit import (
    V1_PAGES,
    V2_PAGES,
    good_blocks,
    image_only_pdf,
    make_pdf,
    note_text,
    spec_for,
    tether_cmd,
    vault,
    zero_page_pdf,
)
from formats_notegen import render_block

from conftest import FIXTURES
from tether.check import NO_PAGES, NO_TEXT_LAYER, check_paths
from tether.formats import (
    FormatError,
    SelectorUpdate,
    load_annotations,
    parse_annotations,
    parse_note,
)
from tether.formats.jsonedit import JsonSpanError, parse_spans
from tether.repair.atomic import TEMP_SUFFIX
from tether.repair.plan import plan_repairs
from tether.repair.run import execute
from tether.resolve import Status
from tether.textmodel.load import DEFAULT_LIMITS, ExtractionLimits, PdfError, load_text
from tether.textmodel.pdfjs211 import syntax

YP_NOTE = FIXTURES / "updates" / "eth-yellowpaper" / "v1.md"
YP_V1 = FIXTURES / "pdfs" / "eth-yellowpaper" / "v1.pdf"


# --- PDFs ---------------------------------------------------------------------------------

def test_scanned_pdf_every_annotation_orphaned_no_text_layer(tmp_path: Path) -> None:
    note, _ = vault(tmp_path)
    scan = image_only_pdf(tmp_path / "scan.pdf")
    assert pymupdf.open(scan)[0].get_images()  # a real image, and no text at all
    assert load_text(scan).text == ""
    run = check_paths([note], pdf=scan)
    (doc,) = run.documents
    assert doc.error is None and len(doc.results) == 2
    for r in doc.results:
        assert r.resolution.status == Status.ORPHANED
        assert r.resolution.reason == NO_TEXT_LAYER and "no text layer" in NO_TEXT_LAYER
    assert run.exit_code == 1


def test_zero_page_pdf_says_so(tmp_path: Path) -> None:
    note, _ = vault(tmp_path)
    empty = zero_page_pdf(tmp_path / "zero.pdf")
    assert load_text(empty).pages == ()
    (doc,) = check_paths([note], pdf=empty).documents
    assert {r.resolution.reason for r in doc.results} == {NO_PAGES}


def test_encrypted_pdf_needs_the_right_password(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "enc.pdf", V1_PAGES, encryption=pymupdf.PDF_ENCRYPT_AES_256,
                   owner_pw="owner", user_pw="user")
    with pytest.raises(PdfError, match=r"encrypted and needs a password \(--password\)"):
        load_text(pdf)
    with pytest.raises(PdfError, match="wrong password"):
        load_text(pdf, password="guess")
    assert load_text(pdf, password="user").text == "".join(V1_PAGES)
    assert load_text(pdf, password="owner").text == "".join(V1_PAGES)
    owner_only = make_pdf(tmp_path / "owner.pdf", V1_PAGES,
                          encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="owner")
    assert load_text(owner_only).text == "".join(V1_PAGES)  # opens without asking


@pytest.mark.parametrize(("data", "message"), [
    (b"", "not a PDF file"),
    (b"GIF89a not a PDF at all", "not a PDF file"),
    (b"%PDF-1.7\n" + bytes(range(256)) * 40, "damaged or unreadable"),
    (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "damaged or unreadable"),
])
def test_unreadable_pdfs_raise_pdf_error(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(data)
    with pytest.raises(PdfError, match=message):
        load_text(path)


def test_page_and_time_limits(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "p.pdf", V1_PAGES * 3)
    with pytest.raises(PdfError, match=r"6 pages, more than the limit of 5 \(--max-pages\)"):
        load_text(pdf, limits=ExtractionLimits(max_pages=5))
    with pytest.raises(PdfError, match=r"longer than the limit of 1e-09 s \(--max-seconds\)"):
        load_text(pdf, limits=ExtractionLimits(max_seconds=1e-9))
    assert len(load_text(pdf, limits=ExtractionLimits(max_pages=6)).pages) == 6
    # a PDF over the limit is an error for its own files only
    note, small = vault(tmp_path / "v")
    run = check_paths([note], pdf=pdf, limits=ExtractionLimits(max_pages=5))
    assert run.exit_code == 2 and "--max-pages" in (run.documents[0].error or "")
    assert check_paths([note], pdf=small, limits=ExtractionLimits(max_pages=5)).exit_code == 0


def test_cli_limit_defaults_are_the_library_defaults() -> None:
    from tether import cli

    from_cli = ExtractionLimits(cli._DEFAULT_MAX_PAGES, cli._DEFAULT_MAX_SECONDS)
    assert from_cli == DEFAULT_LIMITS
    assert cli._limits(0, 0) == ExtractionLimits(None, None)  # 0 means no limit


def test_mutated_real_pdf_bytes_return_or_raise_pdf_error(tmp_path: Path) -> None:
    """Every single-byte overwrite at 200 spread positions of a real small PDF."""
    data = make_pdf(tmp_path / "p.pdf", V1_PAGES).read_bytes()
    path = tmp_path / "m.pdf"
    step = max(1, len(data) // 200)
    for pos in range(0, len(data), step):
        path.write_bytes(data[:pos] + bytes([data[pos] ^ 0x55]) + data[pos + 1:])
        with contextlib.suppress(PdfError):
            load_text(path, with_boxes=False)


# --- notes ----------------------------------------------------------------------------------

def _bytes_note(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "n.md"
    path.write_bytes(data)
    return path


def test_invalid_utf8_in_one_block_hides_only_that_block(tmp_path: Path) -> None:
    text = note_text(good_blocks() + render_block(spec_for("b3", "theta iota")))
    data = text.encode().replace(b'"exact":"gamma delta"', b'"exact":"gamma\xe9delta"')
    note = load_annotations(_bytes_note(tmp_path, data))
    first, second, third = note.annotations
    assert first.problems == [f"{tmp_path / 'n.md'}:7: the block holds a byte that is not UTF-8 "
                              "(0xe9); it is left alone (the rest of the note is read and kept "
                              "byte for byte)"]
    assert not second.problems and not third.problems
    assert note.encode(note.render({})) == data  # the byte survives a round trip
    result = note.apply_updates({"g1": SelectorUpdate(0, 5, "Alpha"),
                                 "b3": SelectorUpdate(40, 50, "theta iota")})
    assert result.applied == ["b3"] and "g1" in result.skipped
    written = note.encode(result.text)
    assert b'"exact":"gamma\xe9delta"' in written and written != data


def test_invalid_utf8_outside_blocks_is_kept_on_repair(tmp_path: Path) -> None:
    vault(tmp_path, V2_PAGES)
    path = tmp_path / "note.md"
    data = path.read_bytes().replace(b"---\n\n", b"---\nna\xefve Latin-1 \xff\xfe\n\n", 1)
    path.write_bytes(data)
    run = check_paths([path])
    assert run.exit_code == 1 and {r.resolution.status for r in run.results} == {Status.DRIFTED}
    (outcome,) = execute(plan_repairs(run.documents), backup=True)
    assert outcome.error is None and outcome.changed == ["g1", "g2"]
    new = path.read_bytes()
    assert b"\nna\xefve Latin-1 \xff\xfe\n" in new
    assert (tmp_path / "note.md.bak").read_bytes() == data
    assert check_paths([path]).exit_code == 0


@pytest.mark.parametrize("name", ["n.json", "n.jsonld"])
def test_invalid_utf8_in_json_refuses_the_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b'[{"id": "a\xe9", "target": []}]')
    with pytest.raises(FormatError, match=r"not UTF-8 text \(invalid byte 0xe9 at byte offset"):
        load_annotations(path)


def test_binary_file_named_md_is_a_note_without_target(tmp_path: Path) -> None:
    note = load_annotations(_bytes_note(tmp_path, bytes(range(256)) * 4))
    assert note.annotations == [] and note.target is None
    assert note.encode(note.text) == bytes(range(256)) * 4
    with pytest.raises(FormatError, match="not UTF-8"):  # not .md, no block: refused whole
        load_annotations(_bytes_note(tmp_path, b"\x80\x81 abc").rename(tmp_path / "x.txt"))


def test_lone_surrogate_in_note_text_marks_the_block() -> None:
    text = note_text(good_blocks()).replace("gamma delta", "gamma\ud835delta", 1)
    note = parse_note(text, path="n.md")
    assert "a lone surrogate U+D835" in note.annotations[0].problems[0]
    assert not note.annotations[1].problems


@pytest.mark.parametrize("text", [
    '{"id": "a", "type": {}, "target": []}',  # found by test_fuzz_readers
    '[{"type": [{}], "target": "urn:x"}]',
    '[{"type": "Annotation", "body": [{"value": "v", "purpose": {}}, {"value": "w", '
    '"purpose": [[1], "tagging"]}]}]',
])
def test_json_values_of_the_wrong_type_are_ignored(text: str) -> None:
    file = parse_annotations(text, path="x.json")
    assert len(file.annotations) == 1 and file.render({}) == text


def test_deep_json_is_an_error_not_a_crash() -> None:
    deep = "[" * 5000 + "]" * 5000
    with pytest.raises(JsonSpanError, match="nested too deeply"):
        parse_spans(deep)
    assert parse_spans("[" * 150 + "]" * 150).kind == "array"

    def nested(levels: int) -> None:  # a deep caller: the limit is hit before _MAX_DEPTH
        if levels:
            nested(levels - 1)
            return
        with pytest.raises(JsonSpanError, match="nested too deeply"):
            parse_spans("[" * 190 + "]" * 190)

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(400)
    try:
        nested(20)
    finally:
        sys.setrecursionlimit(limit)


def test_pdf_syntax_deep_nesting_is_bounded() -> None:
    for data in (b"[" * 20000, b"<<" * 20000, b"[" * 5000 + b"]" * 5000 + b" (x) Tj"):
        ops = list(syntax.operations(data))
        syntax.parse_object(data)
        assert ops == [] or ops[-1][0] == "Tj"
    nested = syntax.parse_object(b"[" * 150 + b"1" + b"]" * 150)
    depth = 0
    while isinstance(nested, list) and nested:
        nested, depth = nested[0], depth + 1
    assert nested is None and depth == syntax.MAX_NESTING + 1
    assert syntax.parse_object(b"<< /A [1 [2 <</B 3>>]] >>") == {"A": [1, [2, {"B": 3}]]}


# --- writing: races and stale reads -----------------------------------------------------------

def test_file_changed_between_read_and_write_is_refused(tmp_path: Path) -> None:
    note, _ = vault(tmp_path, V2_PAGES)
    run = check_paths([note])
    plans = plan_repairs(run.documents)
    edited = note.read_bytes() + b"\nA line the user typed meanwhile.\n"
    note.write_bytes(edited)  # e.g. Obsidian or a sync client saved the note
    (outcome,) = execute(plans, backup=True)
    assert outcome.error is not None and "changed since it was read" in outcome.error
    assert not outcome.written and note.read_bytes() == edited
    assert sorted(p.name for p in tmp_path.iterdir()) == [".obsidian", "note.md", "paper.pdf"]


def test_two_repairs_of_the_same_file_at_once(tmp_path: Path) -> None:
    """Two processes repair one note together: whatever the interleaving, the note ends as the
    one correct repair, a loser refuses (changed since read) or finds nothing to change, and
    every backup holds the original."""
    expected_dir = tmp_path / "expected"
    expected_note, _ = vault(expected_dir, V2_PAGES)
    original = expected_note.read_bytes()
    run = check_paths([expected_note])
    execute(plan_repairs(run.documents), backup=False)
    expected = expected_note.read_bytes()
    assert expected != original
    for round_ in range(2):
        folder = tmp_path / f"round{round_}"
        note, pdf = vault(folder, V2_PAGES)
        # The expected run's PDF bytes: a repair writes the PDF's /ID[0] into the rewritten
        # blocks' documentFingerprint, and each generated PDF has an /ID of its own.
        shutil.copyfile(expected_dir / "paper.pdf", pdf)
        procs = [subprocess.Popen(tether_cmd("repair", note), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
        results = [(p.wait(timeout=120), *p.communicate()) for p in procs]
        for code, out, err in results:
            assert "Traceback" not in out + err
            assert code == 0 or (code == 2 and "changed since it was read" in err), (code, err)
        assert note.read_bytes() == expected
        backups = sorted(folder.glob("note.md.bak*"))
        assert 1 <= len(backups) <= 2 and all(b.read_bytes() == original for b in backups)
        assert not [p for p in folder.iterdir() if p.name.endswith(TEMP_SUFFIX)]


# --- big input ---------------------------------------------------------------------------------

@pytest.mark.slow
def test_quote_of_100_kB_on_a_real_paper(tmp_path: Path) -> None:
    """A 100 kB quote (most of the yellow paper) resolves or is orphaned; nothing crashes."""
    text = load_text(YP_V1, with_boxes=False).text
    start = 5000
    exact = text[start:start + 100_000]
    block = render_block(spec_for("big", "gamma delta", exact=exact, prefix=text[start - 32:start],
                                  suffix="", start=start + 7, end=start + 100_007))
    note = tmp_path / "big.md"
    note.write_text(note_text(block, "x.pdf"), encoding="utf-8")
    (r,) = check_paths([note], pdf=YP_V1).results
    assert r.resolution.status in (Status.DRIFTED, Status.FUZZY, Status.ORPHANED)


# --- the table ------------------------------------------------------------------------------

_PREFIXES = {"bad": "test_bad_input.py", "atomic": "test_atomic.py",
             "obsidian": "test_formats_obsidian.py", "json": "test_formats_json.py",
             "load": "test_formats_load.py"}


def test_the_table_names_real_tests() -> None:
    """docs/bad-input.md: at least 30 classes, each naming tests that exist; every CLI case is
    in the table."""
    import re

    from test_bad_input_cli import CASES

    tests = Path(__file__).parent
    table = (tests.parent / "docs" / "bad-input.md").read_text(encoding="utf-8")
    rows = [line for line in table.splitlines() if re.match(r"\| \d+ \|", line)]
    assert len(rows) >= 30
    cli = {c.name for c in CASES}
    named_cli: set[str] = set()
    for row in rows:
        names = re.findall(r"`([a-z_]+::test_\w+|cli\[[\w-]+\]|test_\w+\.py::test_\w+)", row)
        assert names, row
        for name in names:
            if name.startswith("cli["):
                named_cli.add(name[4:-1])
                continue
            prefix, func = name.split("::")
            files = ([tests / "test_fuzz_readers.py", tests / "test_fuzz_pdf.py"]
                     if prefix == "fuzz" else [tests / _PREFIXES.get(prefix, prefix)])
            assert any(f"def {func}(" in f.read_text(encoding="utf-8") for f in files), name
    assert named_cli <= cli, named_cli - cli
    assert cli <= named_cli, cli - named_cli
