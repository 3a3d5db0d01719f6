"""load_annotations / detect_format / save_annotations: the file-level entry points."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from formats_notegen import BlockSpec, NoteSpec, render_note

from tether.formats import (
    FormatError,
    SelectorUpdate,
    detect_format,
    load_annotations,
    save_annotations,
)
from tether.repair.atomic import FileChangedError


def _note(tmp_path: Path, name: str = "note.md", **kw) -> Path:
    path = tmp_path / name
    path.write_bytes(render_note(NoteSpec((BlockSpec("a1"), BlockSpec("a2")), **kw))
                     .encode("utf-8"))
    return path


def test_detect_format() -> None:
    assert detect_format("# just markdown", "x.md") == "obsidian"
    assert detect_format(">```annotation-json\n>{}\n>```\n^a\n") == "obsidian"
    assert detect_format('\ufeff[{"id": "a", "target": [{"selector": []}]}]') == "hypothesis"
    assert detect_format('{"rows": [], "total": 0}', "x.json") == "hypothesis"
    assert detect_format('{"@context": "http://www.w3.org/ns/anno.jsonld"}') == "w3c"
    assert detect_format('[{"type": "Annotation", "target": "http://x"}]') == "w3c"
    with pytest.raises(FormatError, match="not an Obsidian Annotator note"):
        detect_format("plain words", "notes.txt")


def test_load_each_format(tmp_path: Path) -> None:
    note = load_annotations(_note(tmp_path, crlf=True, bom=True))
    assert note.format == "obsidian" and [a.id for a in note.annotations] == ["a1", "a2"]
    hyp = tmp_path / "h.json"
    hyp.write_text(json.dumps({"rows": [{"id": "h", "target": [{"selector": [
        {"type": "TextQuoteSelector", "exact": "e"}]}]}], "total": 1}), encoding="utf-8")
    assert load_annotations(hyp).format == "hypothesis"
    w3c = tmp_path / "w.jsonld"
    w3c.write_text(json.dumps({"type": "Annotation", "id": "w", "target": "http://x"}),
                   encoding="utf-8")
    assert load_annotations(w3c).format == "w3c"
    # an explicit format wins over detection
    assert load_annotations(w3c, format="hypothesis").format == "hypothesis"


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"\xff\xfe{\x00}\x00", "u16.json", "UTF-16"),
    (b'{"a": "\xe9"}', "latin.json", "not UTF-8"),
    (b"{nope", "bad.json", r"bad\.json:1:2: not valid JSON"),
    (b"", "empty.json", "empty text"),
])
def test_unreadable_files_raise_format_error(tmp_path: Path, data: bytes, name: str,
                                             message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(FormatError, match=message):
        load_annotations(path)


def test_missing_file_and_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="cannot read the file"):
        load_annotations(tmp_path / "nope.md")
    with pytest.raises(FormatError, match="unknown annotation format"):
        load_annotations(_note(tmp_path), format="pdf")


def test_save_writes_atomically_keeps_backup_and_refuses_stale(tmp_path: Path) -> None:
    path = _note(tmp_path)
    original = path.read_bytes()
    path.chmod(0o640)
    doc = load_annotations(path)
    upd = {"a2": SelectorUpdate(1, 4, "new quote", "p", "s")}

    result = save_annotations(doc, upd, backup=True)
    assert result.applied == ["a2"]
    assert path.read_bytes() == doc.encode(doc.render(upd))
    assert (tmp_path / "note.md.bak").read_bytes() == original
    assert path.stat().st_mode & 0o777 == 0o640

    # doc's stamp is now stale: the file on disk is the new text
    with pytest.raises(FileChangedError):
        save_annotations(doc, {"a1": SelectorUpdate(1, 2, "x")})
    # a no-op save writes nothing, so it cannot conflict
    assert not save_annotations(load_annotations(path), {}).changed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["note.md", "note.md.bak"]


def test_save_strict_refuses_before_writing(tmp_path: Path) -> None:
    path = _note(tmp_path)
    before = path.read_bytes()
    doc = load_annotations(path)
    with pytest.raises(FormatError, match="unknown"):
        save_annotations(doc, {"unknown": SelectorUpdate(1, 2, "x"),
                               "a1": SelectorUpdate(1, 2, "x")}, strict=True)
    assert path.read_bytes() == before
