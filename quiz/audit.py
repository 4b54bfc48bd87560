"""Every quiz model is registered. Live answers are written only with one INSERT of empty
answers (at the start) and UPDATEs (one UPDATE per answer, the hot path), which make no audit
entries: an attempt's answers are recorded when it is submitted. A light sign-in's binding
of its one-time code is recorded by the new taker's entry (``services._bind_code``)."""

from auditlog.registry import auditlog

from quiz.models import Answer, Attempt, Category, Option, Question, Quiz, QuizCode, QuizQuota, QuizTaker, Tag

auditlog.register(Category)
auditlog.register(Tag)
auditlog.register(Question, m2m_fields={"tags"})
auditlog.register(Option)
auditlog.register(Quiz)
auditlog.register(QuizQuota)
auditlog.register(QuizCode)
auditlog.register(QuizTaker, exclude_fields=["code"])  # the code records its taker
auditlog.register(Attempt, include_fields=["submitted_at", "score", "passed", "flagged_fast", "review", "answers"])
auditlog.register(Answer)
