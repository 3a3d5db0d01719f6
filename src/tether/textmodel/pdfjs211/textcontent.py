"""A port of PDF.js 2.11's ``PartialEvaluator.getTextContent`` (src/core/evaluator.js): the
operator loop, and the entry point :func:`page_text_items`.

Called as Hypothesis calls it: ``normalizeWhitespace: true``, ``combineTextItems: true`` (the
default), no marked content. The page text is the items' strings joined with no separator.

The port is split as PDF.js's function is: :mod:`.text_state` (``TextState``, ``q``/``Q``),
:mod:`.text_items` (the item being built, the spaces and line ends inserted between glyph runs),
:mod:`.show_text` (glyphs shown by ``Tj``/``TJ``), and here the operators that drive them.

Faithfulness notes (why the code looks the way it does):
- Arithmetic follows PDF.js operation by operation (same operand order), so positions compare
  bit-for-bit: PDF.js decides "same position" with ``===`` on floats.
- ``q``/``Q`` save and restore the *whole* text state, text matrices included (PDF.js's
  ``TextState.clone``), unlike the PDF specification.
- Spaces come from three places only: glyphs that are spaces, ``addFakeSpaces`` when a gap is
  within [0.3, 1.3] × the font's space width, and separate ``" "`` items for larger gaps.
- A form XObject gets its own text-content item state (a recursive call in PDF.js).

Besides the text, every emitted character gets a box (for highlights and reports): the glyph's
advance box for glyph characters, a zero-width box at the pen for inserted spaces.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tether.textmodel.pdfjs211.fonts import FontLoader, PdfjsFont
from tether.textmodel.pdfjs211.objects import PdfObjects
from tether.textmodel.pdfjs211.show_text import TextShower
from tether.textmodel.pdfjs211.syntax import Name, Ref, text_operations
from tether.textmodel.pdfjs211.text_items import TextItem
from tether.textmodel.pdfjs211.text_state import IDENTITY, StateStack, TextState, transform

#: Guard against forms that draw themselves (PDF.js relies on caches; we bound depth).
MAX_FORM_DEPTH = 12


# Fixed operand counts of the text-relevant operators (EvaluatorPreprocessor.opMap); an operator
# with too few operands is skipped, as PDF.js does.
_NUM_ARGS = {
    "q": 0, "Q": 0, "cm": 6, "BT": 0, "ET": 0, "Tc": 1, "Tw": 1, "Tz": 1, "TL": 1, "Tf": 2,
    "Tr": 1, "Ts": 1, "Td": 2, "TD": 2, "Tm": 6, "T*": 0, "Tj": 1, "TJ": 1, "'": 1, '"': 3,
    "Do": 1, "gs": 1,
}


class _TextContentRun(TextShower):
    """One ``getTextContent`` invocation (a page, or a form XObject drawn on it): the operator
    loop over :class:`.show_text.TextShower`. (A plain class: an extension type in the
    compiled build, see ``textcontent.pxd``.)"""

    def __init__(self, ctx: TextContentContext, resources: dict[str, Any],
                 states: StateStack, depth: int) -> None:
        super().__init__(ctx, states.state)
        self.resources = resources
        self.states = states
        self.depth = depth
        self._fonts: dict[str | None, PdfjsFont] = {}

    # -- the operator loop -----------------------------------------------------------------
    def set_font(self, font: PdfjsFont) -> None:
        self.ts.font = font
        self.ts.font_matrix = font.font_matrix

    def run(self, content: bytes) -> None:
        ctx = self.ctx
        # The most frequent operators come first in the chain below.
        for op, args in text_operations(content, _NUM_ARGS):
            need = _NUM_ARGS[op]
            if len(args) < need:
                continue  # "Skipping command: expected N args"
            if len(args) > need:
                args = args[len(args) - need:]
            self.ts = ts = self.states.state
            if op == "TJ":
                if ts.font is None or not isinstance(args[0], list):
                    continue
                self.show_spaced_text(args[0])
            elif op == "Tj":
                if ts.font is None or not isinstance(args[0], bytes):
                    continue
                self.build_item(args[0], 0, True)
            elif op == "Td":
                ts.translate_text_line_matrix(_num(args[0]), _num(args[1]))
                ts.text_matrix = list(ts.text_line_matrix)
            elif op == "Tf":
                name, size = args
                if not isinstance(size, (int, float)):
                    continue
                name = str(name) if isinstance(name, Name) else None
                if ts.font is not None and name == ts.font_name and size == ts.font_size:
                    continue
                self.flush()
                ts.font_name = name
                ts.font_size = size
                font = self._fonts.get(name)
                if font is None:  # resources are fixed per run: look each name up once
                    fonts = self.ctx.objects.get(self.resources, "Font", {})
                    font = self._fonts[name] = ctx.fonts.load(
                        fonts.get(name) if isinstance(fonts, dict) and name is not None
                        else None)
                self.set_font(font)
            elif op == "Tm":
                m = [_num(a) for a in args]
                ts.text_matrix = list(m)
                ts.text_line_matrix = list(m)
                self.update_advance_scale()
            elif op == "BT":
                self.flush()
                ts.text_matrix = list(IDENTITY)
                ts.text_line_matrix = list(IDENTITY)
            elif op == "q":
                self.states.save()
            elif op == "Q":
                self.states.restore()
            elif op == "cm":
                if all(isinstance(a, (int, float)) for a in args):
                    ts.ctm = transform(ts.ctm, args)
            elif op == "Tc":
                ts.char_spacing = _num(args[0])
            elif op == "Tw":
                ts.word_spacing = _num(args[0])
            elif op == "T*":
                self.append_eol()
                ts.carriage_return()
            elif op == "TD":
                self.flush()
                ts.leading = -_num(args[1])
                ts.translate_text_line_matrix(_num(args[0]), _num(args[1]))
                ts.text_matrix = list(ts.text_line_matrix)
            elif op == "Ts":
                self.flush()
                ts.rise = _num(args[0])
            elif op == "Tz":
                self.flush()
                ts.h_scale = _num(args[0]) / 100
            elif op == "TL":
                self.flush()
                ts.leading = _num(args[0])
            elif op == "'":
                if ts.font is None or not isinstance(args[0], bytes):
                    continue
                self.item.has_eol = True
                self.flush()
                ts.carriage_return()
                self.build_item(args[0], 0, True)
            elif op == '"':
                if ts.font is None or not isinstance(args[2], bytes):
                    continue
                self.item.has_eol = True
                self.flush()
                ts.word_spacing = _num(args[0])
                ts.char_spacing = _num(args[1])
                ts.carriage_return()
                self.build_item(args[2], 0, True)
            elif op == "Do":
                self.flush()
                self.paint_form(args[0])
            elif op == "gs":
                self.set_gstate_font(args[0])
        self.flush()

    def paint_form(self, name: Any) -> None:
        if not isinstance(name, Name) or self.depth >= MAX_FORM_DEPTH:
            return
        objects = self.ctx.objects
        xobjects = objects.get(self.resources, "XObject", {})
        ref = xobjects.get(str(name)) if isinstance(xobjects, dict) else None
        if not isinstance(ref, Ref):
            return
        xdict = objects.obj(ref.num)
        if not isinstance(xdict, dict) or objects.get(xdict, "Subtype") != "Form":
            return
        state = self.states.state.clone()
        states = StateStack(state)
        matrix = objects.get(xdict, "Matrix")
        if isinstance(matrix, list) and len(matrix) == 6 \
                and all(isinstance(v, (int, float)) for v in matrix):
            state.ctm = transform(state.ctm, matrix)
        resources = objects.get(xdict, "Resources")
        run = _TextContentRun(self.ctx, resources if isinstance(resources, dict)
                              else self.resources, states, self.depth + 1)
        run.run(objects.stream(ref))

    def set_gstate_font(self, name: Any) -> None:
        if not isinstance(name, Name):
            return
        objects = self.ctx.objects
        ext = objects.get(self.resources, "ExtGState", {})
        gstate = objects.get(ext, str(name)) if isinstance(ext, dict) else None
        font_entry = objects.get(gstate, "Font") if isinstance(gstate, dict) else None
        if not isinstance(font_entry, list) or len(font_entry) != 2:
            return
        self.flush()
        self.ts.font_name = None
        self.ts.font_size = _num(font_entry[1])
        self.set_font(self.ctx.fonts.load(font_entry[0]))


def _num(v: Any) -> float:
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else 0



@dataclass
class TextContentContext:
    """What one document's text extraction shares across pages: objects and fonts."""

    objects: PdfObjects
    fonts: FontLoader
    #: Compute a box per character (reports and highlights need them; checking does not).
    with_boxes: bool = True
    items: list[TextItem] = field(default_factory=list)


def page_text_items(ctx: TextContentContext, page_index: int,
                    content: bytes | None = None,
                    check: Callable[[], None] | None = None) -> list[TextItem]:
    """The text-content items of one page (``getTextContent`` on the page's content)."""
    ctx.items = []
    resources = ctx.objects.page_resources(page_index)
    data = ctx.objects.page_contents(page_index) if content is None else content
    run = _TextContentRun(ctx, resources, StateStack(TextState()), 0)
    run.run(data)
    if check is not None:
        check()
    return ctx.items
