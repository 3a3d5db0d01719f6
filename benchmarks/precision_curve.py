"""Peers at tether's precision (issue 5, point 4): what each peer finds, class by class, when its
own confidence threshold is set so that it makes no more wrong anchors than tether.

Each peer answers a case with its usual span when its confidence (:func:`peer_scores.confidence`,
from the committed ``fixtures/accuracy/<peer>.scores.json``) is at least a threshold ``t``, and
refuses otherwise. Sweeping ``t`` over every confidence the peer gave traces its recall-vs-wrong
curve; for a budget ``W`` of wrong anchors (Suites A + B together) the peer gets the lowest ``t``
(the most answers) at which it makes at most ``W`` wrong. Every case is scored with
:func:`cases.verdict`, exactly as ``accuracy.py`` scores it, on the truth as the fixtures hold it
now; tether runs live (``Resolver.resolve_all`` per document, as in ``accuracy.py``).

The threshold is chosen *on these very cases*, knowing the truth: a peer tuned so cannot do
better on them, so its figures at a budget are an upper bound of what that peer would do with a
threshold fixed in advance.

Peers: ``hypothesis`` (matchQuote's score; a position-check answer counts 1.0),
``hypothesis-quote`` (the same answers ranked by the quote part alone, 1 − errors / quote length),
``reanchor`` (its confidence; below its default 0.5 it finds more than it does by default), and
``dmp`` (1 − the worst bitap score of the quote's slices).

Run: ``python benchmarks/precision_curve.py [--budgets tether,10,25] [--png PATH]`` (needs
``../shared``; ~25 s: the suites are rebuilt and tether runs; ``tether`` in the budgets stands
for tether's own wrong count in this run, the equal-precision comparison).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import peer_scores  # noqa: E402
from cases import Case, verdict  # noqa: E402
from peers import Span  # noqa: E402
from suite_b import KINDS  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PNG = Path(__file__).resolve().parent / "precision_curve.png"
PEERS = ("hypothesis", "hypothesis-quote", "reanchor", "dmp")
DEFAULT_THRESHOLD = {"hypothesis": float("-inf"), "hypothesis-quote": float("-inf"),
                     "reanchor": 0.5, "dmp": float("-inf")}
CATEGORIES = ("intact", "edited", "moved", "deleted")
DELETED = ("deleted", "delete-span")


def classes(case: Case) -> list[str]:
    """The rows a case counts in: its Suite A category, or its Suite B kind and category."""
    if case.suite == "A":
        return [f"A/{case.category}"]
    return [f"B/{case.group}", f"B/all {case.category}"]


def class_rows(cases: Sequence[Case]) -> list[str]:
    present = {r for c in cases for r in classes(c)}
    rows = ([f"A/{c}" for c in CATEGORIES] + [f"B/{k}" for k in KINDS]
            + [f"B/all {c}" for c in CATEGORIES])
    return [r for r in rows if r in present]


def is_deleted_row(row: str) -> bool:
    return row.split("/", 1)[1].removeprefix("all ") in DELETED


def changed(case: Case) -> bool:
    return case.category in ("edited", "moved")


# ----------------------------------------------------------------------------- confidence
def peer_confidences(name: str, scores: dict[str, dict], cases: Sequence[Case]
                     ) -> dict[str, tuple[Span, float] | None]:
    """Case key → (span, confidence), or None when the peer finds nothing at any threshold."""
    base = "hypothesis" if name.startswith("hypothesis") else name
    out: dict[str, tuple[Span, float] | None] = {}
    for c in cases:
        e = scores[base][c.key]
        conf = peer_scores.confidence(base, e)
        span = peer_scores.span_of(e)
        if conf is None or span is None:
            out[c.key] = None
            continue
        if name == "hypothesis-quote" and e["method"] == "quote":
            conf = 1.0 - e["errors"] / max(1, e["quoteLength"])
        out[c.key] = (span, conf)
    return out


@dataclass
class Point:
    """A peer's figures at one threshold: answers given when confidence ≥ ``threshold``."""

    threshold: float
    wrong: int
    answered: int
    changed_found: int  # edited + moved, both suites
    found: dict[str, int]  # per class row (deleted rows: refused)
    wrong_by: dict[str, int]


def at_threshold(cases: Sequence[Case], conf: dict[str, tuple[Span, float] | None],
                 t: float) -> Point:
    """Every case scored by :func:`cases.verdict` with the peer's answer kept when its
    confidence is ≥ ``t``."""
    found: dict[str, int] = {}
    wrong_by: dict[str, int] = {}
    wrong = answered = changed_found = 0
    for c in cases:
        a = conf[c.key]
        answer = a[0] if a is not None and a[1] >= t else None
        v = verdict(c, answer)
        answered += answer is not None
        ok = v in ("exact", "found")
        bad = v in ("wrong", "piece")
        wrong += bad
        changed_found += ok and changed(c)
        for r in classes(c):
            good = v == "refused" if is_deleted_row(r) else ok
            found[r] = found.get(r, 0) + good
            wrong_by[r] = wrong_by.get(r, 0) + bad
    return Point(t, wrong, answered, changed_found, found, wrong_by)


