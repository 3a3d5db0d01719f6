"""``tether report --html`` through the real CLI, the file loaded in a real headless Chromium
(Selenium; skipped with the reason where Chromium or chromedriver is missing): no console
errors, the counts and rows shown are ``tether check --json``'s, every box links to its row and
back, boxes sit on ink in the page pictures, and a screenshot is written."""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from report_kit import chrome_driver, console_errors, generated_items, phrase_items, write_json

from conftest import FIXTURES, model_text, require_shared, vault_notes
from conftest import run_tether as tether
from tether.report.geometry import to_pixels
from tether.report.html import quote_diff

YP_NOTE = FIXTURES / "updates" / "eth-yellowpaper" / "v1.md"
YP_V2 = FIXTURES / "pdfs" / "eth-yellowpaper" / "v2.pdf"
ROTATED = FIXTURES / "synthetic" / "rotated.pdf"
PLACED = ("anchored", "drifted", "fuzzy")



def make_report(out: Path, *args: object, extra: tuple[str, ...] = ()
                ) -> tuple[dict, subprocess.CompletedProcess[str]]:
    """Run ``tether report`` (with ``extra`` options) and ``tether check --json`` on the same
    inputs."""
    proc = tether("report", *args, *extra, "--html", out)
    assert "Traceback" not in proc.stderr, proc.stderr
    check = tether("check", "--json", *args)
    assert proc.returncode == check.returncode, (proc.stderr, check.stderr)
    return json.loads(check.stdout), proc


@pytest.fixture(scope="module")
def browser():
    driver = chrome_driver()
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def yellowpaper(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("report") / "yellowpaper.html"
    report, proc = make_report(out, YP_NOTE, "--pdf", YP_V2)
    assert proc.returncode == 1 and out.is_file()
    return out, report


def load(browser, path: Path, fragment: str = "") -> None:
    """Open ``path`` and wait for its load event (``get`` may return earlier for a big file
    on a busy machine)."""
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(path.resolve().as_uri() + fragment)
    WebDriverWait(browser, 180).until(
        lambda d: d.execute_script("return document.readyState") == "complete")


def shown(browser, di: int) -> dict:
    """What the page shows for document ``di``: counts and rows (read from the DOM)."""
    return browser.execute_script("""
        var d = arguments[0], counts = {}, rows = [];
        document.querySelectorAll('#d' + d + '-summary tr[data-status]').forEach(function (tr) {
          counts[tr.dataset.status] = parseInt(tr.querySelector('td.count').textContent, 10);
        });
        document.querySelectorAll('#d' + d + '-annotations tbody tr').forEach(function (tr) {
          rows.push({id: tr.dataset.id, status: tr.dataset.status, page: tr.dataset.page,
                     rowid: tr.id, header: tr.querySelector('th[scope=row]').textContent,
                     badge: tr.querySelector('.badge').textContent,
                     pagecell: tr.children[2].textContent,
                     score: tr.children[3].textContent});
        });
        return {counts: counts, rows: rows};""", di)


def assert_matches_json(browser, report: dict) -> None:
    """Every document's counts and rows as shown equal the JSON report's."""
    for di, doc in enumerate(report["documents"]):
        got = shown(browser, di)
        assert {k: v for k, v in got["counts"].items() if k != "total"} == doc["summary"]
        assert got["counts"]["total"] == len(doc["annotations"])
        assert [r["id"] for r in got["rows"]] == [a["id"] for a in doc["annotations"]]
        assert [r["status"] for r in got["rows"]] == [a["status"] for a in doc["annotations"]]
        for row, a in zip(got["rows"], doc["annotations"], strict=True):
            assert row["header"] == a["id"] and row["badge"].endswith(a["status"])
            # as check's table shows a score (was 1.0 in one row, 0.9655 in the next)
            assert row["score"] == ("" if a["score"] is None else f"{a['score']:.2f}")
            if a["resolved"] is not None:
                assert row["page"] == str(a["resolved"]["page"])
                assert row["pagecell"].startswith(f"p. {a['resolved']['page'] + 1}")
            else:
                assert row["page"] == ""


def test_counts_and_rows_are_those_of_check_json(browser, yellowpaper, tmp_path: Path) -> None:
    path, report = yellowpaper
    load(browser, path)
    assert console_errors(browser) == []
    assert_matches_json(browser, report)
    shot = tmp_path / "yellowpaper-top.png"
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def test_boxes_link_to_rows_and_rows_back(browser, yellowpaper, tmp_path: Path) -> None:
    path, report = yellowpaper
    load(browser, path)
    links = browser.execute_script("""
        var out = [];
        document.querySelectorAll('a.box').forEach(function (a) {
          var row = document.getElementById(a.getAttribute('href').slice(1));
          out.push({id: a.id, cls: a.className, label: a.getAttribute('aria-label'),
                    row: row && row.id, status: row && row.dataset.status,
                    annid: row && row.dataset.id});
        });
        return out;""")
    placed = [a for a in report["documents"][0]["annotations"] if a["status"] in PLACED]
    assert len(links) >= len(placed) > 100
    for box in links:
        assert box["row"] is not None, box  # every box links to an existing row
        assert f"st-{box['status']}" in box["cls"].split()
        assert box["label"].startswith(f"{box['status']} highlight {box['annid']}")
    boxed_rows = {b["row"] for b in links}
    back = browser.execute_script("""
        var out = [];
        document.querySelectorAll('#d0-annotations tbody tr').forEach(function (tr) {
          var a = tr.children[2].querySelector('a');
          var box = a && document.getElementById(a.getAttribute('href').slice(1));
          out.push({row: tr.id, status: tr.dataset.status,
                    back: box ? box.getAttribute('href') : null});
        });
        return out;""")
    for r in back:
        if r["status"] in PLACED:
            assert r["back"] == f"#{r['row']}", r  # the row's page link → its box → the row
            assert r["row"] in boxed_rows
        else:
            assert r["back"] is None
    # Following the links with the mouse and the keyboard.
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    box = browser.find_element(By.CSS_SELECTOR, "a.box.st-fuzzy")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
    box.click()
    target = browser.execute_script("return document.querySelector(':target').id")
    assert target == box.get_attribute("href").split("#")[1]
    page_link = browser.find_element(By.CSS_SELECTOR, f"#{target} td a")
    page_link.send_keys(Keys.ENTER)
    now = browser.execute_script("return document.querySelector(':target').id")
    assert now == box.get_attribute("id")
    assert browser.save_screenshot(str(tmp_path / "yellowpaper-box.png"))
    load(browser, path)
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    active = browser.switch_to.active_element
    assert active.get_attribute("class") == "skip"
    assert active.get_attribute("href").endswith("#main")
    assert console_errors(browser) == []


def test_pictures_load_and_boxes_sit_inside_them(browser, yellowpaper) -> None:
    path, _ = yellowpaper
    load(browser, path)
    result = browser.execute_script("""
        var figs = document.querySelectorAll('figure.page'), bad = [], n = 0;
        figs.forEach(function (f) {
          var img = f.querySelector('img');
          img.loading = 'eager';
          var ir = img.getBoundingClientRect();
          f.querySelectorAll('a.box').forEach(function (a) {
            var r = a.getBoundingClientRect(); n++;
            if (r.left < ir.left - 1 || r.top < ir.top - 1 || r.right > ir.right + 1
                || r.bottom > ir.bottom + 1) bad.push(a.id);
          });
        });
        return {figures: figs.length, boxes: n, bad: bad};""")
    assert result["figures"] > 10 and result["boxes"] > 100 and result["bad"] == []
    browser.execute_script("document.querySelectorAll('img').forEach(function (i) {"
                           " i.loading = 'eager'; })")
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 60).until(lambda d: d.execute_script(
        "return Array.from(document.images).every(function (i) {"
        " return i.complete && i.naturalWidth > 0; })"))
    assert console_errors(browser) == []


