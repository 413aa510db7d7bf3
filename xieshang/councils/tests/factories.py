from __future__ import annotations

import datetime as dt

import factory

from xieshang.accounts.models import User
from xieshang.councils import models as m


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", "Xieshang-2026!")

    @factory.post_generation
    def persist(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Council

    slug = factory.Sequence(lambda n: f"council-{n}")
    name = factory.Sequence(lambda n: f"测试市政协{n}")
    level = m.Level.CITY


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Term

    council = factory.SubFactory(CouncilFactory)
    number = 14
    starts_on = dt.date(2023, 1, 1)
    ends_on = dt.date(2027, 12, 31)
    is_current = True


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Sector

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"界别{n}")


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Affiliation

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"党派{n}")


class HandlingUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.HandlingUnit

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"市第{n}局")


class OversightOfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.OversightOffice

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"市委办公室{n}")
    kind = m.OversightKind.PARTY_COMMITTEE


class MemberGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.MemberGroup

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"委员联系小组{n}")
    kind = m.MemberGroupKind.CONTACT


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Member

    council = factory.SubFactory(CouncilFactory)
    term = factory.LazyAttribute(lambda o: TermFactory(council=o.council))
    full_name = factory.Sequence(lambda n: f"委员{n}")
    gender = m.Gender.FEMALE
    mobile = factory.Sequence(lambda n: f"139{n:08d}")


class CouncilRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.CouncilRole

    council = factory.SubFactory(CouncilFactory)
    user = factory.SubFactory(UserFactory)
    role = m.Role.MEMBER
