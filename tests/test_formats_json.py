"""Hypothesis API JSON and W3C JSON-LD: reading shapes, no-op identity, value-only updates.

Oracle for updates: the same object with the new selector values, dumped with the same
``json.dumps`` style (indent, separators, ensure_ascii) as the original, must equal tether's
minimal edit byte for byte.
"""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tether.formats import (
    FormatError,
    HypothesisFile,
    SelectorUpdate,
    W3CFile,
    parse_annotations,
    parse_hypothesis,
    parse_w3c,
)
from tether.offsets import OffsetUnit
from tether.selectors import TextPosition, TextQuote

_CHARS = st.one_of(st.sampled_from(list('"\\/\n\t\x00\x1d\x7f\u2028é𝑥🙂文 ')),
                   st.characters(codec="utf-8"))
TEXT = st.text(_CHARS, max_size=30)
EXACT = st.text(_CHARS, min_size=1, max_size=40)
OFFSET = st.integers(0, 10**6)
STYLES = st.sampled_from([
    {"indent": None, "separators": (",", ":"), "ensure_ascii": False},  # JSON.stringify
    {"indent": None, "separators": None, "ensure_ascii": True},  # Python default
    {"indent": 2, "separators": None, "ensure_ascii": False},
    {"indent": 4, "separators": (",", ": "), "ensure_ascii": True},
    {"indent": "\t", "separators": None, "ensure_ascii": False},
])


def _hyp_annotation(i: int, exact: str, prefix: str, suffix: str, start: int, end: int) -> dict:
    return {
        "id": f"ann{i}", "created": "2024-01-01T00:00:00Z", "user": "acct:me@hypothes.is",
        "uri": "urn:x-pdf:fp123", "text": "comment \"é\"", "tags": ["a", "b"],
        "document": {"title": ["Café paper"]},
        "target": [{"source": "urn:x-pdf:fp123", "selector": [
            {"type": "RangeSelector", "startContainer": "/div[1]/div[2]", "startOffset": 5,
             "endContainer": "/div[1]/div[3]", "endOffset": 7},
            {"type": "TextPositionSelector", "start": start, "end": end},
            {"type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": suffix},
            {"type": "PageSelector", "index": 2, "label": "3"},
        ]}],
    }


def _set_hyp(ann: dict, u: SelectorUpdate) -> None:
    for sel in ann["target"][0]["selector"]:
        if sel["type"] == "TextPositionSelector":
            sel.update(start=u.start, end=u.end)
        elif sel["type"] == "TextQuoteSelector":
            sel.update(exact=u.exact, prefix=u.prefix, suffix=u.suffix)


def _w3c_annotation(i: int, exact: str, prefix: str, suffix: str, start: int, end: int,
                    as_list: bool) -> dict:
    selectors = [
        {"type": "FragmentSelector", "conformsTo": "http://tools.ietf.org/rfc/rfc3778",
         "value": "page=3", "refinedBy": {"type": "TextQuoteSelector", "exact": "inner"}},
        {"type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": suffix},
        {"type": "TextPositionSelector", "start": start, "end": end},
        {"type": "RangeSelector", "startSelector": {"type": "XPathSelector", "value": "/p"},
         "endSelector": {"type": "XPathSelector", "value": "/p[2]"}},
    ]
    target = {"source": "https://example.org/paper.pdf", "selector": selectors}
    return {"@context": "http://www.w3.org/ns/anno.jsonld", "id": f"urn:uuid:w{i}",
            "type": "Annotation",
            "body": [{"type": "TextualBody", "value": "Ça va", "purpose": "commenting"},
                     {"type": "TextualBody", "value": "tag1", "purpose": "tagging"}],
            "target": [target] if as_list else target}


def _set_w3c(ann: dict, u: SelectorUpdate) -> None:
    target = ann["target"][0] if isinstance(ann["target"], list) else ann["target"]
    for sel in target["selector"]:
        if sel["type"] == "TextPositionSelector":
            sel.update(start=u.start, end=u.end)
        elif sel["type"] == "TextQuoteSelector":
            sel.update(exact=u.exact, prefix=u.prefix, suffix=u.suffix)