def test_status_filter_hides_and_shows(browser, yellowpaper) -> None:
    from selenium.webdriver.common.by import By

    path, report = yellowpaper
    load(browser, path)
    browser.find_element(By.CSS_SELECTOR, 'input[data-filter="drifted"]').click()
    visible = browser.execute_script("""
        var out = {};
        document.querySelectorAll('#d0-annotations tbody tr').forEach(function (tr) {
          var s = tr.dataset.status, v = tr.offsetParent !== null;
          out[s] = (out[s] || 0) + (v ? 1 : 0);
        });
        out.boxes = Array.from(document.querySelectorAll('a.box.st-drifted'))
          .filter(function (a) { return getComputedStyle(a).display !== 'none'; }).length;
        return out;""")
    summary = report["documents"][0]["summary"]
    assert visible.pop("boxes") == 0 and visible.pop("drifted", 0) == 0
    assert visible == {s: n for s, n in summary.items() if n and s != "drifted"}
    assert console_errors(browser) == []


def test_boxes_sit_on_ink_even_on_rotated_pages(tmp_path: Path) -> None:
    """The boxes drawn over a page picture cover dark pixels that MuPDF rendered — on a
    /Rotate 90 page and on lines drawn at 90°, 180° and 270° too. (No browser: the same
    rectangles the HTML positions in percent, checked on the picture's pixels.)"""
    import pymupdf

    from tether.check import check_paths
    from tether.report.visual import build_visuals

    text = model_text(str(ROTATED))
    notes = write_json(tmp_path / "rot.json", phrase_items(text, [
        "the viewer shows it turned", "rotated ninety", "rotated one-eighty",
        "rotated two-seventy", "Upright line after"]))
    run = check_paths([notes], pdf=ROTATED)
    [vis] = build_visuals(run, fmt="png", dpi=100)
    assert sorted(vis.images) == [0, 1]
    assert vis.images[0].width < vis.images[0].height  # rendered turned, as viewers show it
    checked = 0
    for parts in vis.highlights:
        for part in parts:
            img = vis.images[part.page]
            pix = pymupdf.Pixmap(img.data)
            for rect in part.rects:
                px = to_pixels(rect, img.matrix)
                dark = total = 0
                for y in range(int(px.y0) + 1, int(px.y1) - 1):
                    for x in range(int(px.x0) + 1, int(px.x1) - 1):
                        total += 1
                        dark += sum(pix.pixel(x, y)[:3]) < 384
                assert total and dark / total > 0.05, (part.page, rect)
                checked += 1
    assert checked == 5


