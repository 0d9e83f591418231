"""The rating pages: from "Hồ sơ của tôi" and the invitation link (owner's login), once per dossier and
editable in the window; the desk's kiosk (no login, the dossier that desk returned, nothing personal)."""

from __future__ import annotations

import pytest
from django.test import Client

from tinhso.dossiers.tests.conftest import submit, world  # noqa: F401 - fixtures
from tinhso.ratings.models import Rating
from tinhso.ratings.services import kiosk_desk_create, kiosk_offer_returned
from tinhso.ratings.tests.conftest import all_levels, returned  # noqa: F401 - fixtures
from tinhso.ratings.tokens import rating_token

pytestmark = pytest.mark.django_db


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def answers(level: str) -> dict:
    return {f"c_{code}": value for code, value in all_levels(level).items()}


def test_the_owner_rates_from_my_dossiers_once(world, returned):  # noqa: F811
    dossier = returned()
    client = as_user(world.citizen)
    listing = client.get("/ho-so-cua-toi/").content.decode()
    assert f"/ho-so-cua-toi/{dossier.code}/danh-gia/" in listing
    assert f"/ho-so-cua-toi/{dossier.code}/danh-gia/" in client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    page = client.get(f"/ho-so-cua-toi/{dossier.code}/danh-gia/").content.decode()
    assert "Thái độ của cán bộ" in page and page.count('type="radio"') == 27
    missing = answers("satisfied")
    missing.pop("c_thai-do")
    incomplete = client.post(f"/ho-so-cua-toi/{dossier.code}/danh-gia/", missing)
    assert incomplete.status_code == 422 and "Vui lòng chọn một mức" in incomplete.content.decode()
    markup = client.post(f"/ho-so-cua-toi/{dossier.code}/danh-gia/", {**answers("satisfied"),
                                                                        "comment": "<b>tốt</b>"})
    assert markup.status_code == 422 and not Rating.objects.exists()
    done = client.post(f"/ho-so-cua-toi/{dossier.code}/danh-gia/", answers("very_satisfied"))
    assert done.status_code == 302 and Rating.objects.get().score == 18
    shown = client.get(f"/ho-so-cua-toi/{dossier.code}/danh-gia/").content.decode()
    assert "Ông/Bà đã đánh giá hồ sơ này" in shown and "Sửa đánh giá" in shown
    assert "Đã đánh giá" in client.get("/ho-so-cua-toi/").content.decode()
    edited = client.post(f"/ho-so-cua-toi/{dossier.code}/danh-gia/", answers("satisfied"))
    assert edited.status_code == 302 and Rating.objects.get().score == 9 and Rating.objects.count() == 1


def test_not_returned_and_somebody_elses_dossier(world, returned):  # noqa: F811
    waiting = returned(status="resolved")
    page = as_user(world.citizen).get(f"/ho-so-cua-toi/{waiting.code}/danh-gia/").content.decode()
    assert "chưa được trả kết quả" in page
    refused = as_user(world.citizen).post(f"/ho-so-cua-toi/{waiting.code}/danh-gia/", answers("satisfied"))
    assert refused.status_code == 302 and not Rating.objects.exists()
    mine = returned()
    assert as_user(world.other_citizen).get(f"/ho-so-cua-toi/{mine.code}/danh-gia/").status_code == 404
    assert as_user(world.other_citizen).post(f"/ho-so-cua-toi/{mine.code}/danh-gia/",
                                             answers("satisfied")).status_code == 404
    assert not Rating.objects.exists()


def test_the_invitation_link_needs_the_owners_login(world, returned):  # noqa: F811
    dossier = returned()
    link = f"/danh-gia/{rating_token(dossier.pk)}/"
    assert as_user(world.citizen).get(link)["Location"] == f"/ho-so-cua-toi/{dossier.code}/danh-gia/"
    anonymous = Client().get(link, follow=True)
    assert "/tai-khoan/dang-nhap/" in anonymous.redirect_chain[-1][0]
    assert Client().get("/danh-gia/gia-mao/").status_code == 404


def test_the_kiosk_offers_only_its_desks_dossier(world, returned):  # noqa: F811
    desk = kiosk_desk_create(agency=world.centre, name="Quầy số 1", officer=world.reception)
    dossier = returned()
    kiosk = Client()
    idle = kiosk.get(f"/quay-danh-gia/{desk.token}/").content.decode()
    assert "Mời Ông/Bà đánh giá" in idle and 'http-equiv="refresh"' in idle
    kiosk_offer_returned(dossier_id=dossier.pk, officer_id=world.reception.pk)
    page = kiosk.get(f"/quay-danh-gia/{desk.token}/").content.decode()
    assert dossier.code in page and "Nguyễn Văn An" not in page and "Đăng xuất" not in page
    other = returned()
    wrong = kiosk.post(f"/quay-danh-gia/{desk.token}/", {"dossier": other.code, **answers("satisfied")})
    assert wrong.status_code == 302 and not Rating.objects.exists()
    thanks = kiosk.post(f"/quay-danh-gia/{desk.token}/", {"dossier": dossier.code, **answers("very_satisfied")})
    assert thanks.status_code == 200 and "Cảm ơn" in thanks.content.decode()
    assert Rating.objects.get().channel == "kiosk"
    assert "Mời Ông/Bà đánh giá" in kiosk.get(f"/quay-danh-gia/{desk.token}/").content.decode()
    assert kiosk.get("/quay-danh-gia/khong-co/").status_code == 404
