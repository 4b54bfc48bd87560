"""Factories for the rows of the unit tree, its people and its accounts, for tests.

``UnitFactory(parent=...)`` puts the unit in the tree (treebeard's ``add_root`` or
``add_child``) and gives it its parent's region code, as the services do; a unit without a
parent is a top-level unit whose region is itself. Accounts share one password hash (the
hasher is slow on purpose), made once.
"""

from __future__ import annotations

import functools

import factory
from factory.django import DjangoModelFactory

from core.seeding import DEMO_PASSWORD
from orgs.choices import Rank, Role, UnitKind
from orgs.models import Account, Person, Unit


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    parent: Unit | None = None
    code = factory.Sequence(lambda n: f"T{n:05d}")
    name_zh = factory.LazyAttribute(lambda o: f"测试单位{o.code}")
    name_bo = factory.LazyAttribute(lambda o: f"ཚོད་ལྟའི་སྡེ་ཚན་{o.code}")
    kind = UnitKind.VILLAGE

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        parent = kwargs.pop("parent")
        if parent is None:
            kwargs.setdefault("region_code", kwargs["code"])
            return model_class.objects.add_root(create_kwargs=kwargs)
        kwargs.setdefault("region_code", parent.region_code)
        return model_class.objects.add_child(parent, create_kwargs=kwargs)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    name_zh = factory.Sequence(lambda n: f"干部{n}")
    name_bo = factory.Sequence(lambda n: f"ལས་བྱེད་པ་{n}།")
    rank = Rank.OTHER
    unit = factory.SubFactory(UnitFactory)


@functools.cache
def _password_hash() -> str:
    template = Account(username="template")
    template.set_password(DEMO_PASSWORD)
    return template.password


class AccountFactory(DjangoModelFactory):
    class Meta:
        model = Account
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"account-{n}")
    unit = factory.SubFactory(UnitFactory)
    role = Role.REPORTER
    display_name = factory.LazyAttribute(lambda o: o.username)
    password = factory.LazyFunction(_password_hash)