def test_a_thousand_annotations(browser, tmp_path: Path) -> None:
    """1,000 annotations (made from the real v2 text: anchored, drifted, fuzzy, orphaned) load
    without console errors and show exactly the JSON report."""
    text = model_text(str(YP_V2))
    notes = write_json(tmp_path / "many.json", generated_items(text, 1000))
    out = tmp_path / "many.html"
    report, proc = make_report(out, notes, "--pdf", YP_V2)
    assert proc.returncode == 1
    summary = report["documents"][0]["summary"]
    assert sum(summary.values()) == 1000 and all(summary[s] > 10 for s in
                                                 ("anchored", "drifted", "fuzzy", "orphaned"))
    load(browser, out)
    assert console_errors(browser) == []
    assert_matches_json(browser, report)
    assert browser.save_screenshot(str(tmp_path / "many.png"))


def test_several_vault_notes_one_document_each(browser, tmp_path: Path) -> None:
    require_shared()
    notes = [n for n in vault_notes() if any(k in str(n) for k in
                                             ("phd-luxton", "phd-groupthink", "ds-stack-queue"))]
    assert len(notes) == 3
    out = tmp_path / "vaults.html"
    report, proc = make_report(out, *notes)
    assert len(report["documents"]) == 3
    load(browser, out)
    assert console_errors(browser) == []
    assert_matches_json(browser, report)


def test_report_lists_input_errors_and_exits_two(browser, tmp_path: Path) -> None:
    """A missing note next to a good one: the report is written with an Errors section and the
    good note's rows; exit 2 as ``tether check``."""
    missing = tmp_path / "gone.md"
    out = tmp_path / "r.html"
    report, proc = make_report(out, YP_NOTE, missing, "--pdf", YP_V2,
                               extra=("--no-pictures",))
    assert proc.returncode == 2 and "no such file or folder" in " ".join(proc.stderr.split())
    load(browser, out)
    errors = browser.execute_script(
        "return Array.from(document.querySelectorAll('#errors li')).map(e => e.textContent)")
    assert errors == [e["message"] for e in report["errors"]] and len(errors) == 1
    assert_matches_json(browser, report)
    assert console_errors(browser) == []


def test_report_refuses_to_overwrite_an_input(tmp_path: Path) -> None:
    pdf = tmp_path / "in.pdf"
    pdf.write_bytes(YP_V2.read_bytes())
    before = pdf.read_bytes()
    proc = tether("report", YP_NOTE, "--pdf", pdf, "--html", pdf)
    assert proc.returncode == 2 and "would overwrite the input" in proc.stderr
    assert "Traceback" not in proc.stderr and pdf.read_bytes() == before


def test_the_file_is_self_contained(yellowpaper) -> None:
    """No external reference: every src / href is a fragment or a data: URI."""
    text = yellowpaper[0].read_text(encoding="utf-8")
    refs = re.findall(r'\b(?:src|href)="([^"]*)"', text)
    assert refs and all(r.startswith(("#", "data:image/")) for r in refs), \
        {r[:40] for r in refs if not r.startswith(("#", "data:image/"))}
    assert "<link" not in text and "@import" not in text and "url(" not in text
    assert 'loading="lazy"' in text


def test_every_offsets_label_names_its_unit(yellowpaper) -> None:
    """The project's rule, and what check's table does ("stored → resolved (UTF-16)"): each
    row's offsets name their unit (the UTF-16 ones said only "offsets:")."""
    text = yellowpaper[0].read_text(encoding="utf-8")
    labels = re.findall(r'<span class="muted">(offsets[^<]*):</span>', text)
    assert len(labels) == len(yellowpaper[1]["documents"][0]["annotations"])
    assert set(labels) == {"offsets (UTF-16)"}


def _strip(marked: str, drop: str) -> str:
    marked = re.sub(rf"<{drop}>.*?</{drop}>", "", marked, flags=re.S)
    return html.unescape(re.sub(r"</?(?:del|ins)>", "", marked))


@given(st.text(max_size=60), st.text(max_size=60))
def test_quote_diff_marks_exactly_the_changed_characters(stored: str, resolved: str) -> None:
    left, right = quote_diff(stored, resolved)
    assert _strip(left, "x") == stored and _strip(right, "x") == resolved
    # What is left unmarked on both sides is the same text (the common characters).
    assert _strip(left, "del") == _strip(right, "ins")
    if stored == resolved:
        assert "<del>" not in left and "<ins>" not in right
