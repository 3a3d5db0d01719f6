"""Every bad-input class of ``docs/bad-input.md`` through the real CLI (``python -m tether.cli``
in a subprocess): the documented exit code, a clear message, never a traceback, and the good
items next to the bad ones still processed.

Each class is one parametrized case (its id is what the table names). Classes of the same shape
share one CLI run — a note holding every kind of bad block next to two good ones, a list of
notes each naming an unusable PDF — which is also the point: one bad item hides nothing. The
runs go in parallel (a module fixture) to keep this file fast.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import pymupdf
import pytest
from badinput_kit import (
    GOOD_QUOTES,
    IS_ROOT,
    V1_PAGES,
    V2_PAGES,
    good_blocks,
    image_only_pdf,
    make_pdf,
    note_text,
    small_text,
    spec_for,
    tether_cmd,
    unprivileged,
    vault,
    zero_page_pdf,
)
from formats_notegen import render_block

from tether.repair.atomic import TEMP_SUFFIX

Proc = subprocess.CompletedProcess[str]
After = Callable[[Path, Proc], None]


class Unavailable(Exception):
    """The platform cannot stage this run (its cases are skipped with this reason)."""


@dataclass
class Run:
    """One CLI invocation: ``build`` stages files under the folder it gets, returns the command."""

    build: Callable[[Path], list[str]]
    codes: tuple[int, ...]  # the exit code(s) the documentation promises for this input


@dataclass
class Case:
    """One bad-input class, checked on the output of its run."""

    name: str
    run: str
    expect: tuple[str, ...] = ()  # substrings of stdout + stderr
    anchored: tuple[str, ...] = ()  # ids the JSON report shows anchored (the rest went on)
    statuses: dict[str, str] = field(default_factory=dict)  # id -> status in the JSON report
    after: After | None = None  # more checks on the staged folder


# --- bad blocks: one note, every kind, next to the good blocks g1 and g2 ----------------------

_G = tuple(GOOD_QUOTES)
_HUGE = ("lorem ipsum dolor sit amet " * 4000)[:100_000]  # a 100 kB quote, nowhere in the PDF


def _edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def _block(block_id: str, quote: str = "epsilon zeta", **kw: object) -> str:
    return render_block(spec_for(block_id, quote, **kw))


def _no_context_block(block_id: str, quote: str) -> str:
    """A block whose TextQuoteSelector has no prefix / suffix keys (nor markdown parts)."""
    spec = spec_for(block_id, quote, include_prefix=False, include_postfix=False)
    text = render_block(spec)
    text = _edit(text, ',"prefix":' + json.dumps(spec.prefix), "")
    return _edit(text, ',"suffix":' + json.dumps(spec.suffix), "")


def _position_only_block(block_id: str) -> str:
    spec = spec_for(block_id, "epsilon zeta")
    quote = json.dumps({"type": "TextQuoteSelector", "exact": spec.exact, "prefix": spec.prefix,
                        "suffix": spec.suffix}, separators=(",", ":"))
    return _edit(render_block(spec), "," + quote, "")


_END = spec_for("x", "epsilon zeta").end
BAD_BLOCKS = {
    "json": _edit(_block("json"), '"created"', "created"),
    "fence": _edit(_block("fence"), "\n>```\n", "\n>``\n"),
    "noid": _edit(_block("noid"), "^noid\n", ""),
    "posonly": _position_only_block("posonly"),
    "neg": _block("neg", start=-5, end=3),
    "rev": _block("rev", start=30, end=20),
    "oor": _block("oor", "iota kappa", start=10**6, end=10**6 + 10),
    "str": _edit(_block("str"), f'"end":{_END}', f'"end":"{_END}"'),
    "float": _edit(_block("float"), f'"end":{_END}', f'"end":{_END}.5'),
    "inf": _edit(_block("inf"), f'"end":{_END}', '"end":1e400'),
    "empty": _block("empty", exact=""),
    "huge": _block("huge", exact=_HUGE, start=None),
    "deep": _edit(_block("deep"), '"extra":"x"', '"extra":' + "[" * 5000 + "]" * 5000),
    "utf8": _block("utf8", "theta iota"),  # a Latin-1 byte is put into its quote below
    "dup": _block("g1", "lambda mu"),  # a second block with the id ^g1
    "page": render_block(spec_for("page", "epsilon zeta", exact=None, comment="page note")),
    "noctx": _no_context_block("noctx", "sigma tau"),
}


#: The note ends inside a block's JSON, as a half-synced file does.
CUT_SHORT = _block("cut", "nu xi")[:200]


def _bad_blocks_note(tmp: Path) -> list[str]:
    note, _ = vault(tmp, note=note_text(good_blocks() + "".join(BAD_BLOCKS.values())
                                        + CUT_SHORT))
    note.write_bytes(note.read_bytes().replace(b'"exact":"theta iota"', b'"exact":"theta\xe9iota"'))
    return tether_cmd("check", note, "--json")


def _blocks(*ids_quotes: tuple[str, str]) -> str:
    return "".join(render_block(spec_for(i, q)) for i, q in ids_quotes)


def _cut_block_reported(tmp: Path, proc: Proc) -> None:
    report = json.loads(proc.stdout)
    (last,) = [a for d in report["documents"] for a in d["annotations"]
               if a["id"].startswith(":line")
               and "fence is never closed" in (a["reason"] or "")][-1:]
    assert last["status"] == "invalid" and "no '^id' line" in last["reason"]


def _harmless_notes(tmp: Path) -> list[str]:
    """A page note and a quote without context next to good blocks; a CRLF + BOM note."""
    note, _ = vault(tmp, note=note_text(good_blocks() + BAD_BLOCKS["page"]
                                        + BAD_BLOCKS["noctx"]))
    crlf = tmp / "crlf.md"
    crlf.write_bytes(("\ufeff" + note_text(_blocks(("c1", "gamma delta"), ("c2", "omicron pi"))))
                     .replace("\n", "\r\n").encode("utf-8"))
    return tether_cmd("check", note, crlf, "--json")


def _target_lists(tmp: Path) -> list[str]:
    """annotation-target as a YAML list: block style (an Obsidian *List* property, MetaEdit)
    and flow style; Obsidian Annotator takes the first item."""
    vault(tmp)
    notes = {"block": ("annotation-target:\n  - paper.pdf\n  - other.pdf\n", "b"),
             "flow": ('annotation-target: ["paper.pdf", other.pdf]\n', "f")}
    paths = []
    for name, (front, ids) in notes.items():
        paths.append(tmp / f"{name}.md")
        blocks = _blocks((f"{ids}1", "gamma delta"), (f"{ids}2", "omicron pi"))
        paths[-1].write_text(note_text(blocks, None, extra_front=front), encoding="utf-8")
    return tether_cmd("check", *paths, "--json")


# --- notes that name no usable PDF, and paths that cannot be read --------------------------

def _unusable_targets(tmp: Path) -> list[str]:
    note, _ = vault(tmp)
    blocks = good_blocks()
    notes = {
        "nofm.md": blocks,
        "nokey.md": "---\ntitle: x\n---\n" + blocks,
        "url.md": note_text(blocks, "https://arxiv.org/pdf/1706.03762"),
        "epub.md": note_text(blocks, "book.epub"),
        "epubtype.md": note_text(blocks, "book", "annotation-target-type: epub\n"),
        "moved.md": note_text(blocks, "moved/away.pdf"),
        "twice.md": note_text(blocks, "twice.pdf"),
        "empty.md": "",
    }
    for name, text in notes.items():
        (tmp / name).write_text(text, encoding="utf-8")
    for sub in ("a", "b"):
        (tmp / sub).mkdir()
        make_pdf(tmp / sub / "twice.pdf", V1_PAGES)
    return tether_cmd("check", note, *(tmp / n for n in notes), "--json")


def _missing_paths(tmp: Path) -> list[str]:
    note, _ = vault(tmp)
    loop = tmp / "loop.md"
    loop.symlink_to(loop)
    return tether_cmd("check", tmp / "nope.md", loop, note, "--json")


#: File names holding rich console markup: "[draft]" (a real naming habit) and "[/b]" (a closing
#: tag that matches nothing). Messages naming them must print them as they are.
_MARKUP_NOTE, _MARKUP_PDF = "[draft] n[/i].md", "[draft] paper[/b].pdf"


def _markup_names_text(tmp: Path) -> list[str]:
    return tether_cmd("text", tmp / _MARKUP_PDF)  # missing: the message names it


def _markup_names_report(tmp: Path) -> list[str]:
    note, _ = vault(tmp)
    return tether_cmd("report", note, tmp / _MARKUP_NOTE, "--html", tmp / "r.html")


def _markup_names_export(tmp: Path) -> list[str]:
    note, _ = vault(tmp)
    return tether_cmd("export-pdf", note, "--pdf", tmp / _MARKUP_PDF, "-o", tmp / "out.pdf")


def _faulty_vault(tmp: Path) -> list[str]:
    vault(tmp)
    (tmp / "empty.md").write_bytes(b"")  # no annotation-target: not an Annotator note, skipped
    (tmp / "sub").mkdir()
    (tmp / "sub" / "back").symlink_to("..")  # a folder loop: never followed
    (tmp / "self.md").symlink_to("self.md")  # a file loop: an error for that item only
    name = os.fsdecode(b"caf\xe9.md")  # a file name that is not UTF-8
    (tmp / name).write_text(note_text(render_block(spec_for("cafe", "nu xi"))), encoding="utf-8")
    return tether_cmd("check", tmp, "--json")


def _folders_without_notes(tmp: Path) -> list[str]:
    """A good note, then an empty folder (a typo'd vault path is as silent) and a folder of
    plain notes (no annotation-target) and a Hypothesis export."""
    note, _ = vault(tmp)
    (tmp / "empty").mkdir()
    (tmp / "plain").mkdir()
    (tmp / "plain" / "todo.md").write_text("# todo\n", encoding="utf-8")
    (tmp / "plain" / "export.json").write_text(_GOOD_JSON, encoding="utf-8")
    return tether_cmd("check", note, tmp / "empty", tmp / "plain", "--json")


def _locked_vault(tmp: Path) -> list[str]:
    vault(tmp)
    other = tmp / "other.md"
    other.write_text(note_text(good_blocks()), encoding="utf-8")
    other.chmod(0)
    locked = tmp / "locked"
    locked.mkdir()
    (locked / "n.md").write_text(note_text(good_blocks(), "../paper.pdf"), encoding="utf-8")
    locked.chmod(0)
    make_pdf(tmp / "secret.pdf", V1_PAGES).chmod(0)
    (tmp / "secret.md").write_text(note_text(good_blocks(), "secret.pdf"), encoding="utf-8")
    return unprivileged(tether_cmd("check", tmp, "--json"))


# --- PDFs ---------------------------------------------------------------------------------

def _encrypted(path: Path, user_pw: str = "user-secret") -> Path:
    return make_pdf(path, V1_PAGES, encryption=pymupdf.PDF_ENCRYPT_AES_256,
                    owner_pw="owner-secret", user_pw=user_pw)


def _cut(path: Path, keep: float) -> Path:
    data = make_pdf(path, V1_PAGES).read_bytes()
    path.write_bytes(data[:int(len(data) * keep)])
    return path


BROKEN_PDFS: dict[str, Callable[[Path], object]] = {
    "encrypted": _encrypted,
    "cut-after-header": lambda p: _cut(p, 0.05),
    "corrupt": lambda p: p.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40),
    "not-a-pdf": lambda p: p.write_bytes(b"hello, this is not a PDF\n"),
    "empty-file": lambda p: p.write_bytes(b""),
    "folder": lambda p: p.mkdir(),
}


def _broken_pdfs(tmp: Path) -> list[str]:
    note, _ = vault(tmp)
    paths = []
    for name, make in BROKEN_PDFS.items():
        make(tmp / f"{name}.pdf")
        paths.append(tmp / f"{name}.md")
        paths[-1].write_text(note_text(good_blocks(), f"{name}.pdf"), encoding="utf-8")
    return tether_cmd("check", note, *paths, "--json")


def _pdf_notes(tmp: Path, pdfs: dict[str, Callable[[Path], object]], *extra: str
               ) -> list[str]:
    """A vault with one note per PDF ``name`` (blocks ``{name}1`` and ``{name}2``); ``check``."""
    vault(tmp)
    notes = []
    for name, make in pdfs.items():
        make(tmp / f"{name}.pdf")
        notes.append(tmp / f"{name}.md")
        notes[-1].write_text(note_text(_blocks((f"{name}1", "gamma delta"),
                                               (f"{name}2", "omicron pi")), f"{name}.pdf"),
                             encoding="utf-8")
    return tether_cmd("check", *notes, "--json", *extra)


def _with_pdf(make: Callable[[Path], object], *extra: str, command: str = "check"
              ) -> Callable[[Path], list[str]]:
    """The good note checked against the PDF ``make`` writes (``--pdf``)."""
    def build(tmp: Path) -> list[str]:
        note, _ = vault(tmp)
        pdf = tmp / "other.pdf"
        make(pdf)
        if command == "text":
            return tether_cmd("text", pdf, *extra)
        return tether_cmd(command, note, "--pdf", pdf, "--json", *extra)
    return build


# --- JSON annotation files ---------------------------------------------------------------

def _hypothesis_item(ann_id: str, quote: str, **over: object) -> dict:
    spec = spec_for(ann_id, quote)
    selector = {"type": "TextQuoteSelector", "exact": spec.exact, "prefix": spec.prefix,
                "suffix": spec.suffix}
    selector.update(over)
    return {"id": ann_id, "uri": "urn:x-pdf:abc", "target": [{"source": "urn:x-pdf:abc",
            "selector": [{"type": "TextPositionSelector", "start": spec.start,
                          "end": spec.end}, selector]}]}


_GOOD_JSON = json.dumps([_hypothesis_item("h1", "gamma delta")])


def _json_files(files: dict[str, bytes | str], with_pdf: bool = True
                ) -> Callable[[Path], list[str]]:
    def build(tmp: Path) -> list[str]:
        _, pdf = vault(tmp)
        for name, data in files.items():
            (tmp / name).write_bytes(data if isinstance(data, bytes) else data.encode())
        return tether_cmd("check", *(tmp / n for n in files), "--json",
                          *(["--pdf", str(pdf)] if with_pdf else []))
    return build


def _pdf_in_the_wrong_place(tmp: Path) -> list[str]:
    """``tether check notes.json paper.pdf``: the PDF named where annotation files go."""
    _, pdf = vault(tmp)
    (tmp / "good.json").write_text(_GOOD_JSON, encoding="utf-8")
    renamed = tmp / "paper-copy.md"  # a PDF saved under a note's name
    renamed.write_bytes(pdf.read_bytes())
    return tether_cmd("check", tmp / "good.json", pdf, renamed)


def _note_about_pdf_headers(tmp: Path) -> list[str]:
    """A note (named) whose prose, in its first kilobyte, mentions the ``%PDF-1.7`` header: it
    is a note, not a PDF named in the wrong place."""
    note, _ = vault(tmp, note=note_text("Every PDF starts with %PDF-1.7 and a binary line.\n\n"
                                        + good_blocks()))
    return tether_cmd("check", note, "--json")


def _targetless_note_about_pdf_headers(tmp: Path) -> list[str]:
    """A note with no ``annotation-target`` whose prose mentions ``%PDF-1.7``: its own problem
    is said, not "is a PDF" (only a file that *starts* with the header is one)."""
    note = tmp / "headers.md"
    note.write_text("---\ntags: pdf\n---\nEvery PDF starts with %PDF-1.7 and a binary line.\n",
                    encoding="utf-8")
    return tether_cmd("check", note)


def _broken_json_quoting_pdf_header(tmp: Path) -> list[str]:
    """A JSON export cut short that quotes ``%PDF-1.4`` in a string: "not valid JSON"."""
    path = tmp / "broken.json"
    path.write_text('[{"text": "a file starting with %PDF-1.4 is a PDF",\n', encoding="utf-8")
    return tether_cmd("check", path)


def _path_named_once(tmp: Path, proc: Proc) -> None:
    """The message names the JSON file once (it said "good.json: good.json: ...")."""
    (line,) = [x for x in proc.stderr.splitlines() if "does not name a local PDF" in x]
    assert line.count("good.json") == 1, line


# --- repair -------------------------------------------------------------------------------

def _drifted_vault(tmp: Path, extra_blocks: str = "") -> Path:
    """A vault whose note was made on V1 but whose paper.pdf is V2: g1 and g2 drifted."""
    note, _ = vault(tmp, V2_PAGES, note_text(good_blocks() + extra_blocks))
    note.with_name("note.md.orig").write_bytes(note.read_bytes())
    return note


def _unchanged(tmp: Path, proc: Proc) -> None:
    for orig in tmp.rglob("note.md.orig"):
        assert orig.with_name("note.md").read_bytes() == orig.read_bytes()
    assert not [p for p in tmp.rglob("*") if p.name.endswith(TEMP_SUFFIX)]
    assert "not written (error below); the file is as it was" in proc.stdout
    for note in tmp.rglob("note.md"):  # the message names the file once
        assert f"{note}: {note}:" not in proc.stderr, proc.stderr


def _repair_one_bad_block(tmp: Path) -> list[str]:
    return tether_cmd("repair", _drifted_vault(tmp, BAD_BLOCKS["str"]))


def _bad_block_kept(tmp: Path, proc: Proc) -> None:
    assert BAD_BLOCKS["str"] in (tmp / "note.md").read_text(encoding="utf-8")
    assert (tmp / "note.md.bak").read_bytes() == (tmp / "note.md.orig").read_bytes()


def _repair_same_note_thrice(tmp: Path) -> list[str]:
    """The drifted note named, named again through ``./``, and inside the named vault folder."""
    note = _drifted_vault(tmp)
    return tether_cmd("repair", note, f"{tmp}/./{note.name}", tmp)


def _repaired_once(tmp: Path, proc: Proc) -> None:
    assert proc.stdout.count("rewrote") == 1 and "changed since it was read" not in proc.stderr
    assert (tmp / "note.md.bak").read_bytes() == (tmp / "note.md.orig").read_bytes()
    assert not (tmp / "note.md.bak.1").exists()


def _repair_latin1_line(tmp: Path) -> list[str]:
    note = _drifted_vault(tmp)
    note.write_bytes(note.read_bytes().replace(b"---\n\n", b"---\ncaf\xe9 (Latin-1)\n\n", 1))
    return tether_cmd("repair", note)


def _latin1_kept(tmp: Path, proc: Proc) -> None:
    data = (tmp / "note.md").read_bytes()
    assert b"\ncaf\xe9 (Latin-1)\n" in data and (tmp / "note.md.bak").read_bytes() != data


def _repair_read_only(tmp: Path) -> list[str]:
    """A read-only note (in a writable folder) and a note in a read-only folder."""
    ro_file = _drifted_vault(tmp / "file")
    ro_file.chmod(0o444)
    ro_folder = _drifted_vault(tmp / "folder")
    ro_folder.parent.chmod(0o555)
    return unprivileged(tether_cmd("repair", ro_file, ro_folder))


_RLIMIT_CHILD = (
    "import os, resource, signal, sys\n"
    "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
    "limit = int(sys.argv[1])\n"
    "resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))\n"
    "os.execv(sys.executable, [sys.executable, '-m', 'tether.cli', *sys.argv[2:]])\n"
)


def _repair_rlimit(tmp: Path) -> list[str]:
    """RLIMIT_FSIZE (1 kB) on the repair process: writing the note's temporary copy fails
    half-way with EFBIG, as a full disk fails it with ENOSPC."""
    return [sys.executable, "-c", _RLIMIT_CHILD, "1024", "repair", str(_drifted_vault(tmp))]


_TMPFS_SCRIPT = r"""
set -u
mnt=$1; note=$2; pdf=$3
mount -t tmpfs -o size=64k tmpfs "$mnt" || exit 97
cp "$note" "$mnt/note.md"
cat /dev/zero > "$mnt/filler" 2>/dev/null
"$PYTHON" -m tether.cli repair "$mnt/note.md" --pdf "$pdf"
rc=$?
cmp -s "$mnt/note.md" "$note" && echo "NOTE UNCHANGED"
ls -a "$mnt" | grep -q tether-tmp && echo "TEMP FILE LEFT"
exit $rc
"""


def _repair_tmpfs(tmp: Path) -> list[str]:
    """A real full disk: a 64 kB tmpfs, filled up, in a private mount namespace."""
    if not IS_ROOT or shutil.which("unshare") is None or shutil.which("mount") is None:
        raise Unavailable("a private tmpfs needs root, unshare and mount")
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs tmpfs /mnt"],
                           capture_output=True, text=True, timeout=30)
    if probe.returncode != 0:
        raise Unavailable(f"cannot mount a tmpfs in a private namespace: {probe.stderr}")
    note = _drifted_vault(tmp)
    (tmp / "mnt").mkdir()
    return ["unshare", "-m", "sh", "-c", _TMPFS_SCRIPT, "sh", str(tmp / "mnt"), str(note),
            str(tmp / "paper.pdf")]


# --- the runs and the classes ----------------------------------------------------------------

RUNS: dict[str, Run] = {
    "bad-blocks": Run(_bad_blocks_note, (1,)),
    "harmless-blocks": Run(_harmless_notes, (0,)),
    "target-lists": Run(_target_lists, (0,)),
    "unusable-targets": Run(_unusable_targets, (2,)),
    "missing-paths": Run(_missing_paths, (2,)),
    "faulty-vault": Run(_faulty_vault, (2,)),
    "locked-vault": Run(_locked_vault, (2,)),
    "folders-without-notes": Run(_folders_without_notes, (2,)),
    "broken-pdfs": Run(_broken_pdfs, (2,)),
    "wrong-password": Run(_with_pdf(_encrypted, "--password", "nope"), (2,)),
    "right-password": Run(lambda tmp: _pdf_notes(tmp, {
        "user": _encrypted, "owner": lambda p: _encrypted(p, user_pw="")},
        "--password", "user-secret"), (0,)),
    "text-encrypted": Run(_with_pdf(_encrypted, command="text"), (2,)),
    # MuPDF rebuilds what it can of a PDF cut in half: what is left is checked
    "cut-in-half": Run(_with_pdf(lambda p: _cut(p, 0.5)), (0, 1, 2)),
    "no-text": Run(lambda tmp: _pdf_notes(tmp, {"zero": zero_page_pdf,
                                                 "scan": image_only_pdf}), (1,)),
    "max-pages": Run(_with_pdf(lambda p: make_pdf(p, V1_PAGES), "--max-pages", "1"), (2,)),
    "text-max-pages": Run(_with_pdf(lambda p: make_pdf(p, V1_PAGES), "--max-pages", "1",
                                    command="text"), (2,)),
    "max-seconds": Run(_with_pdf(lambda p: make_pdf(p, V1_PAGES), "--max-seconds", "1e-9"),
                       (2,)),
    "json-unreadable": Run(_json_files({
        "good.json": _GOOD_JSON, "notjson.json": '{"rows": [',
        "utf16.json": _GOOD_JSON.encode("utf-16"), "latin1.json": b'[{"id": "h\xe9"}]',
        "shape.json": '{"hello": "world"}'}), (2,)),
    "json-bad-items": Run(_json_files({"items.json": json.dumps([
        _hypothesis_item("h1", "gamma delta", prefix="\udc65" + spec_for("x", "gamma delta")
                         .prefix),
        42,
        _hypothesis_item("h2", "omicron pi", exact="omicron pi\ud835")]),
        "odd.json": json.dumps([{**_hypothesis_item("o1", "nu xi"), "type": {"x": 1}}])}),
        (1,)),
    "json-without-pdf": Run(_json_files({"good.json": _GOOD_JSON}, with_pdf=False), (2,)),
    "pdf-in-the-wrong-place": Run(_pdf_in_the_wrong_place, (2,)),
    "note-about-pdf-headers": Run(_note_about_pdf_headers, (0,)),
    "targetless-note-about-pdf-headers": Run(_targetless_note_about_pdf_headers, (2,)),
    "broken-json-quoting-pdf-header": Run(_broken_json_quoting_pdf_header, (2,)),
    "repair-one-bad-block": Run(_repair_one_bad_block, (1,)),
    "repair-latin1-line": Run(_repair_latin1_line, (0,)),
    "repair-same-note-thrice": Run(_repair_same_note_thrice, (0,)),
    "repair-read-only": Run(_repair_read_only, (2,)),
    "repair-file-size-limit": Run(_repair_rlimit, (2,)),
    "repair-disk-full-tmpfs": Run(_repair_tmpfs, (2,)),
    "markup-names-text": Run(_markup_names_text, (2,)),
    "markup-names-report": Run(_markup_names_report, (2,)),
    "markup-names-export": Run(_markup_names_export, (2,)),
    "usage-no-arguments": Run(lambda tmp: tether_cmd("check"), (2,)),
    "usage-negative-limit": Run(lambda tmp: tether_cmd("check", "x.md", "--max-pages", "-1"),
                                (2,)),
}

_B = "bad-blocks"
CASES = [
    Case("malformed-json-block", _B, ("annotation JSON is invalid",), _G, {"json": "invalid"}),
    Case("unclosed-fence", _B, ("fence is never closed",), _G, {"fence": "invalid"}),
    Case("block-without-id-line", _B, ("no '^id' line",), _G),
    Case("position-selector-only", _B, ("without a TextQuoteSelector",), _G,
         {"posonly": "invalid"}),
    Case("negative-offsets", _B, ("impossible range -5..3",), _G, {"neg": "invalid"}),
    Case("reversed-offsets", _B, ("impossible range 30..20",), _G, {"rev": "invalid"}),
    Case("out-of-range-offsets", _B, ("stored position unusable",), _G, {"oor": "drifted"}),
    Case("string-offsets", _B, (f"end='{_END}'",), _G, {"str": "invalid"}),
    Case("float-offsets", _B, (f"end={_END}.5",), _G, {"float": "invalid"}),
    Case("overflowing-offsets", _B, ("end=inf",), _G, {"inf": "invalid"}),
    Case("empty-exact", _B, ("empty exact",), _G, {"empty": "invalid"}),
    Case("quote-of-100-kB", _B, ("the quote does not occur",), _G, {"huge": "orphaned"}),
    Case("json-nested-too-deeply", _B, ("nested too deeply",), _G, {"deep": "invalid"}),
    Case("invalid-utf8-in-a-block", _B, ("not UTF-8 (0xe9)",), _G, {"utf8": "invalid"}),
    Case("note-cut-short-in-a-block", _B, (), _G, after=_cut_block_reported),
    Case("duplicate-block-ids", _B, ("duplicate block id ^g1",), _G),
    Case("page-note-no-selectors", "harmless-blocks", ('"id": "page"',), _G),
    Case("missing-prefix-suffix", "harmless-blocks", (), (*_G, "noctx")),
    Case("crlf-line-endings-and-bom", "harmless-blocks", (), ("c1", "c2")),
    Case("annotation-target-is-a-list", "target-lists", (), ("b1", "b2", "f1", "f2")),
    Case("no-front-matter", "unusable-targets",
         ("nofm.md: the note has no annotation-target",), _G),
    Case("annotation-target-missing", "unusable-targets",
         ("nokey.md: the note has no annotation-target",), _G),
    Case("empty-note-named", "unusable-targets",
         ("empty.md: the note has no annotation-target",), _G),
    Case("annotation-target-url", "unusable-targets", ("annotation-target is a URL",), _G),
    Case("annotation-target-epub", "unusable-targets", ("'book.epub' is not a PDF",), _G),
    Case("annotation-target-type-epub", "unusable-targets",
         ("annotation-target-type is 'epub'",), _G),
    Case("pdf-moved-not-found", "unusable-targets", ("PDF not found",), _G),
    Case("target-matches-two-pdfs", "unusable-targets", ("matches 2 PDFs",), _G),
    Case("note-path-missing", "missing-paths", ("nope.md: no such file or folder",), _G),
    Case("note-path-is-a-symlink-loop", "missing-paths", ("loop.md: a symbolic link loop",),
         _G),
    Case("symlink-loops-in-a-vault", "faulty-vault",
         ("self.md: cannot read the file: Too many levels of symbolic links",), _G),
    Case("empty-note-in-a-folder", "faulty-vault", (), _G),
    Case("non-utf8-file-name", "faulty-vault", ("caf\\udce9.md",), (*_G, "cafe")),
    Case("folder-without-annotation-files", "folders-without-notes",
         ("empty: no annotation files found in this folder",
          "plain: no annotation files found in this folder", "W3C .json files one by one"), _G),
    Case("unreadable-note", "locked-vault", ("other.md: cannot read the file: Permission denied",),
         _G),
    Case("unreadable-sub-folder", "locked-vault",
         ("locked: cannot read the folder: Permission denied",), _G),
    Case("unreadable-pdf", "locked-vault",
         ("secret.pdf: cannot read the PDF: Permission denied",), _G),
    Case("pdf-encrypted-no-password", "broken-pdfs", ("needs a password (--password)",), _G),
    Case("pdf-encrypted-wrong-password", "wrong-password", ("wrong password",)),
    Case("pdf-encrypted-with-password", "right-password", (), ("user1", "user2")),
    Case("pdf-encrypted-owner-password-only", "right-password", (), ("owner1", "owner2")),
    Case("text-pdf-encrypted", "text-encrypted", ("needs a password",)),
    Case("pdf-truncated", "broken-pdfs", ("cut-after-header.pdf: the PDF is damaged",), _G),
    Case("pdf-cut-in-half", "cut-in-half", ()),
    Case("pdf-corrupt", "broken-pdfs", ("corrupt.pdf: the PDF is damaged",), _G),
    Case("not-a-pdf", "broken-pdfs", ("not-a-pdf.pdf: not a PDF file",), _G),
    Case("empty-pdf-file", "broken-pdfs", ("empty-file.pdf: not a PDF file",), _G),
    Case("pdf-path-is-a-folder", "broken-pdfs", ("annotation-target 'folder.pdf'",), _G),
    Case("pdf-zero-pages", "no-text", ("the PDF has no pages",), (),
         {"zero1": "orphaned", "zero2": "orphaned"}),
    Case("pdf-scanned-no-text-layer", "no-text", ("no text layer",), (),
         {"scan1": "orphaned", "scan2": "orphaned"}),
    Case("pdf-over-max-pages", "max-pages", ("2 pages, more than the limit of 1 (--max-pages)",)),
    Case("text-pdf-over-max-pages", "text-max-pages", ("(--max-pages)",)),
    Case("pdf-over-max-seconds", "max-seconds", ("longer than the limit", "(--max-seconds)")),
    Case("json-not-json", "json-unreadable", ("notjson.json:1:11: not valid JSON",), ("h1",)),
    Case("json-utf16", "json-unreadable", ("utf16.json: the file is UTF-16",), ("h1",)),
    Case("json-invalid-utf8", "json-unreadable", ("latin1.json: not UTF-8",), ("h1",)),
    Case("json-unknown-shape", "json-unreadable", ("not a Hypothesis annotation",), ("h1",)),
    Case("json-bad-item-among-good", "json-bad-items", ("not an annotation",), ("h1",),
         {"#1": "invalid"}),
    Case("lone-surrogate-in-a-quote", "json-bad-items", ('"\\udc65', "omicron pi\\ud835"),
         ("h1",)),
    Case("json-type-is-an-object", "json-bad-items", (), ("o1",)),
    Case("json-without-pdf", "json-without-pdf",
         ("a Hypothesis JSON file does not name a local PDF (its annotations are about "
          "urn:x-pdf:abc); pass --pdf FILE",), after=_path_named_once),
    Case("pdf-named-as-an-annotation-file", "pdf-in-the-wrong-place",
         ("paper.pdf: is a PDF, not an annotation file; give it with --pdf",
          "does not name a local PDF"), after=_path_named_once),
    Case("pdf-named-like-a-note", "pdf-in-the-wrong-place",
         ("paper-copy.md: is a PDF, not an annotation file; give it with --pdf",)),
    Case("note-mentioning-the-pdf-header", "note-about-pdf-headers", (), _G),
    Case("targetless-note-mentioning-the-pdf-header", "targetless-note-about-pdf-headers",
         ("no annotation-target",)),
    Case("broken-json-mentioning-the-pdf-header", "broken-json-quoting-pdf-header",
         ("not valid JSON",)),
    Case("repair-one-bad-block-among-good", "repair-one-bad-block",
         ("rewrote 2 annotation(s)", "left str: invalid"), after=_bad_block_kept),
    Case("repair-same-note-named-thrice", "repair-same-note-thrice",
         ("rewrote 2 annotation(s)",), after=_repaired_once),
    Case("repair-invalid-utf8-outside-blocks", "repair-latin1-line",
         ("rewrote 2 annotation(s)",), after=_latin1_kept),
    Case("repair-permission-denied-file", "repair-read-only",
         ("permission denied (the file is read-only)",), after=_unchanged),
    Case("repair-permission-denied-folder", "repair-read-only",
         ("permission denied while creating a temporary file",), after=_unchanged),
    Case("repair-file-size-limit", "repair-file-size-limit", ("File too large",),
         after=_unchanged),
    Case("repair-disk-full", "repair-disk-full-tmpfs",
         ("No space left on device", "NOTE UNCHANGED")),
    Case("text-pdf-name-with-markup", "markup-names-text", (f"{_MARKUP_PDF}: PDF not found",)),
    Case("report-note-name-with-markup", "markup-names-report",
         (f"{_MARKUP_NOTE}: no such file or folder", "wrote ")),
    Case("export-pdf-name-with-markup", "markup-names-export", (f"{_MARKUP_PDF}: PDF not found",)),
    Case("usage-no-arguments", "usage-no-arguments", ("Missing argument",)),
    Case("usage-negative-limit", "usage-negative-limit", ("--max-pages",)),
]


# --- running ------------------------------------------------------------------------------------

@dataclass
class Outcome:
    tmp: Path
    proc: Proc | None = None
    skip: str | None = None


def _execute(run: Run, tmp: Path) -> Outcome:
    try:
        cmd = run.build(tmp)
    except (Unavailable, pytest.skip.Exception) as exc:
        return Outcome(tmp, skip=str(exc))
    env = {**os.environ, "PYTHON": sys.executable, "COLUMNS": "500"}  # messages unwrapped
    env.pop("TETHER_DEBUG", None)
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180, env=env,
                          errors="backslashreplace")
    return Outcome(tmp, proc)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    base = tmp_path_factory.mktemp("bad-input-cli")
    folders = {}
    for name in RUNS:
        folders[name] = base / name
        folders[name].mkdir()
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {name: pool.submit(_execute, RUNS[name], folders[name]) for name in RUNS}
        out = {name: f.result() for name, f in futures.items()}
    for folder in folders.values():  # unlock what the runs locked, so pytest can clean up
        for p in [folder, *folder.rglob("*")]:
            if not p.is_symlink() and p.is_dir():
                p.chmod(0o755)
    return out


def test_every_class_has_a_run_and_a_unique_name() -> None:
    assert len({c.name for c in CASES}) == len(CASES) >= 50
    assert {c.run for c in CASES} == set(RUNS)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_through_the_cli(case: Case, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[case.run]
    if outcome.skip is not None:
        pytest.skip(outcome.skip)
    proc = outcome.proc
    assert proc is not None
    both = proc.stdout + proc.stderr
    assert "Traceback" not in both and "internal error" not in both, both[-3000:]
    assert proc.returncode in RUNS[case.run].codes, (proc.returncode, both[-3000:])
    for text in case.expect:
        assert text in both, (text, both[-3000:])
    if case.anchored or case.statuses:
        report = json.loads(proc.stdout)
        status: dict[str, str] = {}  # the first annotation with each id
        for a in (a for d in report["documents"] for a in d["annotations"]):
            status.setdefault(a["id"], a["status"])
        for ann_id in case.anchored:
            assert status.get(ann_id) == "anchored", (ann_id, status, proc.stderr)
        for ann_id, want in case.statuses.items():
            assert status.get(ann_id) == want, (ann_id, status)
    if case.after is not None:
        case.after(outcome.tmp, proc)


def test_the_small_pdf_reads_as_the_cases_assume() -> None:
    assert small_text(V1_PAGES) == "".join(V1_PAGES)
    assert small_text(V2_PAGES) == "".join(V2_PAGES)
    assert replace(spec_for("x", "gamma delta"), start=0).start == 0
