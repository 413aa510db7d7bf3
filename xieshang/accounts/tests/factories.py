from __future__ import annotations

import factory

from xieshang.accounts.models import User

PASSWORD = "Xieshang-2026!"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def persist(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()
