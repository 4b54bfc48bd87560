"""The online quiz (seed section 2, 网上答题): a bilingual question bank, quizzes that a unit's
subtree may take, the people who take them and their attempts.

Writes to the hot path (saving one answer) touch one row of ``Answer`` with one UPDATE; an
attempt is scored once, at submission, and its answers are then folded into the attempt
(``answers`` and ``marks``) so that results and figures read one row per attempt.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.languages import pick
from orgs.models import Unit
from orgs.scope import ScopedQuerySet
from quiz.choices import Difficulty, QuestionStatus, QuestionType, Review


class Category(models.Model):
    """One category of the question bank (a small tree: a parent FK). Quotas of a quiz
    draw from a category and every category below it."""

    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_bo = models.CharField(_("name (Tibetan)"), max_length=240)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    key = models.SlugField(_("key"), max_length=40, unique=True, help_text=_("A stable key used by imports."))

    class Meta:
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self.name_zh, self.name_bo)


class Tag(models.Model):
    """One tag that questions may carry (meeting, place, date, Tibet ...)."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=60)
    name_bo = models.CharField(_("name (Tibetan)"), max_length=120)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self.name_zh, self.name_bo)


class Question(models.Model):
    """One question of the bank, in Chinese and Tibetan, with its options and explanation.

    A question is published only when its text, explanation and every option exist in both
    languages; only published questions are drawn into papers. ``version`` rises with every
    edit, so that a paper can tell which wording it showed.
    """

    key = models.CharField(_("key"), max_length=40, unique=True, help_text=_("A stable key used by imports."))
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="questions"
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="questions")
    type = models.CharField(_("type"), max_length=12, choices=QuestionType.choices)
    text_zh = models.TextField(_("text (Chinese)"))
    text_bo = models.TextField(_("text (Tibetan)"), blank=True)
    explanation_zh = models.TextField(_("explanation (Chinese)"), blank=True)
    explanation_bo = models.TextField(_("explanation (Tibetan)"), blank=True)
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    source = models.CharField(_("source"), max_length=240, blank=True, help_text=_("Where the fact can be checked."))
    status = models.CharField(_("status"), max_length=12, choices=QuestionStatus.choices, default=QuestionStatus.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["category__order", "key"]
        indexes = [models.Index(fields=["status", "category"], name="question_status_category")]

    def __str__(self) -> str:
        return self.key

    @property
    def text(self) -> str:
        return pick(self.text_zh, self.text_bo)

    @property
    def explanation(self) -> str:
        return pick(self.explanation_zh, self.explanation_bo)


class Option(models.Model):
    """One option of a question; ``order`` is its place in the bank (papers shuffle it).
    ``is_correct`` never leaves the server before the attempt is submitted."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options", verbose_name=_("question"))
    text_zh = models.CharField(_("text (Chinese)"), max_length=400)
    text_bo = models.CharField(_("text (Tibetan)"), max_length=800, blank=True)
    is_correct = models.BooleanField(_("correct"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["question", "order"]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return pick(self.text_zh, self.text_bo)


class Quiz(models.Model):
    """One quiz of a campaign that the people of one unit's subtree may take between its
    opening and closing time, each on a paper drawn for them by the category quotas.

    Access: a signed-in account whose unit lies in the subtree, or a light sign-in (name,
    unit chosen from the subtree and a one-time code of this quiz, see ``QuizCode``).
    """

    scope_path = "unit__path"

    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="quizzes"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="quizzes",
        help_text=_("The people of this unit and every unit below it may take the quiz."),
    )
    region_code = models.CharField(_("region"), max_length=32, db_index=True, editable=False)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_bo = models.CharField(_("title (Tibetan)"), max_length=400)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    time_limit_seconds = models.PositiveIntegerField(_("time limit (seconds)"), default=1200)
    attempts_allowed = models.PositiveSmallIntegerField(_("attempts allowed"), default=1)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=60)
    min_seconds_per_question = models.DecimalField(
        _("minimum seconds per question"),
        max_digits=4,
        decimal_places=1,
        default=2,
        help_text=_("Attempts answered faster than this on average are flagged for the office."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        ordering = ["-opens_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return pick(self.title_zh, self.title_bo)

    @property
    def paper_size(self) -> int:
        return sum(q.count for q in self.quotas.all())


class QuizQuota(models.Model):
    """How many questions a quiz's paper draws from one category (and the categories below
    it)."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="quotas", verbose_name=_("quiz"))
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+", verbose_name=_("category"))
    count = models.PositiveSmallIntegerField(_("questions"))

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        ordering = ["quiz", "pk"]
        constraints = [models.UniqueConstraint(fields=["quiz", "category"], name="quiz_quota_once")]


