"""The feedback slice of the demo province (docs/demo.md, docs/petitions.md): routing rules sending each
demo ward's feedback to its People's Committee, and about twenty petitions in every state — pending,
accepted, waiting for the sender, assigned, drafted, answered, published, refused, transferred to the
Sở Tư pháp, and one rated unhappy and reopened — so the public list, the counters and the staff queue
have something to show. Idempotent: once the demo rules exist, nothing more is created.
"""

from __future__ import annotations

from tinhso.org.demo import DemoContext, DemoLogin, demo_loader
from tinhso.org.models import AdministrativeUnit, Agency

WARDS = [("07900", "H44.101", "viettri"), ("08716", "H44.102", "vinhphuc"), ("04795", "H44.103", "hoabinh"),
         ("08494", "H44.104", "lamthao")]
NOTE = "demo"
QUESTIONS = [
    ("regulation", "Bị yêu cầu nộp giấy xác nhận cư trú khi đăng ký khai sinh",
     "Khi nộp hồ sơ đăng ký khai sinh cho con, tôi được yêu cầu nộp thêm giấy xác nhận cư trú."),
    ("other", "Đèn chiếu sáng đường tổ 5 hỏng đã hai tuần",
     "Đoạn đường tổ 5 không có đèn, buổi tối đi lại nguy hiểm."),
    ("regulation", "Phí chứng thực bản sao thu cao hơn quy định",
     "Tôi bị thu 5.000 đồng mỗi trang khi chứng thực bản sao, cao hơn mức phí công khai."),
    ("conduct", "Cán bộ tiếp nhận hồ sơ thiếu hướng dẫn",
     "Cán bộ tại quầy không hướng dẫn cụ thể, tôi phải đi lại ba lần mới nộp được hồ sơ."),
    ("other", "Rác thải không được thu gom đúng lịch", "Khu dân cư số 3 đã một tuần chưa được thu gom rác."),
]
ANSWER = ("Qua kiểm tra, nội dung phản ánh là đúng. Ủy ban nhân dân đã chấn chỉnh bộ phận liên quan và "
          "hướng dẫn thực hiện theo đúng quy định; cảm ơn Ông/Bà đã phản ánh.")
# The walk of each demo petition: the states it passes through, last one kept.
WALKS = ["pending", "accepted", "info_requested", "assigned", "drafted", "answered", "published", "refused",
         "transferred", "reopened"]


def _logins() -> list[DemoLogin]:
    return [DemoLogin("chuyenvien.viettri", "Đinh Văn Phúc", "Phản ánh: tiếp nhận, dự thảo trả lời", "UBND phường Việt Trì"),
            DemoLogin("chutich.viettri", "Trịnh Thị Thanh Hương", "Phản ánh: phân công, duyệt trả lời",
                      "UBND phường Việt Trì")]


def _u(login):
    from tinhso.accounts.models import User

    return User.objects.get(username=login)


def _walk(petition, until: str, place: str):
    from tinhso.petitions.actions import petition_action_perform

    staff, leader = _u(f"chuyenvien.{place}"), _u(f"chutich.{place}")
    citizen = petition.sender_user

    def act(actor, name, **data):
        petition_action_perform(actor=actor, petition=petition, name=name, data=data)
        petition.refresh_from_db()

    if until == "pending":
        return
    if until == "transferred":
        act(staff, "transfer", agency="H44.02", reason="Nội dung thuộc thẩm quyền của Sở Tư pháp.")
        return
    if until == "refused":
        act(staff, "refuse", reason="Nội dung đã được giải quyết tại kỳ tiếp công dân tháng trước.")
        return
    act(staff, "accept")
    if until == "accepted":
        return
    if until == "info_requested":
        act(staff, "request_info", question="Ông/Bà cho biết thời gian và quầy tiếp nhận cụ thể.")
        return
    act(leader, "assign", assignee=staff.username)
    if until == "assigned":
        return
    act(staff, "draft_answer", answer=ANSWER)
    if until == "drafted":
        return
    act(leader, "approve")
    if until == "answered":
        return
    act(staff, "publish")
    if until == "reopened" and citizen is not None:
        act(citizen, "rate", feedback="unsatisfied")
        act(citizen, "object", reason="Tôi vẫn bị yêu cầu như cũ ở lần nộp sau.")


@demo_loader("petitions.feedback", order=400, logins=_logins)
def load_feedback(ctx: DemoContext) -> None:
    from django.test import override_settings

    from tinhso.petitions.models import RoutingRule
    from tinhso.petitions.services import PetitionDraft, petition_submit

    if RoutingRule.objects.filter(note=NOTE).exists():
        return
    units = {u.code: u for u in AdministrativeUnit.objects.filter(valid_to__isnull=True,
                                                                  code__in=[w[0] for w in WARDS])}
    for position, (unit, agency, _) in enumerate(WARDS, start=1):
        RoutingRule.objects.create(position=position * 10, commune=units[unit], agency=Agency.objects.get(code=agency),
                                   note=NOTE)
    citizens = [_u("025085001234"), _u("026301004567")]
    made = 0
    with override_settings(TINHSO_PETITION_SUBMIT_PER_HOUR=0):
        for index, until in enumerate(WALKS * 2):
            unit, _, place = WARDS[index % len(WARDS)]
            kind, subject, content = QUESTIONS[index % len(QUESTIONS)]
            petition = petition_submit(actor=citizens[index % 2], client_ip="127.0.0.1", draft=PetitionDraft(
                kind=kind, subject=subject, content=content, commune_code=unit))
            _walk(petition, until, place)
            made += 1
    ctx.log(f"phản ánh: {made} phản ánh mẫu ở mọi trạng thái")
