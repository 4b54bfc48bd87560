from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizConfig(AppConfig):
    name = "quiz"
    verbose_name = _("Online quiz")
    nav_section = (
        55,
        _("Online quiz"),
        "quiz:index",
        ("office_admin", "reporter", "leader", "supervisor", "participant"),
    )
    # Attempts whose time is up are written closed every minute (core/schedule.py).
    periodic_tasks = {"quiz.tasks.close_expired_attempts": 60}

    def ready(self) -> None:
        from campaigns import transfer as campaign_transfer
        from quiz import transfer

        # The question bank a campaign's quizzes draw from, as a part of its set-up.
        campaign_transfer.register(transfer.PART)
