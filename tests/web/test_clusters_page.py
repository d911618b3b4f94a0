"""The reconciled-events page in a real Chromium against ``rasd serve`` with accounts (SQLite).

Three reports written for this test tell one shelling of Saraqib (two say 8 dead, a later one 15,
so a figure flag appears); two hostile reports carry markup in their text, title and publisher.
All are stored and reconciled through ``Clusters``, as uploads are. Screenshots go to
``tests/artifacts/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect

from rasd.document import Source
from rasd.pipeline import Pipeline, make_document
from rasd.store import Store
from rasd.store.reconcile import ClusterFilters, Clusters
from rasd.store.review import Reviews
from servers import rasd_server

PASSWORD = "a long test password"
SARAQIB = [
    (
        "قتل ثمانية مدنيين بينهم طفلان في قصف مدفعي على بلدة سراقب في ريف إدلب "
        "يوم 10 شباط/فبراير 2020، بحسب مصادر محلية.",
        "Wire A",
        "2020-02-11",
        None,
    ),
    (
        "قالت فرق الإنقاذ إن 8 مدنيين قتلوا في قصف مدفعي استهدف بلدة سراقب "
        "يوم 10 شباط/فبراير 2020.",
        "Radio C",
        "2020-02-11",
        None,
    ),
    (
        "ذكر ناشطون أن 15 مدنيا قتلوا جراء قصف مدفعي على سراقب في 10 شباط/فبراير 2020.",
        "Paper D",
        "2020-02-12",
        None,
    ),
]
HOSTILE_PUBLISHER = "<img src=x onerror=alert(1)>"
HOSTILE = [
    (
        "قتل 4 مدنيين <img src=x onerror=alert(2)> في قصف على مدينة حمص يوم 5 أيار/مايو 2021، "
        "حسب <script>alert(3)</script>.",
        HOSTILE_PUBLISHER,
        "2021-05-06",
        "<script>alert(6)</script>",
    ),
    (
        "<script>alert(4)</script> قتل 6 مدنيين في قصف على مدينة حمص يوم 5 أيار/مايو 2021.",
        "<script>alert(5)</script>",
        "2021-05-07",
        "<b>bold</b><img src=x onerror=alert(7)>",
    ),
]


@dataclass(frozen=True)
class ClusterServer:
    base_url: str
    ids: dict[str, str]  # cluster id by place


@dataclass
class Watched:
    page: Page
    console: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def cluster_server(
    tmp_path_factory: pytest.TempPathFactory, artifacts: Path, pipeline: Pipeline
) -> Iterator[ClusterServer]:
    db_url = f"sqlite:///{tmp_path_factory.mktemp('clusters') / 'rasd.db'}"
    with Store(db_url) as store:
        clusters = Clusters(store, pipeline.resources)
        for number, (text, publisher, published, title) in enumerate(SARAQIB + HOSTILE):
            source = Source(
                publisher=publisher,
                published=date.fromisoformat(published),
                path=f"report-{number}.txt",
                title=title,
            )
            clusters.ingest(pipeline(make_document(text, source, "ar")))
        Reviews(store).add_user("viewer1", PASSWORD, "viewer")
        found, _ = clusters.query(ClusterFilters(), limit=10, offset=0)
        ids = {item.location or "": item.id for item in found}
    with rasd_server(db_url, artifacts / "clusters-server.log") as served:
        yield ClusterServer(served.base_url, ids)


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-GB")
    seen = Watched(context.new_page())
    seen.page.on("console", lambda message: seen.console.append(f"{message.type}: {message.text}"))
    seen.page.on("pageerror", lambda error: seen.console.append(f"pageerror: {error}"))

    def on_dialog(dialog: Dialog) -> None:
        seen.dialogs.append(dialog.message)
        dialog.dismiss()

    seen.page.on("dialog", on_dialog)
    yield seen
    context.close()


def signed_in(watched: Watched, base_url: str) -> Page:
    """Log in on the review page, as the map page asks, then follow its link to this page."""
    page = watched.page
    page.goto(f"{base_url}/review")
    page.fill("input[name=username]", "viewer1")
    page.fill("input[name=password]", PASSWORD)
    page.click("#login button[type=submit]")
    expect(page.locator("#who")).to_contain_text("viewer1")
    expect(page.locator("#doc-text mark").first).to_be_visible()  # its first event has loaded
    watched.console.clear()  # the review page's own 401 for /api/me before the login
    page.click("header a[href='/clusters']")
    page.wait_for_selector("body[data-ready=true]")
    return page


def test_the_page_asks_an_anonymous_reader_to_sign_in(
    watched: Watched, cluster_server: ClusterServer
) -> None:
    page = watched.page
    page.goto(f"{cluster_server.base_url}/clusters")
    page.wait_for_selector("body[data-ready=true]")

    expect(page.locator("#sign-in")).to_have_attribute("href", "/review")
    expect(page.locator("#cluster-rows tr")).to_have_count(0)


def test_a_cluster_shows_who_says_how_many_and_the_figure_flag_with_both_sides(
    watched: Watched, cluster_server: ClusterServer, artifacts: Path
) -> None:
    page = signed_in(watched, cluster_server.base_url)
    rows = page.locator("#cluster-rows tr")
    expect(rows).to_have_count(2)
    saraqib = page.locator(f"#cluster-rows tr[data-id='{cluster_server.ids['Saraqib']}']")
    expect(saraqib).to_contain_text("2020-02-10")
    expect(saraqib).to_contain_text("Saraqib (SY)")
    expect(saraqib.locator("td.n").nth(0)).to_have_text("8 · 8 · 15")
    expect(saraqib.locator("td.n").nth(1)).to_have_text("3")  # reports
    expect(saraqib.locator(".flag-count")).to_have_text("⚑ 1")
    page.screenshot(path=artifacts / "clusters-list.png")

    page.fill("input[name=min_reports]", "3")
    page.click("#filters button[type=submit]")
    expect(rows).to_have_count(1)
    page.click("#filters button[type=reset]")
    page.fill("input[name=date_from]", "2021-01-01")
    page.check("input[name=flagged]")
    page.click("#filters button[type=submit]")
    expect(rows).to_contain_text(["Homs"])
    page.click("#filters button[type=reset]")
    expect(rows).to_have_count(2)

    saraqib.click()
    expect(page.locator("#cluster")).to_be_visible()
    expect(page.locator("#cluster-title")).to_have_text(
        "Explosions/Remote violence — Shelling/artillery/missile attack"
    )
    expect(page.locator("#merged")).to_contain_text("8–15 (best 8)")
    # One row per report, oldest first: who says how many, with the quote.
    claims = page.locator("#claims tr[data-document-id]")
    expect(claims).to_have_count(3)
    expect(claims.nth(0)).to_contain_text("2020-02-11")
    expect(claims.locator("td.publisher")).to_have_text(["Radio C", "Wire A", "Paper D"])
    expect(claims.nth(2).locator(".figure")).to_have_text("15")
    expect(claims.nth(2).locator("q")).to_have_text("15 مدنيا قتلوا")
    # The flag: its message and each side's publisher and quoted evidence.
    flag = page.locator("#flags li.flag")
    expect(flag).to_have_count(1)
    expect(flag).to_contain_text("figure conflict")
    expect(flag).to_contain_text("fatalities range from 8 to 15")
    sides = flag.locator(".side")
    expect(sides).to_have_count(3)
    expect(sides.filter(has_text="Paper D").locator("blockquote")).to_have_text("15 مدنيا قتلوا")
    expect(sides.filter(has_text="Wire A").locator("blockquote")).to_have_text("قتل ثمانية مدنيين")
    direction = sides.first.locator("blockquote").evaluate("e => getComputedStyle(e).direction")
    assert direction == "rtl"
    # Members open their event on the map page; the merge is explained pair by pair.
    members = page.locator("#members > li")
    expect(members).to_have_count(3)
    expect(members.locator("a").first).to_have_attribute("href", re.compile(r"^/#event=rasd-"))
    expect(page.locator("#links li")).to_have_count(3)
    expect(page.locator("#links li").first).to_contain_text("location 1.00")
    page.screenshot(path=artifacts / "clusters-detail.png", full_page=True)
    # A report's event links to the cluster that holds it.
    event_link = members.filter(has_text="Paper D").locator("a").get_attribute("href") or ""
    page.click("#back")
    expect(page.locator("#status")).to_have_text("2 reconciled events")
    page.goto(cluster_server.base_url + "/clusters" + event_link.removeprefix("/"))
    expect(page.locator("#cluster")).to_be_visible()
    expect(page.locator("#status")).to_have_text(
        f"reconciled event {cluster_server.ids['Saraqib']}"
    )
    assert watched.console == []
    assert watched.dialogs == []


def test_markup_in_a_report_and_its_publisher_shows_as_text(
    watched: Watched, cluster_server: ClusterServer, artifacts: Path
) -> None:
    page = signed_in(watched, cluster_server.base_url)
    page.goto(f"{cluster_server.base_url}/clusters#cluster={cluster_server.ids['Homs']}")
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator("#cluster")).to_be_visible()
    for member in page.locator("#members details").all():
        member.locator("summary").click()
        expect(member.locator(".report-text")).to_contain_text("<script>alert(")

    expect(page.locator("#claims td.publisher")).to_have_text(
        ["<img src=x onerror=alert(1)>", "<script>alert(5)</script>"]
    )
    expect(page.locator("#flags .side .who").first).to_contain_text(HOSTILE_PUBLISHER)
    expect(page.locator("#members")).to_contain_text("<script>alert(6)</script>")
    expect(page.locator("#members")).to_contain_text("<b>bold</b><img src=x onerror=alert(7)>")
    expect(page.locator("#members")).to_contain_text("<img src=x onerror=alert(2)>")
    assert page.locator("img").count() == 0
    assert page.eval_on_selector_all("script", "ss => ss.map(s => s.getAttribute('src'))") == [
        "/static/dom.js",
        "/static/clusters.js",
    ]  # the page's own, nothing else
    page.screenshot(path=artifacts / "clusters-hostile.png", full_page=True)
    assert watched.console == []
    assert watched.dialogs == []
