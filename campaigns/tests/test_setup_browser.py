"""The city office, on a phone, sets up the 2023 thematic education as a second, smaller
campaign: it copies the 2021 campaign, adjusts the names, period, kinds of activity and one
supervision group, exports the set-up and reads the file back as a campaign."""

import json

import pytest

from conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME_ZH = "学习贯彻习近平新时代中国特色社会主义思想主题教育"
NAME_BO = "ཞི་ཅིན་ཕིང་གི་དུས་རབས་གསར་པའི་ཀྲུང་གོའི་ཁྱད་ཆོས་ལྡན་པའི་སྤྱི་ཚོགས་རིང་ལུགས་ཀྱི་བསམ་བློ་སློབ་སྦྱོང་དང་ལག་བསྟར་གྱི་བརྗོད་གཞིའི་སློབ་གསོ།"


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"] + 1, page.url


@pytest.mark.parametrize("screen", ["phone"])
def test_the_city_office_sets_up_the_2023_campaign_by_copying_2021_on_a_phone(page, tmp_path):
    from campaigns.models import Campaign
    from ledger.campaign_setup import set_campaign_catalogue
    from ledger.models import ActivityKind
    from orgs.models import Account

    office = Account.objects.get(username="lhasa-office")
    source = Campaign.objects.get(root_unit__code="540100")
    kinds = list(ActivityKind.objects.filter(code__in=["collective_study", "lecture_theory", "film"]))
    set_campaign_catalogue(actor=office, campaign=source, kinds=kinds, indicators=[])

    log_in(page, "lhasa-office")
    page.goto("/campaigns/setup/")
    page.click(f"a[href='/campaigns/setup/{source.pk}/']")
    page.click("[data-testid=setup-copy-this]")
    page.fill("#id_name_zh", "主题教育")
    page.fill("#id_name_bo", "བརྗོད་གཞིའི་སློབ་གསོ།")
    page.fill("#id_start", "2023-04-01")
    page.fill("#id_end", "2023-06-30")
    _fits(page)
    page.shot("campaign-copy")
    page.click("[data-testid=copy-submit]")
    page.wait_for_selector("[data-testid=setup-name]:has-text('主题教育')")
    copied = Campaign.objects.exclude(pk=source.pk).get(root_unit__code="540100")
    assert copied.supervision_groups.count() == 3 and copied.activity_kinds.count() == 3

    # The names and the period, in full.
    page.click("[data-testid=setup-edit]")
    page.fill("#id_name_zh", NAME_ZH)
    page.fill("#id_name_bo", NAME_BO)
    page.fill("#id_goal_words_zh", "学思想、强党性、重实践、建新功")
    page.fill("#id_end", "2023-08-31")
    page.select_option("#id_status", "active")
    _fits(page)
    page.click("[data-testid=save]")
    page.wait_for_selector(f"[data-testid=setup-name]:has-text('{NAME_ZH}')")
    assert page.inner_text("[data-testid=setup-period]") == "2023-04-01 — 2023-08-31"

    # A smaller campaign: no film screenings.
    page.click("[data-testid=setup-catalogue-edit]")
    film = ActivityKind.objects.get(code="film")
    page.uncheck(f"input[name=kinds][value='{film.pk}']")
    _fits(page)
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=setup-catalogue]")
    assert sorted(copied.activity_kinds.values_list("code", flat=True)) == ["collective_study", "lecture_theory"]

    # Group 3 now covers Dagzê only.
    page.click("[data-testid=setup-group-3]")
    group = copied.supervision_groups.get(number=3)
    city_management = group.units.get(code="540100D25")
    page.uncheck(f"input[name=units][value='{city_management.pk}']")
    _fits(page)
    page.shot("campaign-group")
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=setup-groups]")
    assert list(group.units.values_list("code", flat=True)) == ["540104"]
    _fits(page)
    page.shot("campaign-set-up")

    # Export, and read the file back.
    with page.expect_download() as download:
        page.click("[data-testid=setup-export]")
    path = tmp_path / "campaign.json"
    download.value.save_as(path)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["campaign"]["name_zh"] == NAME_ZH and document["campaign"]["end"] == "2023-08-31"
    assert [row["code"] for row in document["parts"]["ledger.kinds"]] == ["collective_study", "lecture_theory"]
    groups = [row for row in document["parts"]["campaigns.frame"] if row["type"] == "supervision_group"]
    assert [row["units"] for row in groups if row["number"] == 3] == [["540104"]]

    page.goto("/campaigns/setup/import/")
    page.set_input_files("#id_file", str(path))
    page.fill("#id_name_zh", NAME_ZH + "（读回）")
    _fits(page)
    page.click("[data-testid=import-submit]")
    page.wait_for_selector("[data-testid=setup-name]:has-text('读回')")
    read_back = Campaign.objects.get(name_zh=NAME_ZH + "（读回）")
    assert sorted(read_back.activity_kinds.values_list("code", flat=True)) == ["collective_study", "lecture_theory"]
    assert list(read_back.supervision_groups.get(number=3).units.values_list("code", flat=True)) == ["540104"]
    page.shot("campaign-read-back")


@pytest.mark.parametrize("lang", ["bo", "zh-hans"])
def test_the_set_up_pages_speak_the_readers_language_and_show_their_words_whole(chromium, live_server, world, lang):
    from pathlib import Path

    from campaigns.models import Campaign
    from conftest import PHONE

    checks = (Path(__file__).resolve().parents[2] / "core" / "tests" / "page_checks.js").read_text(encoding="utf-8")
    campaign = Campaign.objects.get(root_unit__code="540100")
    group = campaign.supervision_groups.get(number=3)
    member = campaign.leading_members.order_by("pk").first()
    urls = [
        "/campaigns/setup/",
        f"/campaigns/setup/{campaign.pk}/",
        f"/campaigns/setup/{campaign.pk}/edit/",
        f"/campaigns/setup/{campaign.pk}/leading/{member.pk}/",
        f"/campaigns/setup/{campaign.pk}/groups/{group.pk}/",
        "/campaigns/setup/copy/",
        "/campaigns/setup/import/",
        f"/ledger/campaigns/{campaign.pk}/catalogue/",
    ]
    context = chromium.new_context(viewport=PHONE, base_url=live_server.url)
    context.set_default_timeout(15_000)
    context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page = context.new_page()
    log_in(page, "lhasa-office")
    problems = []
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, url
        assert page.get_attribute("html", "lang") == lang
        _fits(page)
        for kind, items in page.evaluate(checks, lang).items():
            problems += [f"{url} {kind}: {item}" for item in items]
        if url == f"/campaigns/setup/{campaign.pk}/":
            artifacts = Path(__file__).resolve().parents[2] / "test-artifacts"
            artifacts.mkdir(exist_ok=True)
            page.screenshot(path=str(artifacts / f"campaign-set-up-{lang}-phone.png"), full_page=True)
    context.close()
    assert not problems, "\n".join(problems)
