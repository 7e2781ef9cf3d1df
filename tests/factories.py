"""factory_boy factories for test data."""

import factory
from django.contrib.auth import get_user_model


class UserFactory(factory.django.DjangoModelFactory):
    """A member of clinic staff who can sign in to the admin."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@clinic.test")
    is_staff = True
    password = factory.django.Password("correct horse battery staple")


class SuperuserFactory(UserFactory):
    """An administrator."""

    is_superuser = True