@st.composite
def selector_values(draw: st.DrawFn) -> tuple[str, str, str, int, int]:
    start = draw(OFFSET)
    return draw(EXACT), draw(TEXT), draw(TEXT), start, start + draw(st.integers(0, 300))


@st.composite
def updates_for(draw: st.DrawFn, ids: list[str]) -> dict[str, SelectorUpdate]:
    out = {}
    for ann_id in ids:
        if draw(st.booleans()):
            exact, prefix, suffix, start, end = draw(selector_values())
            out[ann_id] = SelectorUpdate(start, end, exact, prefix, suffix)
    return out


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(selector_values(), min_size=1, max_size=4), STYLES,
       st.sampled_from(["single", "list", "rows", "export"]), st.data())
def test_hypothesis_round_trip_and_updates(values, style, shape, data) -> None:
    """Every shape, "export" the client's own export file (was refused: "not a Hypothesis
    annotation or search response")."""
    anns = [_hyp_annotation(i, *v) for i, v in enumerate(values)]
    if shape == "single":
        anns = anns[:1]
    root = anns[0] if shape == "single" else anns if shape == "list" else \
        {"total": len(anns), "rows": anns} if shape == "rows" else \
        {"export_date": "2024-05-01T10:00:00.000Z", "export_userid": "acct:me@hypothes.is",
         "client_version": "1.1418.0", "annotations": anns}
    text = json.dumps(root, **style)
    doc = parse_annotations(text)
    assert isinstance(doc, HypothesisFile) and doc.unit == OffsetUnit.UTF16
    assert doc.render({}) == text
    for ann, v in zip(doc.annotations, values, strict=False):
        assert ann.quote == TextQuote(v[0], v[1], v[2]) and not ann.problems
        assert ann.position == TextPosition(v[3], v[4], OffsetUnit.UTF16)
        assert ann.fingerprint == "fp123" and ann.comment == 'comment "é"'
        assert ann.tags == ("a", "b")

    updates = data.draw(updates_for([a["id"] for a in anns]))
    result = doc.apply_updates(updates)
    assert not result.skipped
    expected_root = copy.deepcopy(root)
    expected_anns = [expected_root] if shape == "single" else \
        expected_root if shape == "list" else expected_root["rows" if shape == "rows"
                                                            else "annotations"]
    for a in expected_anns:
        if a["id"] in updates:
            _set_hyp(a, updates[a["id"]])
    assert result.text == json.dumps(expected_root, **style)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(selector_values(), min_size=1, max_size=4), STYLES,
       st.sampled_from(["single", "list", "page", "collection"]), st.booleans(), st.data())
def test_w3c_round_trip_and_updates(values, style, shape, as_list, data) -> None:
    anns = [_w3c_annotation(i, *v, as_list=as_list) for i, v in enumerate(values)]
    if shape == "single":
        anns = anns[:1]
    page = {"type": "AnnotationPage", "items": anns}
    root = (anns[0] if shape == "single" else anns if shape == "list" else page
            if shape == "page" else
            {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationCollection",
             "total": len(anns), "first": page})
    text = json.dumps(root, **style)
    doc = parse_annotations(text, path="x.jsonld")
    assert isinstance(doc, W3CFile) and doc.unit == OffsetUnit.CODE_POINT
    assert doc.render({}) == text
    for ann, v in zip(doc.annotations, values, strict=False):
        assert ann.quote == TextQuote(v[0], v[1], v[2]) and not ann.problems
        assert ann.position == TextPosition(v[3], v[4], OffsetUnit.CODE_POINT)
        assert (ann.comment, ann.tags) == ("Ça va", ("tag1",))
        assert ann.source == "https://example.org/paper.pdf"

    updates = data.draw(updates_for([a["id"] for a in anns]))
    result = doc.apply_updates(updates)
    assert not result.skipped
    expected_root = copy.deepcopy(root)
    expected_anns = [expected_root] if shape == "single" else expected_root \
        if shape == "list" else expected_root["items"] if shape == "page" \
        else expected_root["first"]["items"]
    for a in expected_anns:
        if a["id"] in updates:
            _set_w3c(a, updates[a["id"]])
    assert result.text == json.dumps(expected_root, **style)
    # the ignored selectors really were left alone
    assert '"inner"' in result.text and "XPathSelector" in result.text


