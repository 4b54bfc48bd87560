from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShellConfig(AppConfig):
    """The shell around the apps: the home page, the navigation, the health and background
    jobs pages and the ``seed_demo`` command. It stands above every app and reads what each
    declares on its AppConfig (``nav_section``, ``home_panel``); no app imports it."""

    name = "shell"
    verbose_name = _("Home")
