from __future__ import annotations

import factory

from xieshang.councils.tests.factories import CouncilFactory, MemberFactory
from xieshang.liaison import models as m
from xieshang.liaison.states import ConstituentKind


class ConstituentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Constituent

    council = factory.SubFactory(CouncilFactory)
    member = factory.SubFactory(MemberFactory, council=factory.SelfAttribute("..council"))
    name = factory.Sequence(lambda n: f"群众{n}")
    kind = ConstituentKind.PERSON
    sector_area = "城关街道"
    phone = factory.Sequence(lambda n: f"139{n:08d}")
