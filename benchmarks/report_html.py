"""Size and time of ``tether report`` / ``tether export-pdf``, and of loading the HTML in
headless Chromium, against ``tether check --json`` on the same inputs (the baseline, same run).

Cases: the bundled eth-yellowpaper v1 note (150 annotations) on v2.pdf, and 1,000 annotations
generated from v2's text (``tests/report_kit.generated_items``: anchored, drifted, fuzzy,
orphaned). Every command runs with a warm text cache (one ``check`` first), so the ratios show
what the report adds: the second extraction with character boxes, page rendering, HTML.

    PYTHONPATH=src python benchmarks/report_html.py [--repeat 3]

Prints a Markdown table (medians) for benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from report_kit import generated_items, write_json  # noqa: E402

from tether.textmodel.load import load_text  # noqa: E402

PDF = ROOT / "fixtures" / "pdfs" / "eth-yellowpaper" / "v2.pdf"
NOTE = ROOT / "fixtures" / "updates" / "eth-yellowpaper" / "v1.md"


def timed(*args: object) -> float:
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "tether.cli", *map(str, args)],
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{args[0]} failed: {proc.stderr}")
    return elapsed


def browser_load(path: Path, repeat: int) -> tuple[float, float]:
    """Median seconds to load the file (navigation start → load event) and to toggle a
    status filter (class change + forced layout) in headless Chromium."""
    from report_kit import chrome_driver

    driver = chrome_driver()
    loads, toggles = [], []
    try:
        for _ in range(repeat):
            driver.get(path.as_uri())
            t = driver.execute_script(
                "var n = performance.getEntriesByType('navigation')[0];"
                "return n.loadEventEnd - n.startTime;")
            loads.append(t / 1000)
            toggles.append(driver.execute_script(
                "var t = performance.now();"
                "document.body.classList.toggle('hide-drifted');"
                "document.body.offsetHeight;"
                "return performance.now() - t;") / 1000)
    finally:
        driver.quit()
    return statistics.median(loads), statistics.median(toggles)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    os.environ.setdefault("TETHER_CACHE_DIR", tempfile.mkdtemp(prefix="tether-bench-cache-"))
    tmp = Path(tempfile.mkdtemp(prefix="tether-report-bench-"))
    many = write_json(tmp / "many.json", generated_items(load_text(PDF), 1000))
    print("| case | annotations | check --json s | report s (×check) | export-pdf s (×check) "
          "| HTML MB | pictures | Chromium load s | filter toggle ms |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, note, n in (("eth-yellowpaper v1 note on v2", NOTE, 150),
                          ("1,000 generated on v2", many, 1000)):
        timed("check", "--json", note, "--pdf", PDF)  # warm the text cache
        html = tmp / f"{n}.html"
        check = statistics.median(timed("check", "--json", note, "--pdf", PDF)
                                  for _ in range(args.repeat))
        report = statistics.median(timed("report", note, "--pdf", PDF, "--html", html)
                                   for _ in range(args.repeat))
        export = statistics.median(timed("export-pdf", note, "--pdf", PDF, "-o",
                                         tmp / f"{n}.pdf") for _ in range(args.repeat))
        text = html.read_text(encoding="utf-8")
        load, toggle = browser_load(html, args.repeat)
        print(f"| {name} | {n} | {check:.1f} | {report:.1f} ({report / check:.1f}×) | "
              f"{export:.1f} ({export / check:.1f}×) | {len(text.encode()) / 1e6:.1f} | "
              f"{text.count('<figure')} | {load:.2f} | {toggle * 1000:.0f} |")


if __name__ == "__main__":
    main()
