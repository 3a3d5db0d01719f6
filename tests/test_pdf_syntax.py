"""The PDF tokenizer / object parser the PDF.js emulation reads content streams with."""

from __future__ import annotations

from tether.textmodel.pdfjs211.syntax import Name, Ref, operations, parse_object


def test_object_values():
    obj = parse_object(b"<< /Type /Font /W [1 [500 600] 3 5 250] /F 12 0 R "
                       b"/S (a\\(b\\)c\\101\\\nd) /H <41 4> /N /A#20B /x -.5 /t true >>")
    assert obj == {"Type": "Font", "W": [1, [500, 600], 3, 5, 250], "F": Ref(12, 0),
                   "S": b"a(b)cAd", "H": b"A@", "N": "A B", "x": -0.5, "t": True}
    assert isinstance(obj["Type"], Name)


def test_content_stream_operations_and_inline_image():
    data = (b"BT /F1 12 Tf [(Hel)-250(lo)] TJ 1 0 0 1 72 720 Tm (x) Tj ET "
            b"BI /W 1 /H 1 ID \x00\xff) ( EI Q (nested (paren)) Tj")
    ops = list(operations(data))
    assert [op for op, _ in ops] == ["BT", "Tf", "TJ", "Tm", "Tj", "ET", "BI", "EI", "Q", "Tj"]
    assert ops[2][1] == [[b"Hel", -250, b"lo"]]
    assert ops[-1][1] == [b"nested (paren)"]


def test_malformed_input_does_not_raise():
    assert list(operations(b"(unterminated [1 2 <<")) is not None
    assert parse_object(b"") is None


# --- the fast operation scanner agrees with the token loop -----------------------------------

_WANTED = {"q", "Q", "cm", "BT", "ET", "Tc", "Tw", "Tz", "TL", "Tf", "Tr", "Ts", "Td", "TD", "Tm",
           "T*", "Tj", "TJ", "'", '"', "Do", "gs", "EI"}
_PIECES = [b"(", b")", b"[", b"]", b"<", b">", b"<<", b">>", b"/", b"\\", b" ", b"\n", b"\r",
           b"%", b"1", b"-", b".", b"+", b"0", b"Tj", b"TJ", b"Tf", b"Td", b"Tm", b"cm", b"m",
           b"re", b"ID", b"EI", b"BI", b"true", b"null", b"a", b"#", b"\x00", b"q", b"Q", b"f*",
           b"{", b"}", b"\\(", b"\\)", b"7", b"\\\r\n", b"/F1 9 Tf ", b"[(ab)-250(c)]TJ ",
           b"1 0 0 1 72 720 Tm ", b"12.5 -3 Td ", b"<0041>Tj ", b"(x\\051) Tj ", b"0 0 m 1 1 l S "]


def _typed(ops):
    def norm(v):
        if isinstance(v, list):
            return ("list", tuple(norm(x) for x in v))
        if isinstance(v, dict):
            return ("dict", tuple(sorted((k, norm(x)) for k, x in v.items())))
        return (type(v).__name__, v)
    return [(op, type(op).__name__, norm(args)) for op, args in ops]


def _agree(data: bytes) -> None:
    from tether.textmodel.pdfjs211.syntax import text_operations

    slow = [(op, args) for op, args in operations(data, _WANTED) if op in _WANTED]
    assert _typed(text_operations(data, _WANTED)) == _typed(slow), data


def test_text_operations_agree_on_real_streams():
    import pymupdf

    from conftest import FIXTURES

    # Page content streams only: font programs and images are binary, not content syntax.
    for pdf in sorted(FIXTURES.rglob("*.pdf")):
        with pymupdf.open(pdf) as doc:
            for page in doc:
                _agree(page.read_contents())


def test_text_operations_agree_on_random_streams():
    import random

    rnd = random.Random(20261125)
    for _ in range(4000):
        _agree(b"".join(rnd.choice(_PIECES) for _ in range(rnd.randint(0, 24))))
