"""The documents slice of the demo province (docs/demo.md, docs/documents.md): notation profiles for the
agencies, demo staff for the steps the one-stop-shop staff do not cover, and a few hundred documents
in every state — a decision of the people's committee to the communes, công văn between a commune and
the Sở Tư pháp answered by a reply, an urgent one, an overdue one, a secret one, drafts at each step,
a recalled and a replaced document, and incoming documents from ministries and other provinces.

Idempotent: when the demo documents exist, the loader only makes sure profiles and people are there.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tinhso.accounts.services import user_ensure
from tinhso.documents.actions import incoming_perform, outgoing_perform
from tinhso.documents.models import DocumentProfile, IncomingDocument, OutgoingDocument
from tinhso.documents.services import incoming_deadlines_sweep, incoming_register, outgoing_create
from tinhso.org.demo import DemoContext, DemoLogin, demo_loader
from tinhso.org.models import Agency, Department
from tinhso.org.services import membership_grant

PROFILES = {  # agency code → (notation abbreviation, place, governing body)
    "H44": ("UBND", "Phú Thọ", ""), "H44.01": ("VP", "Phú Thọ", "Ủy ban nhân dân tỉnh Phú Thọ"),
    "H44.02": ("STP", "Phú Thọ", "Ủy ban nhân dân tỉnh Phú Thọ"),
    "H44.03": ("SXD", "Phú Thọ", "Ủy ban nhân dân tỉnh Phú Thọ"),
    "H44.04": ("STC", "Phú Thọ", "Ủy ban nhân dân tỉnh Phú Thọ"),
    "H44.101": ("UBND", "Việt Trì", ""), "H44.102": ("UBND", "Vĩnh Phúc", ""),
    "H44.103": ("UBND", "Hòa Bình", ""), "H44.104": ("UBND", "Lâm Thao", ""),
}
# (login, name, agency, role, department): people the document flow needs beyond the one-stop shop's.
PEOPLE = [
    ("chuyenvien.vp.lamthao", "Hứa Thị Hoa", "H44.104", "specialist", "VP"),
    ("chanhvp.lamthao", "Nông Văn Khiêm", "H44.104", "unit_head", "VP"),
    ("chuyenvien.tinh", "Lê Thị Bích Ngọc", "H44", "specialist", None),
    ("chanhvp.tinh", "Phạm Văn Tiến", "H44", "unit_head", None),
]
# Who does what in the document office of the demo (printed by `tinhso demo logins`, hence `make run`).
STEPS = [
    ("chuyenvien.vp.lamthao", "Hứa Thị Hoa", "Văn bản: soạn công văn của xã, trình duyệt", "UBND xã Lâm Thao (H44.104)"),
    ("chanhvp.lamthao", "Nông Văn Khiêm", "Văn bản: duyệt dự thảo (trả lại / trình ký)", "UBND xã Lâm Thao (H44.104)"),
    ("chutich.lamthao", "Trương Minh Đức", "Văn bản: ký số văn bản của xã; phân công văn bản đến", "UBND xã Lâm Thao (H44.104)"),
    ("vanthu.lamthao", "Chu Thị Yến", "Văn bản: cấp số, đóng dấu số, phát hành; vào sổ văn bản đến", "UBND xã Lâm Thao (H44.104)"),
    ("vanthu.stp", "Đỗ Thị Lan Anh", "Văn bản: nhận, vào sổ văn bản đến; phát hành", "Sở Tư pháp (H44.02)"),
    ("giamdoc.stp", "Phạm Quang Huy", "Văn bản: phân công xử lý văn bản đến; ký văn bản của Sở", "Sở Tư pháp (H44.02)"),
    ("truongphong.stp", "Lê Thị Hồng Nhung", "Văn bản: giao chuyên viên; duyệt dự thảo", "Sở Tư pháp (H44.02)"),
    ("chuyenvien.stp", "Trần Văn Minh", "Văn bản: giải quyết văn bản đến, soạn văn bản trả lời", "Sở Tư pháp (H44.02)"),
    ("chuyenvien.tinh", "Lê Thị Bích Ngọc", "Văn bản: soạn quyết định của UBND tỉnh (có văn bản mật)", "UBND tỉnh (H44)"),
    ("chanhvp.tinh", "Phạm Văn Tiến", "Văn bản: duyệt dự thảo của UBND tỉnh", "UBND tỉnh (H44)"),
]
SENDERS = [("G09", "Bộ Tư pháp"), ("G10", "Bộ Xây dựng"), ("G12", "Bộ Tài chính"), ("H01", "Ủy ban nhân dân thành phố Hà Nội"),
           ("H26", "Ủy ban nhân dân tỉnh Tuyên Quang"), ("H44", "Ủy ban nhân dân tỉnh Phú Thọ")]
SUBJECTS = ["Hướng dẫn triển khai chứng thực bản sao điện tử", "Đôn đốc báo cáo công tác cải cách hành chính quý",
            "Góp ý dự thảo quy định về quản lý trật tự xây dựng", "Triển khai chữ ký số cho cán bộ, công chức",
            "Kiểm tra việc thực hiện thủ tục hành chính liên thông", "Báo cáo số liệu đăng ký hộ tịch năm 2026",
            "Tăng cường công tác phòng, chống thiên tai mùa mưa bão", "Cung cấp thông tin phục vụ thanh tra chuyên ngành"]


def _logins() -> list[DemoLogin]:
    return [DemoLogin(login, name, role, agency) for login, name, role, agency in STEPS]


def _u(login):
    from tinhso.accounts.models import User

    return User.objects.get(username=login)


def _walk(doc, steps):
    for actor, name, data in steps:
        doc = outgoing_perform(actor=_u(actor), document=doc, name=name, data=data)
    return doc


def _to(doc, until: str):
    """Walk an outgoing draft of the demo forward to ``until``."""
    a = doc.agency.code
    reviewer = {"H44.104": "chanhvp.lamthao", "H44": "chanhvp.tinh", "H44.02": "truongphong.stp"}[a]
    signer = doc.signer.username
    clerk = {"H44.104": "vanthu.lamthao", "H44": "vanthu.tinh", "H44.02": "vanthu.stp"}[a]
    order = [("in_review", doc.drafted_by.username, "submit", {"reviewer": reviewer}),
             ("awaiting_signature", reviewer, "pass_on", {}), ("signed", signer, "sign", {}), ("issued", clerk, "issue", {})]
    for state, actor, name, data in order:
        doc = outgoing_perform(actor=_u(actor), document=doc, name=name, data=data)
        if state == until:
            break
    return doc


def _commune_cv(subject, **kw):
    return outgoing_create(actor=_u("chuyenvien.vp.lamthao"), agency=Agency.objects.get(code="H44.104"),
                           doc_type=kw.pop("doc_type", "CV"), subject=subject, signer=_u("chutich.lamthao"), signer_title="Chủ tịch",
                           authority="TM.", head_title="Ủy ban nhân dân",
                           body="Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh, Ủy ban nhân dân xã Lâm Thao đề nghị quý cơ quan "
                                "hướng dẫn, phối hợp giải quyết nội dung nêu trên.\nTrân trọng./.",
                           recipients=kw.pop("recipients", [{"code": "H44.02"}]), **kw)


def _load_documents(ctx: DemoContext) -> None:
    province = Agency.objects.get(code="H44")
    # A decision of the people's committee to every commune (internal delivery: four incoming copies).
    decision = outgoing_create(
        actor=_u("chuyenvien.tinh"), agency=province, doc_type="QĐ",
        subject="Về việc ban hành Kế hoạch chuyển đổi số cấp xã năm 2026", signer=_u("lanhdao.tinh"),
        signer_title="Chủ tịch", authority="TM.", head_title="Ủy ban nhân dân",
        body="CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ\nCăn cứ Luật Tổ chức chính quyền địa phương năm 2025;\n"
             "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;\n"
             "QUYẾT ĐỊNH:\nĐiều 1. Ban hành kèm theo Quyết định này Kế hoạch chuyển đổi số cấp xã năm 2026.\n"
             "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\nĐiều 3. Chủ tịch Ủy ban nhân dân các xã, phường chịu "
             "trách nhiệm thi hành Quyết định này./.",
        recipients=[{"code": c} for c in ("H44.101", "H44.102", "H44.103", "H44.104")] + [{"code": "H44.02", "for_information": True}])
    _to(decision, "issued")
    # Công văn xã → Sở Tư pháp, handled there and answered by a reply that closes it.
    asked = _to(_commune_cv("Đề nghị hướng dẫn chứng thực hợp đồng chuyển nhượng quyền sử dụng đất"), "issued")
    incoming = IncomingDocument.objects.get(from_outgoing=asked, agency__code="H44.02")
    incoming = incoming_perform(actor=_u("giamdoc.stp"), document=incoming, name="assign",
                                data={"lead": "HCTP", "deadline_days": 5, "instruction": "Phòng HCTP tham mưu trả lời"})
    incoming = incoming_perform(actor=_u("truongphong.stp"), document=incoming, name="delegate",
                                data={"specialist": "chuyenvien.stp"})
    reply = outgoing_create(actor=_u("chuyenvien.stp"), agency=Agency.objects.get(code="H44.02"), doc_type="CV",
                            subject="Hướng dẫn chứng thực hợp đồng chuyển nhượng quyền sử dụng đất",
                            body="Sở Tư pháp hướng dẫn như sau: …\nTrân trọng./.", signer=_u("giamdoc.stp"),
                            signer_title="Giám đốc", recipients=[{"code": "H44.104"}], reply_to=incoming)
    _to(reply, "issued")
    # An urgent one, a secret one, drafts at every step, a recalled and a replaced document.
    urgent = _to(_commune_cv("Báo cáo khẩn tình hình sạt lở đất tại thôn Đồng Sơn", urgency="hoa_toc"), "issued")
    urgent_in = IncomingDocument.objects.get(from_outgoing=urgent)
    incoming_perform(actor=_u("giamdoc.stp"), document=urgent_in, name="assign",
                     data={"lead": "truongphong.stp", "deadline_days": 1, "instruction": "Xử lý ngay"})
    outgoing_create(actor=_u("chuyenvien.tinh"), agency=province, doc_type="PA",
                    subject="Phương án bảo vệ mục tiêu quan trọng năm 2026", confidentiality="mat",
                    signer=_u("lanhdao.tinh"), signer_title="Chủ tịch", authority="TM.", head_title="Ủy ban nhân dân",
                    recipients=[{"code": "H44.07"}])
    for index, until in enumerate(["draft", "in_review", "awaiting_signature", "signed", "returned"]):
        doc = _commune_cv(f"{SUBJECTS[index]} (dự thảo {index + 1})")
        if until == "returned":
            doc = _to(doc, "in_review")
            _walk(doc, [("chanhvp.lamthao", "return", {"reason": "Bổ sung số liệu tháng 11"})])
        elif until != "draft":
            _to(doc, until)
    recalled = _to(_commune_cv("Mời dự hội nghị sơ kết công tác tư pháp", doc_type="GM"), "issued")
    _walk(recalled, [("vanthu.lamthao", "recall", {"reason": "Hoãn hội nghị"})])
    wrong = _to(_commune_cv("Kế hoạch kiểm tra công tác chứng thực", doc_type="KH"), "issued")
    replacement = outgoing_perform(actor=_u("chutich.lamthao"), document=wrong, name="replace",
                                   data={"reason": "Sai thời gian kiểm tra"})
    _to(replacement, "issued")

    # Incoming documents from ministries and other provinces, in every handling state.
    agencies = {c: Agency.objects.get(code=c) for c in ("H44.02", "H44.104", "H44")}
    clerks = {"H44.02": "vanthu.stp", "H44.104": "vanthu.lamthao", "H44": "vanthu.tinh"}
    leaders = {"H44.02": "giamdoc.stp", "H44.104": "chutich.lamthao", "H44": "lanhdao.tinh"}
    leads = {"H44.02": "HCTP", "H44.104": "chuyenvien.lamthao", "H44": "chuyenvien.tinh"}
    today = timezone.localdate()
    urgencies = ("normal",) * 7 + ("khan", "thuong_khan", "hoa_toc")
    for i in range(270):
        code = ("H44.02", "H44.104", "H44")[i % 3]
        sender_code, sender = SENDERS[i % len(SENDERS)]
        if sender_code == "H44" and code == "H44":
            sender_code, sender = "G09", "Bộ Tư pháp"
        doc = incoming_register(
            actor=_u(clerks[code]), agency=agencies[code], sender_name=sender, sender_code=sender_code,
            their_notation=f"{1000 + i}/{('BTP', 'UBND', 'BXD')[i % 3]}-VP", their_date=today - timedelta(days=i % 40),
            doc_type=("CV", "TB", "KH", "QĐ", "BC")[i % 5], subject=SUBJECTS[i % len(SUBJECTS)],
            urgency=urgencies[i % 10], signer_name="Nguyễn Văn Ký")
        stage = i % 6  # 0 registered, 1 assigned, 2–3 in progress, 4 done, 5 overdue
        if stage == 0:
            continue
        doc = incoming_perform(actor=_u(leaders[code]), document=doc, name="assign",
                               data={"lead": leads[code], "deadline_days": 3 + i % 7,
                                     "instruction": "Giao tham mưu, báo cáo kết quả"})
        handler = {"H44.02": "chuyenvien.stp", "H44.104": "chuyenvien.lamthao", "H44": "chuyenvien.tinh"}[code]
        if code == "H44.02" and stage >= 2:
            doc = incoming_perform(actor=_u("truongphong.stp"), document=doc, name="delegate",
                                   data={"specialist": handler})
        if stage in (2, 3, 4) and (code != "H44.02" or stage >= 2):
            doc = incoming_perform(actor=_u(handler), document=doc, name="progress",
                                   data={"text": "Đã tổng hợp số liệu, đang dự thảo báo cáo"})
        if stage == 4:
            incoming_perform(actor=_u(handler), document=doc, name="finish", data={"result": "Đã báo cáo bằng điện thoại"})
        if stage == 5:
            IncomingDocument.objects.filter(pk=doc.pk).update(due_at=timezone.now() - timedelta(days=2))
    ctx.log(f"  văn bản: {OutgoingDocument.objects.count()} đi, {IncomingDocument.objects.count()} đến")


def _ensure_people(ctx: DemoContext) -> None:
    for login, name, code, role, department in PEOPLE:
        user, _changed = user_ensure(actor=None, username=login, kind="staff", full_name=name,
                                     password_hash=ctx.password_hash, email=f"{login}@phutho.example.gov.vn")
        agency = Agency.objects.get(code=code)
        membership_grant(actor=None, user=user, agency=agency, role=role,
                         department=Department.objects.get(agency=agency, code=department) if department else None)
    for code, (notation, place, governing) in PROFILES.items():
        agency = Agency.objects.filter(code=code).first()
        if agency is not None:
            DocumentProfile.objects.update_or_create(agency=agency, defaults={
                "notation": notation, "place": place, "governing_body": governing})


@demo_loader("documents.office", order=300, logins=_logins)
def load_documents(ctx: DemoContext) -> None:
    _ensure_people(ctx)
    if OutgoingDocument.objects.filter(agency__code="H44.104").exists():
        ctx.log("  văn bản: đã có, không thay đổi")
        return
    _load_documents(ctx)
    incoming_deadlines_sweep()
