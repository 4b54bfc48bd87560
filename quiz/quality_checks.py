"""The data-quality checks of quiz attempts, with their catalogue entries (see
``core.quality``; the quality app finds ``CHECKS`` at start-up and runs them)."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from core.quality import BaseCheck, Detail, Entry, Hit
from quiz.models import Attempt

ATTEMPT = "quiz.attempt"


class TooFast(BaseCheck):
    code = "attempt.too_fast"
    model_label = ATTEMPT
    cheap = True
    # ``submitted_at`` is written once, when an open attempt is submitted (the UPDATE checks
    # it is still open), and no check flags an open attempt: that save finds no flag.
    first_flaggable_on = frozenset({"submitted_at"})
    entry = Entry(
        severity="high",
        threshold=3,
        order=310,
        names=("答题速度快于阅读速度", "དྲི་ལན་ཀློག་པའི་མྱུར་ཚད་ལས་མགྱོགས་པ།", "Quiz answered faster than reading allows"),
        descriptions=(
            "从开始到交卷，平均每题用时少于阈值秒数。",
            "འགོ་བཙུགས་ནས་ཤོག་བུ་སྤྲོད་བར་དྲི་བ་རེར་དུས་ཚོད་སྐར་ཆ་ཚད་གཞི་ལས་ཉུང་བ།",
            "Fewer seconds per question than the threshold, from start to submission.",
        ),
    )

    messages = {"attempt.too_fast": _("%(seconds)s seconds per question")}

    def _detail(self, started, submitted, paper, ctx) -> Detail | None:
        if submitted is None or not paper:
            return None
        per_question = (submitted - started).total_seconds() / len(paper)
        if per_question < ctx.t(self.code):
            return Detail(self.code, {"seconds": round(per_question, 1)})
        return None

    def hit(self, obj, ctx):
        return self._detail(obj.started_at, obj.submitted_at, obj.paper, ctx)

    def find(self, qs, ctx):
        rows = qs.filter(submitted_at__isnull=False).values_list(
            "pk", "unit_id", "region_code", "started_at", "submitted_at", "paper"
        )
        for pk, unit_id, region, started, submitted, paper in rows.iterator(chunk_size=5000):
            detail = self._detail(started, submitted, paper, ctx)
            if detail:
                yield Hit(pk, unit_id, region, detail)


class SameAnswers(BaseCheck):
    code = "attempt.same_answers"
    model_label = ATTEMPT
    entry = Entry(
        severity="medium",
        threshold=5,
        order=320,
        names=("多人答案序列完全相同", "མི་མང་པོའི་ལན་གྱི་གོ་རིམ་གཅིག་མཚུངས།", "Identical answer sequences from many takers"),
        descriptions=(
            "同一次答题中，答案序列完全相同的已交答卷不少于阈值份。",
            "དྲི་ལན་གཅིག་གི་ནང་ལན་གྱི་གོ་རིམ་གཅིག་མཚུངས་ཀྱི་ཤོག་བུ་ཚད་གཞི་ལས་མི་ཉུང་བ།",
            "At least the threshold's number of submitted attempts at one quiz have exactly the same sequence "
            "of answers.",
        ),
    )

    messages = {"attempt.same_answers": _("%(attempts)s attempts with the same answers")}

    def find(self, qs, ctx):
        need = max(int(ctx.t(self.code)), 2)
        pks = set(qs.filter(submitted_at__isnull=False).values_list("pk", flat=True))
        if not pks:
            return
        quizzes = set(Attempt.objects.filter(pk__in=pks).values_list("quiz_id", flat=True).distinct())
        groups: dict[tuple, list[tuple]] = defaultdict(list)
        rows = Attempt.objects.filter(quiz_id__in=quizzes, submitted_at__isnull=False).values_list(
            "pk", "unit_id", "region_code", "quiz_id", "answers"
        )
        for pk, unit_id, region, quiz_id, answers in rows.iterator(chunk_size=5000):
            if answers and any(answers):
                groups[(quiz_id, tuple(answers))].append((pk, unit_id, region))
        for _key, members in groups.items():
            if len(members) >= need:
                for pk, unit_id, region in members:
                    if pk in pks:
                        yield Hit(pk, unit_id, region, Detail(self.code, {"attempts": len(members)}))


CHECKS = [TooFast, SameAnswers]
