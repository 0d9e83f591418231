"""The sender's identity: seen only by the handling agency's staff (each read logged) and the sender,
masked in lists, hidden from the officer a conduct complaint names and from the public."""

from __future__ import annotations

import pytest

from tinhso.core.errors import NotFound, RateLimited
from tinhso.core.models import AuditEntry
from tinhso.petitions.errors import PetitionError
from tinhso.petitions.selectors import petition_detail, petition_lookup, petition_public_list, petition_queue


def reads(actor):
    return AuditEntry.objects.filter(action="personal_data.read", actor=actor).count()


def test_handling_staff_see_the_sender_and_the_read_is_logged(world, send):
    p = send()
    view = petition_detail(actor=world.reception, code=p.code)
    assert view.sender_visible and reads(world.reception) == 1
    mine = petition_detail(actor=world.citizen, code=p.code)
    assert mine.sender_visible and reads(world.citizen) == 0  # one's own data is not a staff read


def test_other_people_see_nothing(world, send):
    p = send()
    for actor in (world.outsider, world.other_citizen, world.dept_reception):
        with pytest.raises(NotFound):
            petition_detail(actor=actor, code=p.code)


def test_the_officer_concerned_never_sees_the_sender(world, send):
    p = send(kind="conduct", named_officer="canbo-bi-phan-anh", subject="Cán bộ gây khó khăn")
    view = petition_detail(actor=world.officer, code=p.code)
    assert not view.sender_visible and view.attachments == [] and reads(world.officer) == 0
    assert p.code not in [x.code for x in petition_queue(actor=world.officer).items]
    assert p.code in [x.code for x in petition_queue(actor=world.reception).items]


def test_after_a_transfer_the_former_agency_keeps_the_history_not_the_sender(world, send, act):
    p = act(world.reception, send(), "transfer", agency="H44.02", reason="Thẩm quyền của Sở")
    view = petition_detail(actor=world.reception, code=p.code)
    assert not view.sender_visible
    assert petition_detail(actor=world.dept_reception, code=p.code).sender_visible


def test_lookup_by_code_and_phone(world, send, settings):
    p = send()
    view = petition_lookup(code=p.code.lower(), phone="0912 345 678", client_ip="10.1.1.1")
    assert view.petition == p and view.context.is_sender
    with pytest.raises(NotFound) as wrong:
        petition_lookup(code=p.code, phone="0987654321", client_ip="10.1.1.1")
    assert wrong.value.code == PetitionError.LOOKUP_FAILED
    settings.TINHSO_PETITION_LOOKUP_PER_HOUR = 2
    with pytest.raises(RateLimited):
        petition_lookup(code=p.code, phone="0912345678", client_ip="10.1.1.1")


def test_public_list_has_no_sender_and_searches_without_diacritics(world, send, act):
    p = send(subject="Giấy xác nhận cư trú khi đăng ký khai sinh")
    p = act(world.reception, p, "accept")
    p = act(world.leader, p, "assign", assignee="chuyenvien")
    p = act(world.specialist, p, "draft_answer", answer="Không yêu cầu giấy xác nhận cư trú.")
    p = act(world.reception, act(world.leader, p, "approve"), "publish")
    send(subject="Đường ngập nước")  # not answered: not listed
    for query in ("xác nhận cư trú", "xac nhan cu tru", "XAC NHAN"):
        page = petition_public_list(q=query)
        assert [x.code for x in page.items] == [p.code]
    assert petition_public_list(q="ngap nuoc").count == 0
    assert petition_public_list(agency="H44.02").count == 0
    assert "sender_name" in page.items[0].get_deferred_fields()
