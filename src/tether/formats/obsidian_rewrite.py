"""Rewriting one Annotator block's selectors minimally, and checking the rewrite reads back.

:func:`block_edits` turns a :class:`~tether.formats.base.SelectorUpdate` into text edits of the
note: the TextPositionSelector ``start``/``end`` and TextQuoteSelector ``exact``/``prefix``/
``suffix`` JSON values, and the PREFIX / HIGHLIGHT / POSTFIX texts of the block's
``*%%PREFIX%%…*`` line (trimmed as the plugin trims; parts absent in the note stay absent),
and, for a rewritten block, its ``document.documentFingerprint`` (:func:`fingerprint_edit`).
:func:`verify_block_edits` re-reads the rewritten block alone and refuses a rewrite the note
cannot hold unambiguously. Edit offsets are code points into the decoded note text; the
update's ``start``/``end`` are in the note's unit.
"""

from __future__ import annotations

from tether.formats.base import SelectorUpdate, as_written_to_utf8, js_trim
from tether.formats.jsonedit import Edit, apply_edits, js_string
from tether.formats.notetext import split_lines
from tether.formats.obsidian_blocks import NoteBlock, find_blocks
from tether.formats.selectorjson import selector_edits
from tether.offsets import OffsetUnit
from tether.selectors import TextPosition, TextQuote

__all__ = ["block_edits", "fingerprint_edit", "verify_block_edits"]


def block_edits(block: NoteBlock, upd: SelectorUpdate) -> tuple[list[Edit], str | None]:
    """The note-text edits that write ``upd`` into ``block`` (which must be updatable), and a
    remark on the update (e.g. "no TextPositionSelector: quote only") or None."""
    assert block.spans is not None
    json_edits, note = selector_edits(block.spans, upd)
    edits = [Edit(block.to_file(e.start), block.to_file(e.end), e.new) for e in json_edits]
    md = block.markdown
    if md is not None:
        for group, value in (("prefix", upd.prefix), ("highlight", upd.exact),
                             ("postfix", upd.suffix)):
            old = md.group(group)
            # JSON keeps a lone surrogate as an escape; the markdown line cannot.
            new = js_trim(as_written_to_utf8(value))
            if old is None or old == new:
                continue
            s, e = md.span(group)
            edits.append(Edit(block.to_file(s), block.to_file(e),
                              new.replace("\n", block.eol + ">")))
    if edits:  # only a rewritten annotation moves to the new PDF
        fp = fingerprint_edit(block, upd.fingerprint)
        if fp is not None:
            edits.append(fp)
    return edits, note


def fingerprint_edit(block: NoteBlock, fingerprint: str | None) -> Edit | None:
    """The edit setting the block's ``document.documentFingerprint`` string to ``fingerprint``
    (note-text offsets), or None: no fingerprint given, the JSON has no such string (a key is
    never added), or it already names that PDF (compared ignoring case, as ``check`` does).

    Why: the rewritten offsets index into the new PDF; left at the old PDF's fingerprint, the
    note would say they index into the old one (``check`` would call the PDF changed forever,
    and the resolver would take rewritten annotations as landmarks for unrewritten ones, mixing
    two texts' offsets). The plugin finds annotations by their ``vault:`` uri, never by this
    label, and the ``uri`` / ``document.link`` entries are left as they are."""
    if fingerprint is None or block.json is None:
        return None
    doc = block.json.get("document")
    node = doc.get("documentFingerprint") if doc is not None and doc.kind == "object" else None
    if node is None or node.kind != "string" or node.value.lower() == fingerprint.lower():
        return None
    return Edit(block.to_file(node.start), block.to_file(node.end), js_string(fingerprint))


def verify_block_edits(text: str, block: NoteBlock, edits: list[Edit], upd: SelectorUpdate,
                       unit: OffsetUnit) -> str | None:
    """Re-parse ``block`` of the note ``text`` with ``edits`` applied, alone; None when it reads
    back as ``upd`` intends (same id, quote, position in ``unit``, highlight, comment, tags and
    documentFingerprint: the new PDF's when :func:`fingerprint_edit` set it), else why the
    rewrite is refused."""
    local = [Edit(e.start - block.start, e.end - block.start, e.new) for e in edits]
    new_text = apply_edits(text[block.start:block.end], local)
    reparsed = find_blocks(new_text, split_lines(new_text), unit, "<note>")
    old = block.annotation
    md = block.markdown
    want = TextQuote(
        upd.exact,
        js_trim(as_written_to_utf8(upd.prefix))
        if md is not None and md.group("prefix") is not None else upd.prefix,
        js_trim(as_written_to_utf8(upd.suffix))
        if md is not None and md.group("postfix") is not None else upd.suffix,
    )
    if len(reparsed) != 1 or reparsed[0].id != block.id:
        return "the new quote text would break the note's block structure"
    new = reparsed[0].annotation
    want_pos = TextPosition(upd.start, upd.end, unit) if old.position else None
    if new.problems:
        return "the rewritten block does not parse: " + "; ".join(new.problems)
    has_hl = md is not None and md.group("highlight") is not None
    want_hl = js_trim(as_written_to_utf8(upd.exact)) if has_hl else None
    if new.quote != want or new.position != want_pos or new.extra.get("highlight") != want_hl:
        return ("the new quote/context contains note markup (such as %%HIGHLIGHT%%, '== ' "
                "or a CR before a line break) that the note format cannot hold unambiguously")
    if (new.comment, new.tags) != (old.comment, old.tags):
        return "the rewrite would change the comment or tags as the plugin reads them"
    moved = fingerprint_edit(block, upd.fingerprint) is not None
    if new.fingerprint != (upd.fingerprint if moved else old.fingerprint):
        return "the rewritten block's documentFingerprint does not read back as written"
    return None