def curve(cases: Sequence[Case], conf: dict[str, tuple[Span, float] | None],
          counts: Callable[[Case], bool] = changed) -> list[tuple[float, int, int]]:
    """(threshold, wrong, found among the cases ``counts`` picks: edited + moved) at every
    distinct confidence, strictest first (threshold +∞: nothing answered). Both counts only
    grow as the threshold falls; wrong is of all cases."""
    by_key = {c.key: c for c in cases}
    rated = sorted(((a[1], verdict(by_key[k], a[0]), counts(by_key[k]))
                    for k, a in conf.items() if a is not None and k in by_key), reverse=True)
    out = [(float("inf"), 0, 0)]
    wrong = found = 0
    for i, (t, v, ch) in enumerate(rated):
        wrong += v in ("wrong", "piece")
        found += v in ("exact", "found") and ch
        if i + 1 == len(rated) or rated[i + 1][0] != t:
            out.append((t, wrong, found))
    return out


def threshold_for(points: list[tuple[float, int, int]], budget: int) -> float:
    """The lowest threshold (the most answers) at which the peer makes at most ``budget``
    wrong; any threshold counts, below the peer's own default too."""
    return min((t for t, wrong, _ in points if wrong <= budget), default=float("inf"))


# ----------------------------------------------------------------------------- tether
def tether_point(cases: Sequence[Case], docs: dict) -> Point:
    import accuracy

    answers, _ = accuracy.run_tether(docs, cases)
    conf = {k: (None if s is None else (s, 1.0)) for k, s in answers.items()}
    return at_threshold(cases, conf, 1.0)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- report
def _t(t: float) -> str:
    return "none" if t == float("-inf") else ("refuse all" if t == float("inf") else f"{t:.4f}")


def table(rows: list[str], n: dict[str, int], total: int, tether: Point,
          cols: list[tuple[str, Point]]) -> str:
    head = ("| class | n | tether | " + " | ".join(h for h, _ in cols) + " |\n|---|---|---|"
            + "---|" * len(cols))
    lines = [head]
    for r in rows:
        mine = tether.found[r]
        cells = []
        for _, p in cols:
            v = p.found[r]
            cells.append(f"**{v}**" if v > mine else str(v))
        label = r.replace("/", " ", 1) + (" (refused)" if is_deleted_row(r) else "")
        lines.append(f"| {label} | {n[r]} | {mine} | " + " | ".join(cells) + " |")
    lines.append("| *threshold* | | — | " + " | ".join(_t(p.threshold) for _, p in cols) + " |")
    lines.append(f"| *wrong, A + B* | {total} | {tether.wrong} | "
                 + " | ".join(str(p.wrong) for _, p in cols) + " |")
    lines.append(f"| *edited + moved found, A + B* | | {tether.changed_found} | "
                 + " | ".join(str(p.changed_found) for _, p in cols) + " |")
    return "\n".join(lines)


def combined_table(rows: list[str], n: dict[str, int], total: int, tether: Point,
                   result: dict, budgets: Sequence[int]) -> str:
    """One table: per class, tether, then each peer's figure at every budget (``a · b · c``)."""
    def cells(get: object) -> str:
        return " | ".join(" · ".join(get(result[m]["budgets"][b]) for b in budgets)  # type: ignore[operator]
                          for m in PEERS)

    lines = ["| class | n | tether | " + " | ".join(PEERS) + " |",
             "|---|---|---|" + "---|" * len(PEERS)]
    for r in rows:
        mine = tether.found[r]
        label = r.replace("/", " ", 1) + (" (refused)" if is_deleted_row(r) else "")
        lines.append(f"| {label} | {n[r]} | {mine} | "
                     + cells(lambda p, r=r, mine=mine: f"**{p.found[r]}**"
                             if p.found[r] > mine else str(p.found[r])) + " |")
    lines.append("| *threshold* | | — | " + cells(lambda p: _t(p.threshold)) + " |")
    lines.append(f"| *wrong, A + B* | {total} | "
                 f"{tether.wrong} | " + cells(lambda p: str(p.wrong)) + " |")
    lines.append(f"| *edited + moved found, A + B* | | {tether.changed_found} | "
                 + cells(lambda p: str(p.changed_found)) + " |")
    return "\n".join(lines)


