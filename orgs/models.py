"""The unit tree, people and accounts: who exists, where, and who may see what."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from core.languages import pick
from orgs.choices import Rank, Role, UnitKind
from orgs.scope import ScopedQuerySet


class UnitQuerySet(ScopedQuerySet, MP_NodeQuerySet):
    pass


class UnitManager(MP_NodeManager):
    def get_queryset(self) -> UnitQuerySet:
        return UnitQuerySet(self.model, using=self._db).order_by("path")

    def visible_to(self, user) -> UnitQuerySet:
        return self.get_queryset().visible_to(user)


class Unit(MP_Node):
    """One organisational unit: a city, county, township, village, department, school,
    enterprise, monastery, barracks or party organisation.

    Units form a materialised-path tree: ``path`` of a unit is a prefix of the path of every
    unit below it, so "this unit and everything under it" is one indexed prefix filter.
    Units are never deleted: a unit that closes or merges keeps its rows valid, is marked
    inactive and may point at the unit it merged into.
    """

    scope_path = "path"

    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        help_text=_("The administrative division code where one exists, e.g. 540102."),
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_bo = models.CharField(_("name (Tibetan)"), max_length=240)
    kind = models.CharField(_("kind"), max_length=24, choices=UnitKind.choices)
    active = models.BooleanField(_("active"), default=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_units",
    )
    party_members = models.PositiveIntegerField(
        _("party members"), default=0, help_text=_("Party members belonging to this unit.")
    )
    headcount = models.PositiveIntegerField(
        _("headcount"),
        null=True,
        blank=True,
        help_text=_("Residents, staff or monks, where known."),
    )
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    region_code = models.CharField(
        _("region"),
        max_length=32,
        db_index=True,
        editable=False,
        help_text=_("Code of the top-level unit this unit belongs to."),
    )

    node_order_by = ["code"]
    objects = UnitManager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        indexes = [models.Index(fields=["kind", "path"], name="unit_kind_path")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def name(self) -> str:
        """The name in the reader's language (Tibetan where it exists, Chinese otherwise)."""
        return pick(self.name_zh, self.name_bo)

    def ancestor_paths(self) -> list[str]:
        """Paths of this unit and every unit above it, top first."""
        step = self.steplen
        return [self.path[: i * step] for i in range(1, len(self.path) // step + 1)]

    def subtree(self) -> UnitQuerySet:
        """This unit and every unit below it: one prefix filter on the path index."""
        return Unit.objects.filter(path__startswith=self.path)


class Person(models.Model):
    """One person known to the campaign: a leader, a cadre, a party member or a lecturer.

    Rank is the cadre rank the seed counts by (prefecture-level leaders, county/division-level
    cadres). A person belongs to one unit; accounts may point at a person.
    """

    scope_path = "unit__path"

    name_zh = models.CharField(_("name (Chinese)"), max_length=60)
    name_bo = models.CharField(_("name (Tibetan)"), max_length=120, blank=True)
    rank = models.CharField(_("rank"), max_length=16, choices=Rank.choices, default=Rank.OTHER)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="people")
    post = models.CharField(_("post"), max_length=120, blank=True)
    party_member = models.BooleanField(_("party member"), default=True)
    active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["unit", "rank"], name="person_unit_rank")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self.name_zh, self.name_bo)


class AccountManager(UserManager.from_queryset(ScopedQuerySet)):  # type: ignore[misc]  (a base built at run time)
    pass


class Account(AbstractUser):
    """One login. It belongs to a unit and has one role; the role and the unit decide what
    the account sees (see ``orgs.scope``). A supervisor's scope is the units its
    supervision group covers."""

    scope_path = "unit__path"

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.REPORTER)
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accounts",
    )
    display_name = models.CharField(_("display name"), max_length=120, blank=True)

    objects = AccountManager()

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self) -> str:
        return self.display_name or self.username


class ApiToken(models.Model):
    """One named API token of one account: how another system (a hotline, a mobile client, a
    province's data centre) acts as that account without its password. The secret is shown
    once, when the token is created; only its SHA-256 is kept. ``prefix`` (random, not
    secret) finds the row; the hash proves the rest. A revoked token is kept (it is what the
    audit log points at) but refused. A token acts with exactly its account's role and scope.

    The table keeps the name it had when tokens belonged to the api app."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("api token", "account"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(pgettext_lazy("api token", "name"), max_length=80)
    prefix = models.CharField(pgettext_lazy("api token", "prefix"), max_length=16, unique=True)
    secret_hash = models.CharField(_("SHA-256 of the token"), max_length=64)
    created = models.DateTimeField(pgettext_lazy("api token", "created"), auto_now_add=True)
    last_used = models.DateTimeField(pgettext_lazy("api token", "last used"), null=True, blank=True)
    revoked = models.DateTimeField(pgettext_lazy("api token", "revoked"), null=True, blank=True)

    class Meta:
        db_table = "api_apitoken"
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked is None
