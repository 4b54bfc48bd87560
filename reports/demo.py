"""The demo campaign's report template: the 2021 report as the platform ships it
(``reports/data/report-2021.json``), stored as the campaign's first version so the office can
edit it."""

from __future__ import annotations

from core.seeding import DemoContext


def build(ctx: DemoContext) -> None:
    from reports.services import install_template
    from reports.template import shipped_document

    campaign = ctx.made.get("campaign")
    if campaign is not None:
        install_template(campaign=campaign, document=shipped_document(), check=False)
        ctx.log("  report template: the 2021 report, version 1")
