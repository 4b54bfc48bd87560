"""Reading the report and the dashboard in a real browser, at desktop and phone size."""

import datetime
from pathlib import Path

import pytest

from conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def activities(world):
    from ledger import services
    from ledger.catalogue import ensure_kinds
    from ledger.models import ActivityKind
    from orgs.models import Account, Unit

    ensure_kinds()
    office = Account.objects.get(username="lhasa-office")
    for code, kind, fields in [
        ("540102001", "collective_study", {"sessions": 12}),
        ("540102001", "film", {"sessions": 3, "participants": 260}),
        ("540104001", "lecture_theory", {"sessions": 5, "participants": 400, "venue_kind": "villages"}),
    ]:
        services.record_activity(
            actor=office,
            unit=Unit.objects.get(code=code),
            kind=ActivityKind.objects.get(code=kind),
            date=datetime.date(2021, 9, 15),
            **fields,
        )


def test_an_office_admin_reads_the_report_in_tibetan_and_opens_a_figures_rows(page, activities):
    log_in(page, "lhasa-office")
    page.goto("/reports/report/?unit=540100&as_of=2021-12-31&language=bo")
    report = page.wait_for_selector("[data-testid=report]")
    text = report.inner_text()
    assert "ལྷ་ས་གྲོང་ཁྱེར་" in text
    assert "ཐེངས་༡༢" in text  # 12 study sessions, written in Tibetan
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1  # nothing overflows at phone width
    page.shot("report-bo")
    page.click("[data-testid=figure][data-code='study.sessions']")
    page.wait_for_url("**/ledger/indicators/study.sessions/rows/**")
    assert "540102001" in page.url or "540100" in page.url


# The report's close: whether it ends the article, how it is aligned, how far from the right.
CLOSE = """() => {
  const close = document.querySelector('[data-testid=report-close]');
  const article = document.querySelector('[data-testid=report]');
  const line = close.querySelector('p');
  return {last: article.lastElementChild === close, align: getComputedStyle(line).textAlign,
          right: article.getBoundingClientRect().right - line.getBoundingClientRect().right};
}"""
PAGE_CHECKS = (Path(__file__).resolve().parents[2] / "core" / "tests" / "page_checks.js").read_text(encoding="utf-8")


@pytest.mark.parametrize("language", ["zh-hans", "bo"])
def test_the_report_ends_with_its_issuing_office_and_date_flush_right(page, activities, language):
    log_in(page, "lhasa-office")
    page.goto(f"/reports/report/?unit=540100&as_of=2021-12-31&language={language}")
    close = page.wait_for_selector("[data-testid=report-close]")
    text = close.inner_text()
    if language == "bo":
        assert "འགོ་ཁྲིད་ཚོ་ཆུང་གི་གཞུང་ལས་ཁང་།" in text and "ཕྱི་ལོ་༢༠༢༡ལོའི་ཟླ་༡༢ཚེས་༣༡ཉིན།" in text
    else:
        assert "中共拉萨市委党史学习教育领导小组办公室" in text and "2021年12月31日" in text
    placed = page.evaluate(CLOSE)
    assert placed["last"] and placed["align"] in ("right", "end"), placed
    assert placed["right"] < 40, placed  # against the article's right edge (its padding aside)
    found = page.evaluate(PAGE_CHECKS, "bo" if language == "bo" else "zh-hans")
    assert not [c for c in found["clipped"] if c.startswith(("p.report-issuer", "p.report-issued"))], found["clipped"]
    page.shot(f"report-close-{language}")


def test_the_dashboard_draws_its_charts_and_a_bar_opens_the_rows(page, activities):
    log_in(page, "lhasa-office")
    page.goto("/reports/dashboard/?unit=540100&start=2021-02-20&end=2021-12-31")
    page.wait_for_selector("[data-chart=trend][data-ready='1']")
    page.wait_for_selector("[data-chart=children][data-ready='1'] svg")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1  # wide tables scroll inside their box
    page.shot("dashboard")
    page.click("[data-testid=card-value] >> nth=0")
    page.wait_for_url("**/rows/**")


CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  var target = e.target && e.target.outerHTML ? e.target.outerHTML.slice(0, 120) : String(e.target);
  window.__cspViolations.push([e.violatedDirective, e.sample, target, e.sourceFile + ":" + e.lineNumber].join(" "));
});
"""

# The middle of a bar chart's tallest bar: where a hover shows its tooltip.
TALLEST_BAR = """n => {
  const marks = [...document.querySelectorAll('[data-chart=' + n + '] svg path')]
    .filter(p => p.getAttribute('fill') && p.getAttribute('fill') !== 'none')
    .map(p => p.getBoundingClientRect())
    .sort((a, b) => b.height - a.height);
  return [marks[0].x + marks[0].width / 2, marks[0].y + marks[0].height / 2];
}"""


def test_the_dashboards_charts_run_under_the_strict_policy_with_no_violation(page, activities):
    """ECharts draws with its SVG renderer and rich-text tooltips: no inline style attribute
    or element that the policy (style-src 'self') would block, on drawing or on hover."""
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(CSP_LISTENER)
    log_in(page, "lhasa-office")
    page.goto("/reports/dashboard/?unit=540100&start=2021-02-20&end=2021-12-31")
    assert "style-src 'self'" in page.evaluate(
        "fetch(location.href).then(r => r.headers.get('Content-Security-Policy'))"
    )
    for chart in ("trend", "children"):
        page.wait_for_selector(f"[data-chart={chart}][data-ready='1'] svg")
    texts = "n => document.querySelectorAll('[data-chart=' + n + '] svg text').length"
    more = "([n, before]) => document.querySelectorAll('[data-chart=' + n + '] svg text').length > before"
    for chart in ("children", "trend"):
        page.locator(f"[data-chart={chart}]").scroll_into_view_if_needed()
        before = page.evaluate(texts, chart)
        if chart == "children":  # a bar's own tooltip
            x, y = page.evaluate(TALLEST_BAR, chart)
        else:  # a month's tooltip, anywhere over the plot
            box = page.locator(f"[data-chart={chart}]").bounding_box()
            x, y = box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.7
        page.mouse.move(x, y)
        # The tooltip is drawn as text inside the chart's own SVG (rich text, not HTML).
        page.wait_for_function(more, arg=[chart, before])
    # A round trip through the page's own event loop: violations are reported before it returns.
    violations = page.evaluate("new Promise(r => setTimeout(() => r(window.__cspViolations), 0))")
    assert violations == []
    assert not [text for text in console if "Content Security Policy" in text or "Content-Security-Policy" in text]
