"""A verbatim context side elsewhere (``tether.resolve.verbatim_side``): a short quote accepted
where neither stored context side agrees verbatim is refused when another verbatim copy keeps a
whole side verbatim. Hand-made texts for each condition, and the fresh Suite B case that showed
it (session 12)."""

from __future__ import annotations

from conftest import bench_module, require_shared
from tether.offsets import OffsetUnit
from tether.resolve import Method, ResolveOptions, Resolver, Status
from tether.resolve.describe import describe_context
from tether.selectors import Annotation, TextPosition, TextQuote
from tether.textmodel.model import DocumentText

OFF = ResolveOptions(verbatim_side=False)
#: Two parallel functions of a listing; "malloc(sizeof" is annotated in the queue's.
STACK = ("void push(stack_pointer *top, element item) {stack_pointer temp =(stack_pointer) "
         "malloc(sizeof (stack));if (IS_FULL(temp)) {fprintf(stderr, \"The memory is full\");"
         "exit(1);}temp->item = item;temp->link = *top;*top = temp;}")
QUEUE = ("void addq(queue_pointer *front, element item) {queue_pointer temp =(queue_pointer) "
         "malloc(sizeof (queue));if (IS_FULL(temp)) {fprintf(stderr, \"The memory is full\");"
         "exit(1);}temp->item = item;temp->link = NULL;}")
PROSE = "".join(f"Paragraph {n} explains the listing in words of its own, number {n * 7}. "
                for n in range(8))


def _doc(*parts: str) -> DocumentText:
    return DocumentText.from_page_texts(["".join(parts)], model="pdfjs-2.11")


def _annotate(old: DocumentText, quote: str, after: str) -> Annotation:
    start = old.text.index(quote, old.text.index(after))
    end = start + len(quote)
    prefix, suffix = describe_context(old.text, start, end)
    return Annotation("a", TextQuote(quote, prefix, suffix),
                      TextPosition(old.to_utf16(start), old.to_utf16(end)))


def _case(queue_after: str, quote: str = "malloc(sizeof"):
    old = _doc(PROSE, STACK, PROSE, QUEUE, PROSE)
    new = _doc(PROSE, STACK, PROSE.replace("Paragraph 3", "Paragraph three"), queue_after, PROSE)
    passage = new.text.index(quote, new.text.index("void addq"))
    copy = new.text.index(quote, new.text.index("void push"))
    return new, _annotate(old, quote, "void addq"), passage, copy


#: The queue's check rewritten right after the quote: its suffix no longer agrees, its prefix
#: still does, verbatim; the stack's line agrees with both sides but for "stack".
EDITED = QUEUE.replace("if (IS_FULL(temp))", "if after")


def test_the_parallel_line_is_refused_for_the_one_keeping_a_side_verbatim() -> None:
    new, ann, passage, copy = _case(EDITED)
    assert Resolver(new, OFF).resolve(ann).start == copy  # the wrong anchor
    res = Resolver(new).resolve(ann)
    assert res.status is Status.AMBIGUOUS
    assert {c.start for c in res.rivals} == {copy, passage}


def test_an_answer_with_a_side_verbatim_stands() -> None:
    """A second queue function opens its line the same way ("queue_pointer temp
    =(queue_pointer) ", a whole prefix verbatim): the annotated line, unedited, keeps both of its
    sides and stands."""
    twin = QUEUE.replace("void addq(", "void addq_front(").replace("(IS_FULL(temp))",
                                                                "(temp == NULL)")
    old = _doc(PROSE, STACK, PROSE, QUEUE, PROSE, twin, PROSE)
    new = _doc(PROSE, STACK, PROSE.replace("Paragraph 2", "Paragraph two"), QUEUE, PROSE, twin,
               PROSE)
    ann = _annotate(old, "malloc(sizeof", "void addq(")
    res = Resolver(new).resolve(ann)
    assert res.status.is_anchored and res.method is not Method.POSITION  # moved: searched
    assert res.start == new.text.index("malloc(sizeof", new.text.index("void addq("))


