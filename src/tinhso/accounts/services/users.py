"""Creating users: applicants (citizen by identification number, business by tax code) and staff.

Applicants log in with their identifier as user name, as on the national portal (vn-standards §9).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction

from tinhso.accounts.models import User
from tinhso.core.audit import audit_record
from tinhso.core.errors import Conflict, ValidationFailed
from tinhso.core.text import clean_text
from tinhso.core.validators import normalize_phone, validate_id_number, validate_tax_code


def _password_check(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages), code="weak_password") from exc


def _contact(*, phone: str, email: str) -> dict[str, str]:
    return {"phone": normalize_phone(phone) if phone else "", "email": (email or "").strip().lower()}


@transaction.atomic
def citizen_register(
    *,
    id_number: str,
    full_name: str,
    birth_date: dt.date,
    gender: str,
    password: str,
    phone: str = "",
    email: str = "",
    address: str = "",
) -> User:
    """A citizen account keyed by the 12-digit identification number (checked against birth date and gender)."""
    number = validate_id_number(id_number, birth_date=birth_date, gender=gender)
    if User.objects.filter(id_number=number).exists() or User.objects.filter(username=number).exists():
        raise Conflict("Số định danh cá nhân này đã có tài khoản.", code="id_number_taken")
    user = User(
        username=number,
        kind=User.Kind.CITIZEN,
        id_number=number,
        full_name=clean_text(full_name),
        birth_date=birth_date,
        gender=gender,
        address=clean_text(address),
        **_contact(phone=phone, email=email),
    )
    _password_check(password, user)
    user.set_password(password)
    user.save()
    audit_record(actor=user, action="accounts.citizen_register", target=user, data={"username": number})
    return user


@transaction.atomic
def business_register(
    *, tax_code: str, name: str, password: str, phone: str = "", email: str = "", address: str = ""
) -> User:
    """A business account keyed by its tax code (mod-11 check digit, vn-standards §9.2)."""
    code = validate_tax_code(tax_code)
    if User.objects.filter(tax_code=code).exists() or User.objects.filter(username=code).exists():
        raise Conflict("Mã số thuế này đã có tài khoản.", code="tax_code_taken")
    user = User(
        username=code,
        kind=User.Kind.BUSINESS,
        tax_code=code,
        full_name=clean_text(name),
        address=clean_text(address),
        **_contact(phone=phone, email=email),
    )
    _password_check(password, user)
    user.set_password(password)
    user.save()
    audit_record(actor=user, action="accounts.business_register", target=user, data={"username": code})
    return user


@transaction.atomic
def user_ensure(
    *,
    actor,
    username: str,
    kind: str,
    full_name: str,
    password_hash: str | None = None,
    email: str = "",
    phone: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
    id_number: str | None = None,
    tax_code: str | None = None,
    birth_date: dt.date | None = None,
    gender: str = "",
    address: str = "",
) -> tuple[User, bool]:
    """Create ``username`` or bring its profile to these values (data loads, the demo).

    The password (an already hashed value, so many accounts can share one slow hash) is set only
    when the account is created: re-running a load never resets a password someone changed.
    """
    if kind not in User.Kind.values:
        raise ValidationFailed(f"Loại tài khoản không hợp lệ: {kind}.", code="invalid_user_kind")
    values: dict[str, Any] = {
        "kind": kind,
        "full_name": clean_text(full_name),
        "is_staff": is_staff,
        "is_superuser": is_superuser,
        "id_number": validate_id_number(id_number, birth_date=birth_date, gender=gender) if id_number else None,
        "tax_code": validate_tax_code(tax_code) if tax_code else None,
        "birth_date": birth_date,
        "gender": gender,
        "address": clean_text(address),
        **_contact(phone=phone, email=email),
    }
    user = User.objects.select_for_update().filter(username=username).first()
    if user is None:
        user = User(username=username, **values)
        if password_hash:
            user.password = password_hash
        else:
            user.set_unusable_password()
        user.save()
        audit_record(actor=actor, action="accounts.user_create", target=user, data={"username": username, "kind": kind})
        return user, True
    changed = [name for name, value in values.items() if getattr(user, name) != value]
    if changed:
        for name in changed:
            setattr(user, name, values[name])
        user.save(update_fields=changed)
        audit_record(actor=actor, action="accounts.user_update", target=user, data={"fields": changed})
    return user, bool(changed)
