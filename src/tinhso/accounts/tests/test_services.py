import datetime as dt

import pytest

from tinhso.accounts.models import User
from tinhso.accounts.services import business_register, citizen_register, user_ensure
from tinhso.core.errors import Conflict, ValidationFailed

pytestmark = pytest.mark.django_db

STRONG = "Mat-khau-manh-2026"


def test_citizen_registers_with_a_consistent_identification_number():
    user = citizen_register(
        id_number="025 085 001 234", full_name="  Nguyễn   Văn An ", birth_date=dt.date(1985, 3, 12),
        gender="male", password=STRONG, phone="+84 912 000 101",
    )
    assert (user.username, user.id_number, user.kind) == ("025085001234", "025085001234", "citizen")
    assert user.full_name == "Nguyễn Văn An" and user.phone == "0912000101"
    assert user.check_password(STRONG)


@pytest.mark.parametrize(
    ("id_number", "birth_date", "gender"),
    [
        ("025085001234", dt.date(1986, 3, 12), "male"),  # year 85 in the number
        ("025085001234", dt.date(1985, 3, 12), "female"),  # digit 0 = male born 19xx
        ("12345678901", dt.date(1985, 3, 12), "male"),  # 11 digits
    ],
)
def test_inconsistent_identification_numbers_are_refused(id_number, birth_date, gender):
    with pytest.raises(ValidationFailed) as info:
        citizen_register(id_number=id_number, full_name="An", birth_date=birth_date, gender=gender, password=STRONG)
    assert info.value.code == "invalid_id_number"


def test_one_account_per_identification_number_and_weak_passwords_refused():
    citizen_register(id_number="026301004567", full_name="Trần Thị Bình", birth_date=dt.date(2001, 7, 20),
                     gender="female", password=STRONG)
    with pytest.raises(Conflict) as info:
        citizen_register(id_number="026301004567", full_name="Trần Thị Bình", birth_date=dt.date(2001, 7, 20),
                         gender="female", password=STRONG)
    assert info.value.code == "id_number_taken"
    with pytest.raises(ValidationFailed) as weak:
        citizen_register(id_number="025085001234", full_name="An", birth_date=dt.date(1985, 3, 12),
                         gender="male", password="12345678")
    assert weak.value.code == "weak_password"
    assert not User.objects.filter(username="025085001234").exists()


def test_business_registers_with_a_valid_tax_code():
    user = business_register(tax_code="2601234567", name="Công ty TNHH Chè Đất Tổ", password=STRONG)
    assert (user.username, user.tax_code, user.kind) == ("2601234567", "2601234567", "business")
    with pytest.raises(ValidationFailed) as info:
        business_register(tax_code="2601234568", name="Sai chữ số kiểm tra", password=STRONG)
    assert info.value.code == "invalid_tax_code"


def test_user_ensure_never_resets_a_password():
    user, created = user_ensure(actor=None, username="motcua", kind="staff", full_name="Ngô Thị Mai",
                                password_hash=None)
    assert created and not user.has_usable_password()
    user.set_password(STRONG)
    user.save()
    again, changed = user_ensure(actor=None, username="motcua", kind="staff", full_name="Ngô Thị Mai")
    assert not changed and again.check_password(STRONG)


def test_identifiers_are_unique_but_optional():
    User.objects.create(username="a")
    User.objects.create(username="b")  # two accounts without id_number/tax_code
    assert User.objects.filter(id_number__isnull=True, tax_code__isnull=True).count() == 2
