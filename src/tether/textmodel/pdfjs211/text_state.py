"""The graphics and text state ``getTextContent`` tracks (PDF.js ``TextState`` and
``StateManager``), and ``Util.transform``.

Matrices are PDF.js's six-number ``[a, b, c, d, e, f]`` lists in PDF user space. Arithmetic
follows PDF.js operation by operation (same operand order), so positions compare bit-for-bit
with PDF.js's (it decides "same position" with ``===`` on floats).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tether.textmodel.pdfjs211.fonts import PdfjsFont

Matrix = list[float]
IDENTITY: tuple[float, ...] = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def transform(m1: Matrix | tuple[float, ...], m2: Matrix | tuple[float, ...]) -> Matrix:
    """``Util.transform``: the product m1 × m2, in PDF.js's operand order."""
    return [
        m1[0] * m2[0] + m1[2] * m2[1],
        m1[1] * m2[0] + m1[3] * m2[1],
        m1[0] * m2[2] + m1[2] * m2[3],
        m1[1] * m2[2] + m1[3] * m2[3],
        m1[0] * m2[4] + m1[2] * m2[5] + m1[4],
        m1[1] * m2[4] + m1[3] * m2[5] + m1[5],
    ]


class TextState:
    """PDF.js ``TextState``: the graphics + text state ``getTextContent`` tracks."""

    __slots__ = (
        "ctm", "font_name", "font_size", "font", "font_matrix", "text_matrix",
        "text_line_matrix", "char_spacing", "word_spacing", "leading", "h_scale", "rise",
    )

    def __init__(self) -> None:
        self.ctm: Matrix = list(IDENTITY)
        self.font_name: str | None = None
        self.font_size: float = 0
        self.font: PdfjsFont | None = None
        self.font_matrix: tuple[float, ...] = (0.001, 0.0, 0.0, 0.001, 0.0, 0.0)
        self.text_matrix: Matrix = list(IDENTITY)
        self.text_line_matrix: Matrix = list(IDENTITY)
        self.char_spacing: float = 0
        self.word_spacing: float = 0
        self.leading: float = 0
        self.h_scale: float = 1
        self.rise: float = 0

    def clone(self) -> TextState:
        c = TextState.__new__(TextState)
        for name in TextState.__slots__:
            setattr(c, name, getattr(self, name))
        c.text_matrix = list(self.text_matrix)
        c.text_line_matrix = list(self.text_line_matrix)
        return c

    # Matrix entries are read into locals first: the compiled build (text_state.pxd) types
    # them as C doubles, the same conversion Python's mixed int/float arithmetic makes.
    def translate_text_matrix(self, x: float, y: float) -> None:
        m = self.text_matrix
        m0, m1, m2, m3, m4, m5 = m
        m[4] = m0 * x + m2 * y + m4
        m[5] = m1 * x + m3 * y + m5

    def translate_text_line_matrix(self, x: float, y: float) -> None:
        m = self.text_line_matrix
        m0, m1, m2, m3, m4, m5 = m
        m[4] = m0 * x + m2 * y + m4
        m[5] = m1 * x + m3 * y + m5

    def carriage_return(self) -> None:
        self.translate_text_line_matrix(0, -self.leading)
        self.text_matrix = list(self.text_line_matrix)


class StateStack:
    """PDF.js ``StateManager``: ``q`` pushes a clone, ``Q`` pops (an extra ``Q`` is a no-op)."""

    def __init__(self, state: TextState) -> None:
        self.state = state
        self.stack: list[TextState] = []

    def save(self) -> None:
        self.stack.append(self.state)
        self.state = self.state.clone()

    def restore(self) -> None:
        if self.stack:
            self.state = self.stack.pop()