class QuizCode(models.Model):
    """One one-time code of a quiz, handed to one person (on a slip, by their unit). The
    first light sign-in with it binds it to that taker; later sign-ins with the same code
    must give the same name and unit (to resume), any other is refused."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="codes", verbose_name=_("quiz"))
    code = models.CharField(_("code"), max_length=16)
    taker = models.OneToOneField(
        "QuizTaker", null=True, blank=True, on_delete=models.SET_NULL, related_name="code", verbose_name=_("taker")
    )
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        constraints = [models.UniqueConstraint(fields=["quiz", "code"], name="quiz_code_once")]


class QuizTaker(models.Model):
    """One person taking quizzes: an account, or a light sign-in (a name and a unit, no ID
    number and no Django account)."""

    scope_path = "unit__path"

    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="quiz_taker",
        verbose_name=_("account"),
    )
    name = models.CharField(_("name"), max_length=60)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="quiz_takers", verbose_name=_("unit"))
    region_code = models.CharField(_("region"), max_length=32, db_index=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("quiz taker")
        verbose_name_plural = _("quiz takers")

    def __str__(self) -> str:
        return self.name


class Attempt(models.Model):
    """One person's attempt at one quiz: the paper drawn for them (question ids and the
    order their options were shown in), the deadline fixed at the start, and — once
    submitted — the answers given, the marks, the score and whether it passed.

    A submitted attempt counts in the figures unless it was flagged as answered faster than a
    person can read and the office has not accepted it. At most one open attempt per person
    and quiz (a partial unique constraint).
    """

    scope_path = "unit__path"

    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts", verbose_name=_("quiz"))
    taker = models.ForeignKey(QuizTaker, on_delete=models.PROTECT, related_name="attempts", verbose_name=_("taker"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="quiz_attempts", verbose_name=_("unit"))
    region_code = models.CharField(_("region"), max_length=32, db_index=True, editable=False)
    started_at = models.DateTimeField(_("started"))
    deadline = models.DateTimeField(_("deadline"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    paper = models.JSONField(_("paper"), default=list, help_text=_("[[question id, option order], ...]"))
    answers = models.JSONField(_("answers"), default=list, blank=True)
    marks = models.CharField(_("marks"), max_length=200, blank=True, help_text=_("1 per right answer, 0 per wrong."))
    correct = models.PositiveSmallIntegerField(_("right answers"), default=0)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    passed = models.BooleanField(_("passed"), default=False)
    flagged_fast = models.BooleanField(_("answered too fast"), default=False)
    review = models.CharField(_("review"), max_length=10, choices=Review.choices, default=Review.NONE, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "taker"], condition=Q(submitted_at__isnull=True), name="attempt_one_open"
            )
        ]
        indexes = [
            models.Index(fields=["quiz", "submitted_at"], name="attempt_quiz_submitted"),
            # Serves every read by submission time, and covers the quiz's figures (participants,
            # average score, pass rate), so that they are read from the index alone, not from
            # the attempts with their papers.
            models.Index(fields=["submitted_at", "review", "unit", "taker", "passed", "score"], name="attempt_figures"),
        ]

    def __str__(self) -> str:
        return f"{self.quiz_id}/{self.taker_id}/{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.submitted_at is None


class Answer(models.Model):
    """One question of an open attempt's paper and the letters chosen for it so far (one
    UPDATE per answer given). Folded into the attempt at submission."""

    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="live_answers", verbose_name=_("attempt")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    chosen = models.CharField(_("chosen"), max_length=8, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["attempt", "position"], name="answer_position_once")]
