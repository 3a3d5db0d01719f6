"""The JSON contract of a resolution, units, context cutting, and the Hypothesis position rule."""

from __future__ import annotations

import json

from tether.offsets import OffsetUnit
from tether.resolve import Resolver, Status, describe_context, hypothesis_anchors_by_position
from tether.selectors import Annotation, TextPosition, TextQuote
from tether.textmodel.model import DocumentText

PAGES = ["First page about 𝑥 and its neighbours. ", "Second page starts here and goes on. "]


def doc() -> DocumentText:
    return DocumentText.from_page_texts(PAGES, model="test")


def test_to_dict_contract_for_an_anchored_annotation() -> None:
    d = doc()
    start = d.text.index("Second page")
    u16 = d.to_utf16(start)
    quote = TextQuote("Second page", "its neighbours. ", " starts")
    ann = Annotation("blk1", quote, TextPosition(u16, u16 + 11))
    out = Resolver(d).resolve(ann).to_dict()
    assert list(out) == ["id", "status", "method", "score", "stored", "resolved", "rivals",
                         "reason"]
    assert out["id"] == "blk1" and out["status"] == "anchored" and out["method"] == "position"
    assert out["stored"] == {"start": u16, "end": u16 + 11, "exact": "Second page",
                             "prefix": "its neighbours. ", "suffix": " starts"}
    resolved = out["resolved"]
    assert (resolved["start"], resolved["end"], resolved["page"]) == (u16, u16 + 11, 1)
    assert resolved["exact"] == "Second page"
    # Context is cut from the whole document text, so it crosses the page boundary.
    assert resolved["prefix"] == describe_context(d.text, start, start + 11)[0]
    assert resolved["prefix"].endswith("its neighbours. ") and len(resolved["prefix"]) == 31
    assert out["rivals"] == [] and out["reason"] is None
    json.dumps(out)  # plain JSON types only


def test_to_dict_for_orphan_and_code_point_positions() -> None:
    d = doc()
    orphan = Annotation("o", TextQuote("nowhere to be found in this text"), TextPosition(3, 9))
    out = Resolver(d).resolve(orphan).to_dict()
    assert out["status"] == "orphaned" and out["resolved"] is None and out["method"] is None
    assert out["reason"]
    start = d.text.index("neighbours")
    cp = Annotation("c", TextQuote("neighbours"),
                    TextPosition(start + 5, start + 15, OffsetUnit.CODE_POINT))
    res = Resolver(d).resolve(cp)
    assert res.status == Status.DRIFTED
    assert res.to_dict()["resolved"]["start"] == start  # code points, as stored
    assert res.span(OffsetUnit.UTF16) == (start + 1, start + 11)  # one astral char before


def test_describe_context_counts_utf16_units_without_splitting_pairs() -> None:
    text = "𝑥" * 40 + "QUOTE" + "𝑦" * 40
    prefix, suffix = describe_context(text, 40, 45)
    assert prefix == "𝑥" * 16 and suffix == "𝑦" * 16  # 32 UTF-16 units each
    assert describe_context("ab" + "QUOTE", 2, 7) == ("ab", "")


def test_hypothesis_position_rule_and_its_page_start_quirk() -> None:
    d = doc()
    second = d.pages[1]
    # Inside a page: Hypothesis anchors by position.
    s = d.to_utf16(d.text.index("starts here"))
    assert hypothesis_anchors_by_position(d, "starts here", s, s + 11)
    assert not hypothesis_anchors_by_position(d, "starts herE", s, s + 11)
    # Exactly at a page start: findPageByOffset picks the previous page, so it fails ...
    assert not hypothesis_anchors_by_position(d, "Second", second.start_utf16,
                                              second.start_utf16 + 6)
    # ... whereas tether's own step 1 anchors it.
    ann = Annotation("p", TextQuote("Second"),
                     TextPosition(second.start_utf16, second.start_utf16 + 6))
    assert Resolver(d).resolve(ann).status == Status.ANCHORED
    # UTF-16 offsets: the astral 𝑥 counts two units.
    x = d.text.index("𝑥")
    assert hypothesis_anchors_by_position(d, "𝑥 and", x, x + 6)
    assert not hypothesis_anchors_by_position(d, "𝑥 and", x, x + 5)
    # A span running past its page is clipped by JavaScript's substring and fails.
    end = second.start_utf16
    assert not hypothesis_anchors_by_position(d, "bours. Second", end - 6, end + 6)


def test_resolution_init_takes_every_field_in_order_with_its_default() -> None:
    """``Resolution.__init__`` is written out for speed: it must stay what the dataclass would
    generate (same parameters in field order, same defaults, a fresh ``extra`` each time)."""
    import dataclasses
    import inspect

    from tether.resolve.result import Resolution

    params = list(inspect.signature(Resolution.__init__).parameters.values())[1:]
    fields = dataclasses.fields(Resolution)
    assert [p.name for p in params] == [f.name for f in fields]
    for p, f in zip(params, fields, strict=True):
        if f.default is not dataclasses.MISSING:
            assert p.default == f.default, f.name
        elif f.default_factory is dataclasses.MISSING:
            assert p.default is inspect.Parameter.empty, f.name
    a, b = Resolution(None, Status.ORPHANED), Resolution(None, Status.ORPHANED)  # type: ignore[arg-type]
    assert a == b and a.extra == {} and a.extra is not b.extra
    assert dataclasses.replace(a, reason="r").reason == "r"
    try:
        a.reason = "changed"  # type: ignore[misc]
    except dataclasses.FrozenInstanceError:
        pass
    else:
        raise AssertionError("Resolution must stay frozen")