def top_wrong(cases: Sequence[Case], conf: dict[str, tuple[Span, float] | None], k: int = 3
              ) -> list[str]:
    """The ``k`` wrong answers the peer is surest of (they set its 0-wrong threshold)."""
    bad = [(a[1], c.id, c.category) for c in cases
           if (a := conf[c.key]) is not None and verdict(c, a[0]) in ("wrong", "piece")]
    return [f"{t:.4f} {i} ({cat})" for t, i, cat in sorted(bad, reverse=True)[:k]]


def overtakes(cases: Sequence[Case], conf: dict[str, tuple[Span, float] | None],
              tether: Point, rows: list[str]) -> dict[str, tuple[int, float]]:
    """Class row → (wrong anchors of all cases, threshold) at the strictest threshold where the
    peer finds more than tether in that row (rows it never passes are left out; deletion rows
    never: tether refuses them all)."""
    by_key = {c.key: c for c in cases}
    rated = sorted(((a[1], k) for k, a in conf.items() if a is not None and k in by_key),
                   reverse=True)
    found = dict.fromkeys(rows, 0)
    out: dict[str, tuple[int, float]] = {}
    wrong = 0
    for i, (t, k) in enumerate(rated):
        c = by_key[k]
        a = conf[k]
        assert a is not None
        v = verdict(c, a[0])
        wrong += v in ("wrong", "piece")
        for r in classes(c):
            found[r] += v in ("exact", "found")
        if i + 1 < len(rated) and rated[i + 1][0] == t:
            continue  # a threshold keeps every answer of equal confidence
        for r in rows:
            if r not in out and not is_deleted_row(r) and found[r] > tether.found[r]:
                out[r] = (wrong, t)
    return out


def two_thresholds(cases: Sequence[Case], scores: dict[str, dict]) -> tuple[int, float, float]:
    """Hypothesis with two thresholds at once (quote part ≥ ``q`` and score above the surest
    wrong answer left): the most edited + moved found at 0 wrong over every ``q``, with its
    (q, score threshold). A check that the single score is not the limit."""
    s = peer_confidences("hypothesis", scores, cases)
    qs = peer_confidences("hypothesis-quote", scores, cases)
    rated = [(a[1], b[1], verdict(c, a[0]), changed(c)) for c in cases
             if (a := s[c.key]) is not None and (b := qs[c.key]) is not None]
    best = (0, float("inf"), float("inf"))
    for q in sorted({r[1] for r in rated}):
        kept = [r for r in rated if r[1] >= q]
        worst = max((r[0] for r in kept if r[2] in ("wrong", "piece")), default=float("-inf"))
        n = sum(r[3] for r in kept if r[0] > worst and r[2] in ("exact", "found"))
        if n > best[0]:
            best = (n, q, worst)
    return best


def behind(rows: list[str], tether: Point, name: str, p: Point) -> list[str]:
    return [f"{r} {p.found[r]} vs tether {tether.found[r]}" for r in rows
            if p.found[r] > tether.found[r]]


