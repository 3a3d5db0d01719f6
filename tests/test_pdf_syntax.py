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
