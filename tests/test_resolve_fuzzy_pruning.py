"""Shortcuts of steps 3 and 4 (issue 6, session 5) give the answers of the work they skip.

Each shortcut is compared with the unpruned computation it replaces, on edited, cut, replaced
and shuffled passages of corpus texts (the cases where the pruning has something to skip), and
its bound is checked to be a bound.
"""

from __future__ import annotations

import random

from conftest import require_shared
from tether.offsets import OffsetUnit
from tether.resolve import ResolveOptions
from tether.resolve import cascade as cascade_module
from tether.resolve.blocks import matching_blocks
from tether.resolve.cascade import Resolver  # pure: what the patches reach
from tether.resolve.chain import (
    MAX_REPEATS,
    PIECE_LEN,
    Chain,
    _Search,
    _view_end,
    falls_short,
    find_chains,
)
from tether.resolve.decide import chain_objection
from tether.resolve.options import CHAIN_MAX_GAP
from tether.selectors import Annotation, TextPosition, TextQuote
from tether.textmodel.model import DocumentText

DOCUMENTS = ("eth-yellowpaper/v4.pdfjs-pages.json", "co519-logic-partD/v1.pdfjs-pages.json")


def load(name: str) -> DocumentText:
    path = require_shared() / "corpus" / "versions" / name
    return DocumentText.from_pdfjs_pages_json(path.read_text(encoding="utf-8"))


