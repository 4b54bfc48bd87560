"""The data-quality checks of concerns, with their catalogue entries (see ``core.quality``;
the quality app finds ``CHECKS`` at start-up and runs them)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from concerns.models import ConcernEvent
from core.quality import BaseCheck, Detail, Entry, Hit

CONCERN = "concerns.concern"
_RESOLVED = ("resolved", "verified")


class FastResolution(BaseCheck):
    code = "concern.fast_resolution"
    model_label = CONCERN
    cheap = True
    entry = Entry(
        severity="medium",
        threshold=1,
        order=110,
        names=("办结过快", "ཐག་གཅོད་མགྱོགས་དྲགས་པ།", "Resolved implausibly fast"),
        descriptions=(
            "从收集到办结的天数少于阈值（1 表示当天办结）。",
            "བསྡུ་ལེན་ནས་ཐག་གཅོད་བར་གྱི་ཉིན་གྲངས་ཚད་གཞི་ལས་ཉུང་བ། (1 ཞེས་པ་ཉིན་དེ་ཉིད་ལ་ཐག་གཅོད་པ།)",
            "Resolved fewer days after it was collected than the threshold (1 means resolved the same day).",
        ),
    )

    messages = {"concern.fast_resolution": _("resolved %(days)s days after it was collected")}

    def _detail(self, collected, resolved, ctx):
        if resolved is None:
            return None
        days = (resolved - collected).days
        return Detail(self.code, {"days": days}) if days < ctx.t(self.code) else None

    def hit(self, obj, ctx):
        return self._detail(obj.collected_on, obj.resolved_on, ctx)

    def find(self, qs, ctx):
        rows = qs.filter(resolved_on__isnull=False).values_list(
            "pk", "unit_id", "region_code", "collected_on", "resolved_on"
        )
        for pk, unit_id, region, collected, resolved in rows.iterator(chunk_size=5000):
            detail = self._detail(collected, resolved, ctx)
            if detail:
                yield Hit(pk, unit_id, region, detail)


class ConcernNoEvidence(BaseCheck):
    code = "concern.no_evidence"
    model_label = CONCERN
    cheap = True
    entry = Entry(
        severity="high",
        threshold=0,
        order=120,
        names=("办结无佐证", "ཐག་གཅོད་བྱས་ཀྱང་ར་སྤྲོད་མེད་པ།", "Resolved without evidence"),
        descriptions=(
            "报告已办结，但没有任何佐证。",
            "ཐག་གཅོད་ཟིན་པའི་སྙན་ཞུ་བྱས་ཀྱང་ར་སྤྲོད་གང་ཡང་མེད།",
            "Reported resolved with no evidence given.",
        ),
    )

    messages = {"concern.no_evidence": _("resolved without evidence")}

    def hit(self, obj, ctx):
        return Detail(self.code) if obj.state in _RESOLVED and not (obj.evidence or "").strip() else None

    def find(self, qs, ctx):
        rows = qs.filter(state__in=_RESOLVED).values_list("pk", "unit_id", "region_code", "evidence")
        for pk, unit_id, region, evidence in rows.iterator(chunk_size=5000):
            if not (evidence or "").strip():
                yield Hit(pk, unit_id, region, Detail(self.code))


class CallbackByResolver(BaseCheck):
    code = "concern.callback_by_resolver"
    model_label = CONCERN
    cheap = True
    entry = Entry(
        severity="high",
        threshold=0,
        order=130,
        names=("回访由办结人本人进行", "ཐག་གཅོད་མཁན་རང་ཉིད་ཀྱིས་ཕྱིར་འདྲི་བྱས་པ།", "Callback made by the resolver"),
        descriptions=(
            "确认办结的回访由办结该诉求的同一账号记录。",
            "ཐག་གཅོད་ར་སྤྲོད་བྱེད་པའི་ཕྱིར་འདྲི་དེ་ཐག་གཅོད་མཁན་གྱི་རྩིས་ཐོ་དེ་ཉིད་ཀྱིས་ཐོ་བཀོད་ཡོད།",
            "The callback that verified the resolution was recorded by the account that resolved the concern.",
        ),
    )

    messages = {"concern.callback_by_resolver": _("the callback was recorded by %(account)s, who resolved it")}

    def find(self, qs, ctx):
        same = ConcernEvent.objects.filter(concern=OuterRef("pk"), kind="callback", actor=OuterRef("resolved_by"))
        rows = qs.filter(resolved_by__isnull=False).filter(Exists(same))
        for pk, unit_id, region, actor in rows.values_list("pk", "unit_id", "region_code", "resolved_by__username"):
            yield Hit(pk, unit_id, region, Detail(self.code, {"account": actor}))


CHECKS = [FastResolution, ConcernNoEvidence, CallbackByResolver]