def plot(path: Path, panels: list[tuple[str, int, dict[str, list[tuple[float, int, int]]],
                                        dict[str, int], int]], xmax: int,
         tether_wrong: int) -> None:
    """One panel per (title, n, curves, default found per peer, tether found); tether's star
    at its own wrong count (Suites A + B, the curves' x)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(panels), figsize=(6.2 * len(panels), 4.8))
    for ax, (title, n, curves, defaults, mine) in zip(axes, panels, strict=True):
        for name, pts in curves.items():
            line, = ax.step([w for _, w, _ in pts], [100 * f / n for _, _, f in pts],
                            where="post", label=name, linewidth=1.4)
            w, f = defaults[name]
            ax.plot([w], [100 * f / n], "o", color=line.get_color(), markersize=4)
        ax.plot([tether_wrong], [100 * mine / n], "*", color="black", markersize=13,
                label="tether",
                zorder=5)
        ax.set_xlim(-1, xmax)
        ax.set_xlabel("wrong anchors, Suites A + B (all cases)")
        ax.set_ylabel(f"found, % of {n}")
        ax.set_title(title, fontsize=10)
        ax.grid(alpha=0.3)
        ax.legend(loc="lower right", fontsize=8)
    fig.suptitle("Each peer's confidence threshold swept (dot: its default; star: tether, "
                 f"{tether_wrong} wrong)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


# ----------------------------------------------------------------------------- main
def print_report(cases: Sequence[Case], scores: dict[str, dict], tether: Point, result: dict,
                 budgets: Sequence[int]) -> None:
    """The tables (markdown) and the lists of where and at what cost a peer passes tether."""
    rows = class_rows(cases)
    n = {r: sum(r in classes(c) for c in cases) for r in rows}
    print(f"**Found per class, each peer's threshold set for ≤ {' / '.join(map(str, budgets))} "
          "wrong (A + B)** (deleted: refused; bold: more than tether)\n")
    print(combined_table(rows, n, len(cases), tether, result, budgets) + "\n")
    for b in budgets:
        cols = [(f"{m} (≤ {b})", result[m]["budgets"][b]) for m in PEERS]
        print(f"**Found per class with each peer's threshold set for ≤ {b} wrong** (deleted: "
              "refused; bold: more than tether)\n")
        print(table(rows, n, len(cases), tether, cols) + "\n")
        for m in PEERS:
            lost = behind(rows, tether, m, result[m]["budgets"][b])
            print(f"- {m} at ≤ {b}: ahead of tether in "
                  + ("; ".join(lost) if lost else "no class"))
        print()
    cols = [(f"{m} (default)", result[m]["default"]) for m in PEERS]
    print("**At each peer's default** (as in accuracy.py)\n")
    print(table(rows, n, len(cases), tether, cols) + "\n")
    print("**Wrong anchors a peer needs to find more than tether in a class** "
          "(its strictest such threshold)\n")
    for m in PEERS:
        over = overtakes(cases, peer_confidences(m, scores, cases), tether, rows)
        print(f"- {m}: " + ("; ".join(f"{r} at {w} wrong (t = {t:.4f})"
                                      for r, (w, t) in sorted(over.items(), key=lambda x: x[1][0]))
                           or "never"))
    print()
    n2, q2, w2 = two_thresholds(cases, scores)
    print(f"**Hypothesis with two thresholds** (quote part and score): at 0 wrong at most {n2} "
          f"edited + moved found (quote part ≥ {q2:.4f}, score > {w2:.4f})\n")
    print("**The wrong answers each peer is surest of** (they set its 0-wrong threshold)\n")
    for m in PEERS:
        print(f"- {m}: " + "; ".join(top_wrong(cases, peer_confidences(m, scores, cases))))
    print()


def draw(path: Path, cases: Sequence[Case], scores: dict[str, dict], tether: Point,
         result: dict) -> None:
    """The curves: edited + moved of both suites, and Suite A edited alone."""
    panels = []
    for title, pick, mine in (
            ("edited + moved, Suites A + B", changed, tether.changed_found),
            ("Suite A edited", lambda c: c.suite == "A" and c.category == "edited",
             tether.found["A/edited"])):
        curves, defaults = {}, {}
        for m in PEERS:
            conf = peer_confidences(m, scores, cases)
            curves[m] = curve(cases, conf, pick)
            d = [p for p in curves[m] if p[0] >= DEFAULT_THRESHOLD[m]][-1]
            defaults[m] = (d[1], d[2])
        n_pick = sum(pick(c) for c in cases)
        panels.append((title, n_pick, curves, defaults, mine))
    plot(path, panels, xmax=max(r["default"].wrong for r in result.values()) + 5,
         tether_wrong=tether.wrong)
    print(f"curve: {path}")


def sweep(cases: Sequence[Case], scores: dict[str, dict], budgets: Sequence[int]) -> dict:
    """Per peer: its curve, its default point and its point at each budget."""
    out: dict[str, dict] = {}
    for name in PEERS:
        conf = peer_confidences(name, scores, cases)
        pts = curve(cases, conf)
        at = {b: at_threshold(cases, conf, threshold_for(pts, b)) for b in budgets}
        out[name] = {"curve": pts, "default": at_threshold(cases, conf, DEFAULT_THRESHOLD[name]),
                     "budgets": at}
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path,
                    default=Path(os.environ.get("TETHER_SHARED", ROOT.parent / "shared")))
    ap.add_argument("--budgets", default="tether,10,25",
                    help="wrong-anchor budgets (A + B); 'tether' = tether's own wrong count")
    ap.add_argument("--png", type=Path, default=PNG)
    args = ap.parse_args(argv)
    if not (args.shared / "corpus").is_dir():
        print(f"precision_curve: the shared corpus is not at {args.shared}", file=sys.stderr)
        return 2
    docs, cases, _, _ = peer_scores.load_cases(args.shared)
    scores = {m: peer_scores.load_scores(m) for m in peer_scores.PEERS}
    missing = {m: sum(c.key not in s for c in cases) for m, s in scores.items()}
    if any(missing.values()):
        print(f"precision_curve: scores missing {missing}: run benchmarks/peer_scores.py",
              file=sys.stderr)
        return 2
    tether = tether_point(cases, docs)
    budgets = sorted({tether.wrong if b.strip() == "tether" else int(b)
                      for b in args.budgets.split(",")})
    result = sweep(cases, scores, budgets)
    print_report(cases, scores, tether, result, budgets)
    draw(args.png, cases, scores, tether, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
