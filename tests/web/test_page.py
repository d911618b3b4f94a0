"""The page in a real Chromium: timeline, map, event view with evidence, and hostile reports.

The server is ``rasd serve`` in a subprocess over a SQLite file holding the seed report, a second
report and a hostile one (``seed_events``). Screenshots go to ``tests/artifacts/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect

from seed_events import HOSTILE_ID, PAYLOAD_HOST, SEED_ID

E = {n: f"{SEED_ID}-e{n}" for n in range(1, 5)}


@dataclass
class Watched:
    page: Page
    console: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-GB")
    page = context.new_page()
    seen = Watched(page)
    page.on("console", lambda message: seen.console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: seen.console.append(f"pageerror: {error}"))

    def on_dialog(dialog: Dialog) -> None:
        seen.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("request", lambda request: seen.requests.append(request.url))
    yield seen
    context.close()


def open_page(watched: Watched, url: str) -> Page:
    page = watched.page
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]", timeout=20000)
    return page


def bar_width(page: Page, event_id: str) -> float:
    return float(
        page.locator(f"rect.tl-bar[data-event-id='{event_id}']").get_attribute("width") or 0
    )


def test_the_seed_events_are_on_the_timeline_and_the_map(
    watched: Watched, served_url: str, artifacts: Path
) -> None:
    page = open_page(watched, served_url + "/")
    expect(page.locator("#status")).to_have_text("6 events")
    expect(page.locator("rect.tl-bar")).to_have_count(6)
    expect(page.locator("path.rasd-marker")).to_have_count(6)
    for event_id in E.values():
        expect(page.locator(f"rect.tl-bar[data-event-id='{event_id}']")).to_have_count(1)
        expect(page.locator(f"path.rasd-marker[data-event-id='{event_id}']")).to_have_count(1)
    # Precision is a bar's length: a month-long range is longer than a week, a week than a day.
    assert bar_width(page, E[4]) > bar_width(page, E[3]) > bar_width(page, E[2])
    page.fill("input[name=date_from]", "1998-01-01")
    page.fill("input[name=date_to]", "1998-12-31")
    page.click("#filters button[type=submit]")
    expect(page.locator("rect.tl-bar")).to_have_count(3)
    assert bar_width(page, E[4]) / bar_width(page, E[3]) == pytest.approx(31 / 8, rel=0.01)
    expect(page.locator("path.precision-circle")).to_have_count(3)
    page.screenshot(path=artifacts / "page-overview.png")
    assert watched.console == []
    assert all(url.startswith(served_url) for url in watched.requests)


def test_opening_an_event_shows_the_report_with_its_evidence_highlighted(
    watched: Watched, served_url: str, artifacts: Path
) -> None:
    page = open_page(watched, served_url + "/")
    page.locator(f"rect.tl-bar[data-event-id='{E[3]}']").click()
    view = page.locator("#event-view")
    expect(view.locator("h2")).to_have_text("Violence against civilians — Attack")
    expect(view.locator("a.cluster-link")).to_have_attribute("href", f"/clusters#event={E[3]}")
    report = view.locator(".report")
    expect(report).to_have_attribute("dir", "rtl")
    expect(report).to_have_attribute("lang", "ar")
    evidence = report.locator("mark.evidence")
    expect(evidence.filter(has_text="نحو 8 آلاف شخص")).to_have_count(1)
    expect(evidence.filter(has_text="الأسبوع الأول")).to_have_count(1)
    expect(report.locator("mark.claim", has_text="المئات من الذكور")).to_have_count(1)
    values = report.locator(".value")
    expect(values.filter(has_text="fatalities: 8000 (low 100, high 8000)")).to_have_count(1)
    expect(values.filter(has_text="date: 1998-08-08 – 1998-08-15 (week)")).to_have_count(1)
    # The value sits right after its span in the text.
    follows = page.evaluate(
        "() => [...document.querySelectorAll('.report mark.evidence')]"
        ".filter(m => m.textContent.includes('الأسبوع الأول'))"
        ".map(m => m.nextElementSibling && m.nextElementSibling.textContent)[0]"
    )
    assert follows == "date: 1998-08-08 – 1998-08-15 (week)"
    assert page.evaluate("() => document.fonts.check('16px \"Noto Naskh Arabic\"', 'مزار')")
    font = report.evaluate("node => getComputedStyle(node).fontFamily")
    assert "Noto Naskh Arabic" in font
    expect(page.locator(f"path.rasd-marker.selected[data-event-id='{E[3]}']")).to_have_count(1)
    expect(view.locator(".flags li")).to_have_text(
        ["figure_conflict: «المئات» and «نحو 8 آلاف» count the same killings differently"]
    )
    report.locator("mark.evidence", has_text="نحو 8 آلاف شخص").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "page-event.png")
    assert watched.console == []


def test_a_marker_opens_its_event(watched: Watched, served_url: str) -> None:
    page = open_page(watched, served_url + "/")
    page.locator(f"path.rasd-marker[data-event-id='{E[1]}']").click()
    expect(page.locator("#event-view h2")).to_have_text(
        "Strategic developments — Non-violent transfer of territory"
    )
    expect(page.locator(".report mark.evidence", has_text="كابل")).to_have_count(1)


def test_filters_narrow_the_map_and_the_timeline(watched: Watched, served_url: str) -> None:
    page = open_page(watched, served_url + "/")
    page.select_option("select[name=event_type]", "Violence against civilians")
    page.fill("input[name=q]", "مَزار الشريف")
    page.click("#filters button[type=submit]")
    expect(page.locator("#status")).to_have_text("2 events")
    expect(page.locator("rect.tl-bar")).to_have_count(2)
    expect(page.locator("path.rasd-marker")).to_have_count(2)
    page.fill("input[name=fatalities_min]", "10")
    page.fill("input[name=fatalities_max]", "5")
    page.click("#filters button[type=submit]")
    expect(page.locator("#status")).to_have_text("422: fatalities_min is above fatalities_max")
    expect(page.locator("#status")).to_have_class("status error")


def test_a_report_with_script_payloads_executes_nothing(
    watched: Watched, served_url: str, artifacts: Path
) -> None:
    response = watched.page.goto(f"{served_url}/#event={HOSTILE_ID}-e1")
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy
    assert "unsafe-inline" not in policy
    page = watched.page
    page.wait_for_selector("body[data-ready=true]", timeout=20000)
    report = page.locator(".report")
    report.wait_for()
    # The report's own text (the value labels beside the spans taken out) shows the markup as text.
    text = report.evaluate(
        "node => { const copy = node.cloneNode(true);"
        " copy.querySelectorAll('.value').forEach(v => v.remove()); return copy.textContent; }"
    )
    assert "<script>window.__pwned = 'script'; alert('script')</script>" in text
    assert f'<img src="{PAYLOAD_HOST}/img.png" onerror="window.__pwned = \'img\'">' in text
    assert "<a href=\"javascript:window.__pwned='link'\">اضغط هنا</a>" in text
    expect(page.locator("#event-view dl")).to_contain_text(
        "<script>window.__pwned='place'</script>"
    )
    expect(page.locator("#event-view .flags")).to_contain_text("<script>alert('flag')</script>")
    # Bidi controls are shown as labelled marks, not applied to the text around them.
    expect(report.locator(".ctrl")).to_have_text(["RLO", "PDF", "RLI", "PDI"])
    assert "\u202e" not in (report.text_content() or "")
    page.locator(f"rect.tl-bar[data-event-id='{HOSTILE_ID}-e1']").hover()
    page.locator(f"path.rasd-marker[data-event-id='{HOSTILE_ID}-e1']").hover()
    page.wait_for_timeout(300)
    page.screenshot(path=artifacts / "page-hostile.png")
    assert page.evaluate("() => window.__pwned") is None
    assert (
        page.locator("#event-view script, #event-view img, #event-view a, #event-view svg").count()
        == 1  # the page's own link to the event across reports, nothing from the report
    )
    expect(page.locator("#event-view a")).to_have_class("cluster-link")
    assert watched.dialogs == []
    assert watched.console == []
    assert not [url for url in watched.requests if url.startswith(PAYLOAD_HOST)]


def test_an_uploaded_hostile_file_is_stored_as_text_and_runs_nothing(
    watched: Watched, served_url: str, tmp_path: Path
) -> None:
    page = open_page(watched, served_url + "/")
    hostile = tmp_path / "payload.txt"
    hostile.write_text(
        "هجوم مسلح على قرية صغيرة في ريف المدينة الشمالي أسفر عن مقتل مدنيين اثنين وإصابة آخرين "
        "<script>alert('upload')</script> "
        f'<img src="{PAYLOAD_HOST}/u.png" onerror="alert(2)"> يوم 1 أيار/مايو 2021.',
        encoding="utf-8",
    )
    page.set_input_files("#upload input[type=file]", hostile)
    page.click("#upload button[type=submit]")
    expect(page.locator("#status")).to_contain_text("stored ", timeout=60000)
    assert watched.dialogs == []
    assert not [url for url in watched.requests if url.startswith(PAYLOAD_HOST)]
