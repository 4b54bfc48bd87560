"""The data-quality checks of rectification measures, with their catalogue entries (see
``core.quality``; the quality app finds ``CHECKS`` at start-up and runs them)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.quality import BaseCheck, Detail, Entry, Hit, spreads
from orglife.models import Meeting


class MeasureDates(BaseCheck):
    code = "measure.dates_out_of_order"
    model_label = "orglife.measure"
    cheap = True
    entry = Entry(
        severity="high",
        threshold=0,
        order=210,
        names=(
            "整改措施在制定前已完成或销号",
            "ལེགས་བཅོས་ཐབས་ཇུས་མ་བཟོས་གོང་ལེགས་གྲུབ་བམ་མིང་བསུབ་པ།",
            "Measure closed before it was opened",
        ),
        descriptions=(
            "整改措施的完成、核实或销号日期早于制定日期，或核实早于完成。",
            "ལེགས་བཅོས་ཐབས་ཇུས་ལེགས་གྲུབ་དང་ཞིབ་བཤེར། མིང་བསུབ་པའི་ཚེས་གྲངས་བཟོས་པའི་ཚེས་གྲངས་ལས་སྔ་བ། ཡང་ན་ཞིབ་བཤེར་ལེགས་གྲུབ་ལས་སྔ་བ།",
            "The measure was done, verified or closed before it was set, or verified before it was done.",
        ),
    )

    messages = {
        "measure.done_before_set": _("done on %(date)s, before it was set on %(set_on)s"),
        "measure.verified_before_set": _("verified on %(date)s, before it was set on %(set_on)s"),
        "measure.closed_before_set": _("closed on %(date)s, before it was set on %(set_on)s"),
        "measure.verified_before_done": _("verified on %(date)s, before it was done on %(done_on)s"),
    }

    @staticmethod
    def _detail(set_on, done_on, verified_on, closed_on) -> Detail | None:
        for label, day in (("done", done_on), ("verified", verified_on), ("closed", closed_on)):
            if day is not None and day < set_on:
                return Detail(f"measure.{label}_before_set", {"date": day.isoformat(), "set_on": set_on.isoformat()})
        if verified_on is not None and done_on is not None and verified_on < done_on:
            return Detail(
                "measure.verified_before_done", {"date": verified_on.isoformat(), "done_on": done_on.isoformat()}
            )
        return None

    def hit(self, obj, ctx):
        return self._detail(obj.set_on, obj.done_on, obj.verified_on, obj.closed_on)

    def find(self, qs, ctx):
        wrong = (
            Q(done_on__lt=F("set_on"))
            | Q(verified_on__lt=F("set_on"))
            | Q(closed_on__lt=F("set_on"))
            | Q(verified_on__lt=F("done_on"))
        )
        rows = qs.filter(wrong).values_list(
            "pk", "unit_id", "region_code", "set_on", "done_on", "verified_on", "closed_on"
        )
        for pk, unit_id, region, *days in rows.iterator(chunk_size=5000):
            detail = self._detail(*days)
            if detail:
                yield Hit(pk, unit_id, region, detail)


class UnusualAttendance(BaseCheck):
    code = "meeting.unusual_attendance"
    model_label = "orglife.meeting"
    entry = Entry(
        severity="high",
        threshold=5,
        order=220,
        names=(
            "参会人数远超同层级组织生活会的通常水平",
            "ཚོགས་འདུར་ཞུགས་མི་གྲངས་རིམ་པ་མཚུངས་ཀྱི་སྒྲིག་འཛུགས་འཚོ་བའི་ཚོགས་འདུའི་རྒྱུན་ལྡན་ཚད་ལས་ཧ་ཅང་བརྒལ་བ།",
            "Far more members attending than usual at the level",
        ),
        descriptions=(
            "组织生活会的参会党员数（取对数）与同层级组织的中位数相差超过阈值倍的稳健离散度（中位数绝对偏差）。"
            "阈值默认5，越大越宽。",
            "སྒྲིག་འཛུགས་འཚོ་བའི་ཚོགས་འདུར་ཞུགས་པའི་ཏང་མིའི་གྲངས་(ལོ་གར་ཚད་)རིམ་པ་མཚུངས་ཀྱི་སྒྲིག་འཛུགས་ཀྱི་བར་གྲངས་ལས་"
            "ཚད་གཞིའི་ལྡབ་ཀྱི་གཏོང་ཚད་བརྟན་པོ་ལས་བརྒལ་བ། ཚད་གཞི་སྔོན་སྒྲིག་5། ཆེ་ན་ལྷོད།",
            "The members attending a meeting (on a log scale) lie more than the threshold times the robust spread "
            "(median absolute deviation) above the median of organisations at the same level. Threshold 5 by "
            "default; larger is more lenient.",
        ),
    )

    messages = {"meeting.unusual_attendance": _("%(count)s attendees, where %(usual)s is usual")}

    def find(self, qs, ctx):
        if "attendance_spreads" not in ctx.cache:
            groups: dict[int | None, list[float]] = defaultdict(list)
            rows = Meeting.objects.filter(attendee_count__gt=0).order_by()
            for depth, count in rows.values_list("unit__depth", "attendee_count").iterator(chunk_size=20000):
                groups[depth].append(count)
                groups[None].append(count)
            ctx.cache["attendance_spreads"] = spreads(groups)
        known = ctx.cache["attendance_spreads"]
        limit = ctx.t(self.code)
        rows = qs.filter(attendee_count__gt=0).values_list(
            "pk", "unit_id", "region_code", "unit__depth", "attendee_count"
        )
        for pk, unit_id, region, depth, count in rows.iterator(chunk_size=5000):
            spread = known.get(depth) or known.get(None)
            if spread is not None and spread.score(count) > limit:
                yield Hit(pk, unit_id, region, Detail(self.code, {"count": count, "usual": round(spread.usual)}))


CHECKS = [MeasureDates, UnusualAttendance]