def changed_passages(doc: DocumentText, count: int, seed: int) -> list[Annotation]:
    """Passages of ``doc`` edited a little, cut, mostly replaced (deleted) or shuffled, with
    their stored context and position."""
    text = doc.text
    rnd = random.Random(seed)
    out = []
    for k in range(count):
        a = rnd.randrange(40, len(text) - 900)
        b = a + rnd.randint(50, 700)
        exact = list(text[a:b])
        kind = k % 4
        if kind == 0:
            for _ in range(rnd.randint(1, len(exact) // 8)):
                exact[rnd.randrange(len(exact))] = rnd.choice("xyz .0")
        elif kind == 1:
            c = rnd.randrange(len(exact))
            del exact[c : c + rnd.randint(5, len(exact) // 2)]
        elif kind == 2:
            c = rnd.randrange(len(text) - len(exact))
            keep = rnd.randint(0, len(exact) // 2)
            exact = exact[:keep] + list(text[c : c + len(exact) - keep])
        else:
            words = "".join(exact).split(" ")
            rnd.shuffle(words)
            exact = list(" ".join(words))
        out.append(Annotation(
            id=str(k), quote=TextQuote("".join(exact) or "x", text[a - 32 : a],
                                       text[b : b + 32]),
            position=TextPosition(doc.to_utf16(a), doc.to_utf16(b), OffsetUnit.UTF16)))
    return out


def reference_chains_in(search: _Search, lo: int, hi: int) -> list[Chain]:
    """``_Search.chains_in`` as it was before the coarse groups: rare blocks of the window,
    cut at gaps of more than ``CHAIN_MAX_GAP``, each group measured."""
    quote = search.query.quote
    blocks = [b for b in matching_blocks(quote, search.index.view.text, lo, hi, PIECE_LEN)
              if b[1] - b[0] >= PIECE_LEN
              and len(search.index.find_exact(quote[b[0] : b[1]])) <= MAX_REPEATS]
    groups: list[list[tuple[int, int, int]]] = []
    for b in blocks:
        if groups and b[2] - _view_end(groups[-1][-1]) <= CHAIN_MAX_GAP:
            groups[-1].append(b)
        else:
            groups.append([b])
    return [search.measure(g)[0] for g in groups]


def test_pruned_chain_search_keeps_every_chain_step_4_reads(monkeypatch) -> None:
    """The pruned :func:`find_chains` returns the same best chain as the complete search, and
    the same whole list whenever the best chain does not fall short (the only case in which
    step 4 reads past the first chain); answers are unchanged."""
    seen = {"short": 0, "enough": 0, "pruned": 0}

    def both(index, query, opt):  # type: ignore[no-untyped-def]
        full = find_chains(index, query, opt, complete=True)
        pruned = find_chains(index, query, opt)
        assert bool(full) == bool(pruned)
        if full:
            assert pruned[0] == full[0]
            if falls_short(full[0], opt):
                seen["short"] += 1
                seen["pruned"] += len(pruned) < len(full)
            else:
                seen["enough"] += 1
                assert pruned == full
        return pruned

    for name, seed in zip(DOCUMENTS, (11, 12), strict=True):
        doc = load(name)
        annotations = changed_passages(doc, 120, seed)
        resolver = Resolver(doc)
        assert resolver.index.gram_keys is not None
        with monkeypatch.context() as patch:
            patch.setattr(cascade_module, "find_chains", both)
            pruned = [r.to_dict() for r in map(resolver.resolve, annotations)]
        with monkeypatch.context() as patch:
            patch.setattr(cascade_module, "find_chains", lambda i, q, o: find_chains(
                i, q, o, complete=True))
            full = [r.to_dict() for r in map(Resolver(doc).resolve, annotations)]
        assert pruned == full
    assert seen["short"] > 20 and seen["enough"] > 5 and seen["pruned"] > 5, seen


def test_coarse_groups_hold_the_chains_and_bound_what_they_keep(monkeypatch) -> None:
    """Every window's chains are those of the search before coarse groups, and each chain keeps
    no more stored characters than its coarse group's bound."""
    windows: list[tuple[_Search, int, int]] = []
    original = _Search.coarse_groups

    def record(self, lo, hi):  # type: ignore[no-untyped-def]
        windows.append((self, lo, hi))
        return original(self, lo, hi)

    doc = load(DOCUMENTS[0])
    monkeypatch.setattr(_Search, "coarse_groups", record)
    resolver = Resolver(doc)
    for annotation in changed_passages(doc, 80, 13):
        resolver.resolve(annotation)
    monkeypatch.setattr(_Search, "coarse_groups", original)
    assert len(windows) > 50
    bounded = 0
    for search, lo, hi in windows:
        assert search.chains_in(lo, hi) == reference_chains_in(search, lo, hi)
        for blocks, upper in search.coarse_groups(lo, hi):
            for group in search.rare_groups(blocks):
                assert set(group) <= set(blocks)
                chain, kept = search.measure(group)
                assert kept <= upper
                assert chain.coverage == kept / len(search.query.exact)
                bounded += 1
    assert bounded > 50


def test_falls_short_is_chain_objections_first_rule() -> None:
    """``falls_short`` is exactly the case where ``chain_objection`` refuses the best chain for
    its coverage (the refusal that names it), whatever the other chains."""
    rnd = random.Random(5)
    opt = ResolveOptions()
    for _ in range(3_000):
        chains = [Chain(s, s + 40, round(rnd.random(), 3), rnd.randint(1, 5),
                        rnd.random() < 0.5, rnd.random() < 0.5, rnd.randint(0, 20),
                        rnd.randint(0, 20), 100)
                  for s in sorted(rnd.sample(range(0, 2_000, 50), rnd.randint(1, 4)))]
        chains.sort(key=lambda c: -c.coverage)
        why = chain_objection(chains, [], opt)
        assert falls_short(chains[0], opt) == (why is not None and why.startswith("only "))



def test_document_codes_by_translation_and_memo_equal_the_numpy_lookup() -> None:
    """``GramKeys.code`` translates an ASCII text with ``bytes.translate`` and keeps its last
    non-ASCII answer: the same codes as the table lookup, characters the view never holds
    included (code 0); a slice of a needle's codes is the codes of that slice."""
    from tether.resolve.votes import GramKeys, code_points

    rnd = random.Random(7)
    for alphabet in ("ab", "abc d\x00\x7f", "wörld abc\x7f", "x", "Σx ≤ y\U0001d400"):
        keys = GramKeys.build("".join(rnd.choice(alphabet) for _ in range(400)), 8, 3)
        assert keys is not None
        for _ in range(300):
            text = "".join(rnd.choice(alphabet + "zQ\x00\x7f\x80é∑")
                           for _ in range(rnd.randint(0, 40)))
            want = keys.codes.take(code_points(text), mode="clip").tobytes()
            assert keys.code(text) == want
            assert keys.code(text) == want  # from the memo when not ASCII
            a = rnd.randint(0, len(text))
            b = rnd.randint(a, len(text))
            assert keys.code(text)[a:b] == keys.code(text[a:b])


def test_pruning_on_random_documents_with_repeated_pieces() -> None:
    """The same checks on random texts built from a few recurring words (so blocks are often
    common and chains split), with quotes cut, edited and spliced from several places: the
    pruned search keeps the best chain (and every chain when it does not fall short), and no
    chain keeps more than its coarse group's bound."""
    from tether.resolve.evidence import Query
    from tether.resolve.index import DocumentIndex
    from tether.resolve.normalize import key

    rnd = random.Random(21)
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota",
             "kappa", "lambda", "omicron", "sigma", "tau", "upsilon", "phi", "psi", "omega"]
    opt = ResolveOptions()
    checked = pruned_some = 0
    for _ in range(25):
        text = " ".join(rnd.choice(words) + (str(rnd.randint(0, 99)) if rnd.random() < 0.3
                                             else "") for _ in range(3_000))
        doc = DocumentText.from_page_texts([text], model="test")
        index = DocumentIndex(doc)
        for _ in range(12):
            parts = []
            for _ in range(rnd.randint(1, 3)):
                a = rnd.randrange(len(text) - 300)
                parts.append(text[a : a + rnd.randint(20, 200)])
            exact = list(" ".join(parts))
            for _ in range(rnd.randint(0, len(exact) // 6)):
                exact[rnd.randrange(len(exact))] = rnd.choice("xq ")
            exact_text = "".join(exact).strip() or "x"
            at = rnd.randrange(len(text) - 40)
            query = Query(exact_text, key(exact_text), key(text[at : at + 32]),
                          key(text[at + 32 : at + 64]), None)
            full = find_chains(index, query, opt, complete=True)
            pruned = find_chains(index, query, opt)
            assert bool(full) == bool(pruned)
            if not full:
                continue
            checked += 1
            assert pruned[0] == full[0]
            if falls_short(full[0], opt):
                pruned_some += len(pruned) < len(full)
            else:
                assert pruned == full
            search = _Search(index, query, opt.context_agree, opt.chain_max_gap)
            for lo in range(0, len(index.view.text), 900):
                hi = min(len(index.view.text), lo + 1_400)
                for blocks, upper in search.coarse_groups(lo, hi):
                    for group in search.rare_groups(blocks):
                        assert search.measure(group)[1] <= upper
    assert checked > 100 and pruned_some > 10, (checked, pruned_some)