#: A line both functions share, 49 characters.
SHARED_LINE = '{fprintf(stderr, "The memory is full");exit(1);}'


def test_a_long_quote_is_left_to_the_other_rules() -> None:
    """The shared line, annotated in the queue's function whose check before it was rewritten:
    the stack's copy wins on context, a long quote found verbatim; this rule is for short
    quotes only (a long verbatim quote is strong evidence on its own)."""
    old = _doc(PROSE, STACK, PROSE, QUEUE, PROSE)
    new = _doc(PROSE, STACK, PROSE, EDITED, PROSE)
    ann = _annotate(old, SHARED_LINE, "void addq")
    assert len(SHARED_LINE) >= ResolveOptions().distinctive_quote
    off = Resolver(new, OFF).resolve(ann)
    assert off.status.is_anchored and off.start == new.text.index(SHARED_LINE)  # the stack's
    assert Resolver(new).resolve(ann) == off


def test_fresh_suite_b_many_occurrences_listing() -> None:
    """Suite B drawn with seed 35, many-occurrences in the linked-list notes: "malloc(sizeof" in
    the queue's ``addq`` whose "IS_FULL(temp))" became "after"; the stack's ``push`` line
    ("stack" for "queue" on both sides) was anchored."""
    require_shared()
    docs, cases = bench_module("suite_b").suite_b(require_shared(), kinds=["many-occurrences"],
                                                  names=["ds-list"], seed=35)
    case = next(c for c in cases if c.id == "B:many-occurrences/ds-list/2")
    doc = docs[case.doc]
    before = Resolver(doc, OFF).resolve(case.annotation)
    assert before.status.is_anchored and before.span(OffsetUnit.UTF16) != case.truth
    res = Resolver(doc).resolve(case.annotation)
    assert res.status is Status.AMBIGUOUS
    assert case.truth in {c.span(OffsetUnit.UTF16) for c in res.rivals}



def _para(n: int) -> str:
    return f"Paragraph {n} restates the setting in words of its own, number {n * 7}. "


def test_its_refusal_is_not_placed_on_the_parallel_row() -> None:
    """A third review's counterexample (session 12): a row ("For opcode PUSH1 here c is defined
    as above. …") moved to another section and touched on both sides, its parallel row (the same
    "is defined as above. The bytes are right-aligned …") left where it was. This rule refuses
    the moved row; the landmarks, the bracket having shrunk by the row, would have placed the
    refusal on the parallel row. Refusals between parallel copies are not placed."""
    row_a = "For opcode PUSH1 here c is defined as above. The bytes are right-aligned in the word. "
    row_b = ("The second opcode pushes two bytes, so here the word is defined as above. The bytes "
             "are right-aligned in the word. ")
    moved = row_a.replace("For opcode PUSH1", "For the opcode PUSH8").replace(
        "The bytes are right", "Its bytes are left")
    old_body, new_body = [_para(n) for n in range(40)], [_para(n) for n in range(40)]
    old_body[12:12] = [row_a, row_b]
    new_body[12:12] = [row_b]
    new_body.insert(33, moved)
    old, new = _doc(*old_body), _doc(*new_body)
    note = [_annotate(old, "defined", row_a)]
    for n in range(0, 40, 2):
        at = old.text.index(f"Paragraph {n} restates")
        prefix, suffix = describe_context(old.text, at, at + 24)
        note.append(Annotation(f"p{n}", TextQuote(old.text[at:at + 24], prefix, suffix),
                               TextPosition(old.to_utf16(at), old.to_utf16(at + 24))))
    res = Resolver(new).resolve_all(note)[0]
    row_b_copy = new.text.index("defined", new.text.index(row_b))
    assert res.start != row_b_copy
    assert res.status is Status.AMBIGUOUS