def test_unit_override_and_w3c_single_selector_object() -> None:
    text = json.dumps({"id": "a", "type": "Annotation", "target": {
        "source": "urn:x-pdf:ff", "selector": {"type": "TextQuoteSelector", "exact": "q"}}})
    doc = parse_w3c(text, unit=OffsetUnit.UTF16)
    (a,) = doc.annotations
    assert doc.unit == OffsetUnit.UTF16 and a.quote == TextQuote("q") and a.fingerprint == "ff"
    result = doc.apply_updates({"a": SelectorUpdate(1, 2, "r", "p", "")})
    assert result.notes["a"].startswith("no TextPositionSelector")
    assert '"selector": {"type": "TextQuoteSelector", "exact": "r", "prefix": "p"}' in result.text


def test_missing_keys_follow_the_object_layout() -> None:
    root = [{"id": "a", "target": [{"selector": [{"type": "TextQuoteSelector",
                                                  "exact": "q"}]}]}]
    text = json.dumps(root, indent=2)
    new = parse_hypothesis(text).render({"a": SelectorUpdate(0, 1, "q", "pre", "suf")})
    root[0]["target"][0]["selector"][0].update(prefix="pre", suffix="suf")
    assert new == json.dumps(root, indent=2)


def test_bad_items_do_not_hide_the_others() -> None:
    good = _hyp_annotation(0, "x", "", "", 1, 2)
    bad_pos = _hyp_annotation(1, "y", "", "", 1, 2)
    bad_pos["target"][0]["selector"][1]["start"] = "one"
    no_quote = _hyp_annotation(2, "z", "", "", 1, 2)
    del no_quote["target"][0]["selector"][2]
    page_note = {"id": "pn", "text": "page", "target": [{"source": "urn:x-pdf:fp123"}]}
    doc = parse_hypothesis(json.dumps({"rows": [good, 42, bad_pos, no_quote, page_note],
                                       "total": 5}, indent=1), path="h.json")
    ids = [a.id for a in doc.annotations]
    assert ids == ["ann0", "#1", "ann1", "ann2", "pn"]
    probs = {a.id: a.problems for a in doc.annotations}
    assert probs["ann0"] == [] and probs["pn"] == []
    assert "not an annotation" in probs["#1"][0] and probs["#1"][0].startswith("h.json:")
    assert "must be integers" in probs["ann1"][0]
    assert "without a TextQuoteSelector" in probs["ann2"][0]
    result = doc.apply_updates({i: SelectorUpdate(0, 1, "w") for i in ids})
    assert result.applied == ["ann0"] and set(result.skipped) == {"#1", "ann1", "ann2", "pn"}


def test_duplicate_ids_and_missing_ids() -> None:
    a = _hyp_annotation(0, "x", "", "", 1, 2)
    b = copy.deepcopy(a)
    c = _hyp_annotation(2, "z", "", "", 1, 2)
    del c["id"]
    doc = parse_hypothesis(json.dumps([a, b, c]))
    assert "duplicate annotation id" in doc.annotations[1].problems[0]
    assert doc.annotations[2].id == "#2" and doc.annotations[2].extra["warnings"]


@pytest.mark.parametrize(("text", "message"), [
    ('{"rows": [', "not valid JSON"),
    ("[1, 2,]", "1:7: not valid JSON"),
    ("42", "holds a number"),
    ('{"hello": "world"}', "not a Hypothesis annotation"),
    ('{"export_date": "x", "annotations": {"a": 1}}', "'annotations' is an object"),
    ('{"rows": {"a": 1}}', "'rows' is an object"),
    ('{"type": "AnnotationCollection", "first": "https://x/page1"}', "is a link"),
    ('{"type": "AnnotationPage", "items": [], "next": "https://x/2"}', "is a link"),
    ('{"@context": "http://www.w3.org/ns/anno.jsonld", "type": "Thing"}', "neither"),
])
def test_wholly_unreadable_json_raises_format_error(text: str, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        parse_annotations(text, path="in.json")
