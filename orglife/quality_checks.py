"""The data-quality checks of rectification measures, with their catalogue entries (see
``core.quality``; the quality app finds ``CHECKS`` at start-up and runs them)."""

from __future__ import annotations

from django.db.models import F, Q

from core.quality import BaseCheck, Entry, Hit


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

    @staticmethod
    def _detail(set_on, done_on, verified_on, closed_on) -> str | None:
        for label, day in (("done", done_on), ("verified", verified_on), ("closed", closed_on)):
            if day is not None and day < set_on:
                return f"{label} {day:%Y-%m-%d} < set {set_on:%Y-%m-%d}"
        if verified_on is not None and done_on is not None and verified_on < done_on:
            return f"verified {verified_on:%Y-%m-%d} < done {done_on:%Y-%m-%d}"
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


CHECKS = [MeasureDates]
