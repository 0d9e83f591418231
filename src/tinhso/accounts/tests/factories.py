import factory
from django.contrib.auth.hashers import make_password

from tinhso.accounts.models import User

PASSWORD = "mat-khau-thu-nghiem-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"canbo{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Cán Bộ {n}")
    kind = User.Kind.STAFF
    password = factory.LazyFunction(lambda: make_password(PASSWORD))
