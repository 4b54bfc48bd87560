from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    """Each person's work in front of them: the work inbox (what waits for this account,
    gathered from every app's selectors), the in-app notices and their e-mails, and the
    workflow box on every record that has a workflow. It stands beside the shell, above every
    app it reads; no app imports it (the apps announce their events with their own signals,
    which it listens to)."""

    name = "inbox"
    verbose_name = _("My work")
    # The work inbox leads the home page, above the other apps' panels (see core.panels).
    home_lead_panel = ("inbox/_home_panel.html", "inbox.views.home_panel")
    # Deadline and overdue notices are written by the schedule, never by a page.
    periodic_tasks = {
        "inbox.tasks.send_deadline_notices": 3600,
        "inbox.tasks.send_daily_digest": 3600,
    }

    def ready(self) -> None:
        from inbox import receivers

        receivers.connect()
