"""The choice labels that pages show, marked for the English catalogue, and their translation.

The enums (``dossiers.status.Status``, ``catalog.choices.OnlineLevel``, ``org.roles.Role``…) and the action
specs of ``dossiers.services.actions`` keep plain Vietnamese labels on purpose: the legal forms (Mẫu
01–07), the API, notifications and the stored history use them and must stay Vietnamese whatever
language a page is shown in. Pages translate a label only when they show it: ``{{ value|choice_label }}``
(``web_ui``) or ``gettext(label)`` in a view.

``makemessages`` finds literal strings only, so the labels are repeated here with ``gettext_noop``;
``tests/test_i18n.py`` fails when an enum or an action spec gains a label that is missing here.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop, pgettext, pgettext_lazy

LABELS = frozenset({
    # catalog.choices.Level
    gettext_noop("Cấp tỉnh"),
    gettext_noop("Cấp xã"),
    gettext_noop("Cấp tỉnh và cấp xã"),
    # catalog.choices.ProcedureKind
    gettext_noop("TTHC tiêu chuẩn"),
    gettext_noop("TTHC đặc thù của địa phương"),
    # catalog.choices.OnlineLevel
    gettext_noop("Toàn trình"),
    gettext_noop("Một phần"),
    gettext_noop("Chưa cung cấp trực tuyến"),
    # catalog.choices.Channel
    gettext_noop("Trực tiếp"),
    gettext_noop("Trực tuyến"),
    gettext_noop("Qua dịch vụ bưu chính công ích"),
    # catalog.choices.DocumentCopy
    gettext_noop("Bản chính"),
    gettext_noop("Bản sao"),
    gettext_noop("Bản chính và bản sao"),
    gettext_noop("Bản chính hoặc bản sao"),
    # catalog.choices.FeeKind
    gettext_noop("Phí"),
    gettext_noop("Lệ phí"),
    # catalog.choices.CollectedWhen
    gettext_noop("Khi nộp hồ sơ"),
    gettext_noop("Khi bổ sung hồ sơ"),
    gettext_noop("Khi nhận kết quả"),
    # catalog.choices.FeeChannel
    gettext_noop("Mọi cách thức nộp"),
    gettext_noop("Nộp trực tuyến"),
    gettext_noop("Nộp trực tiếp"),
    gettext_noop("Nộp qua bưu chính"),
    # catalog.choices.StepScope
    gettext_noop("Cơ quan đã tiếp nhận hồ sơ"),
    gettext_noop("Cơ quan có thẩm quyền"),
    gettext_noop("Một cơ quan xác định (liên thông)"),
    gettext_noop("Cơ quan cấp trên của cơ quan tiếp nhận"),
    # catalog.choices.StepAction
    gettext_noop("Chuyển bước tiếp theo"),
    gettext_noop("Trả lại bước trước"),
    gettext_noop("Phân công"),
    gettext_noop("Yêu cầu bổ sung hồ sơ"),
    gettext_noop("Yêu cầu thực hiện nghĩa vụ tài chính"),
    gettext_noop("Lấy ý kiến"),
    gettext_noop("Phê duyệt"),
    gettext_noop("Từ chối giải quyết"),
    gettext_noop("Ký số"),
    gettext_noop("Ban hành kết quả"),
    gettext_noop("Trả kết quả"),
    # workdays.choices.TimeUnit
    gettext_noop("ngày làm việc"),
    gettext_noop("giờ làm việc"),
    gettext_noop("ngày"),
    gettext_noop("giờ"),
    gettext_noop("tháng"),
    # org.roles.Role
    gettext_noop("Cán bộ Một cửa (tiếp nhận và trả kết quả)"),
    gettext_noop("Chuyên viên"),
    gettext_noop("Trưởng phòng"),
    gettext_noop("Lãnh đạo"),
    gettext_noop("Văn thư"),
    gettext_noop("Quản trị"),
    gettext_noop("Giám sát"),
    # org.models.Agency.Level
    gettext_noop("Trung ương"),
    gettext_noop("Khác"),
    # org.models.Agency.Kind
    gettext_noop("Ủy ban nhân dân"),
    gettext_noop("Sở, ban, ngành"),
    gettext_noop("Trung tâm Phục vụ hành chính công"),
    gettext_noop("Văn phòng"),
    gettext_noop("Công an"),
    # accounts.models.User.Kind
    gettext_noop("Cán bộ, công chức"),
    gettext_noop("Công dân"),
    gettext_noop("Tổ chức, doanh nghiệp"),
    gettext_noop("Tài khoản tích hợp"),
    # accounts.models.User.Gender
    gettext_noop("Nam"),
    gettext_noop("Nữ"),
    # dossiers.status.Status
    gettext_noop("Bản nháp"),
    gettext_noop("Mới đăng ký"),
    gettext_noop("Được tiếp nhận"),
    gettext_noop("Không được tiếp nhận"),
    gettext_noop("Đang xử lý"),
    gettext_noop("Yêu cầu bổ sung giấy tờ"),
    gettext_noop("Công dân yêu cầu rút hồ sơ"),
    gettext_noop("Dừng xử lý"),
    gettext_noop("Đã xử lý xong"),
    gettext_noop("Đã trả kết quả"),
    # dossiers.status.Outcome
    gettext_noop("Giải quyết (chấp thuận)"),
    # dossiers.status.Channel
    # dossiers.status.ReturnMethod
    gettext_noop("Tại Bộ phận Một cửa"),
    gettext_noop("Bản điện tử trên Cổng dịch vụ công"),
    # dossiers.status.Verdict
    gettext_noop("Trước hạn"),
    gettext_noop("Đúng hạn"),
    gettext_noop("Quá hạn"),
    # dossiers.models.ApplicantKind
    # dossiers.models.Role
    gettext_noop("Nộp kèm hồ sơ"),
    gettext_noop("Bổ sung"),
    gettext_noop("Bản quét tại Bộ phận Một cửa"),
    gettext_noop("Kết quả giải quyết"),
    # dossiers.models.DossierAlert.Kind
    gettext_noop("Sắp đến hạn"),
    # dossiers.models.DossierPayment.State
    gettext_noop("Chờ nộp"),
    gettext_noop("Đã nộp"),
    gettext_noop("Được miễn, giảm"),
    # dossiers.models.FormIssue.Kind
    gettext_noop("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    gettext_noop("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    gettext_noop("Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
    gettext_noop("Văn bản xin lỗi và hẹn lại ngày trả kết quả"),
    gettext_noop("Thông báo dừng giải quyết hồ sơ"),
    gettext_noop("Thông báo về việc rút hồ sơ"),
    gettext_noop("Phiếu kiểm soát quá trình giải quyết hồ sơ"),
    # dossiers.models.SupplementRequest.Stage
    gettext_noop("Khi tiếp nhận"),
    gettext_noop("Trong quá trình giải quyết"),
    # reports: the statistics pages' period kinds, measures (selectors.MEASURES) and 766 figure statuses
    gettext_noop("Tháng"),
    gettext_noop("Quý"),
    gettext_noop("Năm"),
    gettext_noop("Khoảng ngày"),
    gettext_noop("Hồ sơ tiếp nhận"),
    gettext_noop("Hồ sơ tiếp nhận trực tuyến"),
    gettext_noop("Hồ sơ giải quyết xong"),
    gettext_noop("Giải quyết trước hạn"),
    gettext_noop("Giải quyết đúng hạn"),
    gettext_noop("Giải quyết quá hạn"),
    gettext_noop("Đang giải quyết, quá hạn"),
    gettext_noop("Đã tính"),
    gettext_noop("Không có hồ sơ trong kỳ (N/A)"),
    gettext_noop("Chưa có dữ liệu"),
    gettext_noop("Không áp dụng cho cấp xã"),
    gettext_noop("Chỉ theo dõi, không tính điểm"),
    gettext_noop("Không có phản ánh: tính theo chỉ số 23"),
    # signing.verify.VERDICT_LABELS
    gettext_noop("Chữ ký hợp lệ"),
    gettext_noop("Chữ ký hợp lệ nhưng chứng thư số không thuộc nguồn tin cậy"),
    gettext_noop("Tài liệu đã bị thay đổi sau khi ký"),
    gettext_noop("Chữ ký không hợp lệ"),
    gettext_noop("Tài liệu không có chữ ký số"),
    # petitions.status.Status, Feedback; ratings.models.Level (the feedback and rating pages)
    gettext_noop("Chờ tiếp nhận"),
    gettext_noop("Chờ người gửi bổ sung thông tin"),
    gettext_noop("Chuyên viên đang xử lý"),
    gettext_noop("Chờ lãnh đạo duyệt trả lời"),
    gettext_noop("Đã trả lời"),
    gettext_noop("Đã trả lời và công khai"),
    gettext_noop("Từ chối xử lý"),
    gettext_noop("Hài lòng"),
    gettext_noop("Không hài lòng"),
    gettext_noop("Rất hài lòng"),
    # petitions.status.Channel
    gettext_noop("Cổng dịch vụ công"),
    gettext_noop("Đường dây nóng"),
    gettext_noop("Qua bưu chính"),
    # petitions.actions: buttons and fields of the feedback forms
    gettext_noop("Tiếp nhận xử lý"),
    gettext_noop("Chuyển cơ quan có thẩm quyền"),
    gettext_noop("Đề nghị người gửi bổ sung thông tin"),
    gettext_noop("Gửi thông tin bổ sung"),
    gettext_noop("Phân công chuyên viên"),
    gettext_noop("Dự thảo trả lời"),
    gettext_noop("Trả lại dự thảo"),
    gettext_noop("Duyệt và gửi trả lời"),
    gettext_noop("Công khai trả lời"),
    gettext_noop("Đánh giá trả lời"),
    gettext_noop("Không đồng ý, đề nghị xem xét lại"),
    gettext_noop("Chuyển tới cơ quan"),
    gettext_noop("Lý do chuyển"),
    gettext_noop("Thông tin cần người gửi bổ sung"),
    gettext_noop("Chuyên viên xử lý"),
    gettext_noop("Nội dung trả lời"),
    gettext_noop("Nội dung riêng tư, không công khai"),
    gettext_noop("Mức độ hài lòng với trả lời"),
    # dossiers.services.actions: buttons and fields of the staff action forms
    gettext_noop("Lý do"),
    gettext_noop("Ghi chú"),
    gettext_noop("Chuyển tới bước"),
    gettext_noop("Cán bộ được phân công"),
    gettext_noop("Tiếp nhận hồ sơ"),
    gettext_noop("Từ chối tiếp nhận"),
    gettext_noop("Nộp bổ sung giấy tờ"),
    gettext_noop("Xin ý kiến cơ quan liên quan"),
    gettext_noop("Ký duyệt"),
    gettext_noop("Xác nhận đã nộp phí, lệ phí"),
    gettext_noop("Miễn, giảm phí, lệ phí"),
    gettext_noop("Xin lỗi, hẹn lại ngày trả kết quả"),
    gettext_noop("Dừng xử lý hồ sơ"),
    gettext_noop("Rút hồ sơ"),
    gettext_noop("Đính kèm kết quả"),
    gettext_noop("Trả lời xin ý kiến"),
    gettext_noop("Lý do từ chối tiếp nhận"),
    gettext_noop("Giấy tờ bổ sung"),
    gettext_noop("Lý do trả lại"),
    gettext_noop("Giấy tờ, nội dung cần bổ sung"),
    gettext_noop("Lý do yêu cầu bổ sung"),
    gettext_noop("Số tiền (đồng), để trống: theo mức phí của thủ tục"),
    gettext_noop("Cơ quan được xin ý kiến"),
    gettext_noop("Nội dung xin ý kiến"),
    gettext_noop("Hạn trả lời"),
    gettext_noop("Lý do từ chối giải quyết"),
    gettext_noop("Tệp kết quả (nếu chưa đính kèm)"),
    gettext_noop("Số biên lai, mã giao dịch"),
    gettext_noop("Lý do miễn, giảm"),
    gettext_noop("Hình thức trả"),
    gettext_noop("Lý do chậm"),
    gettext_noop("Ngày hẹn trả mới"),
    gettext_noop("Lý do dừng xử lý"),
    gettext_noop("Lý do rút hồ sơ"),
    gettext_noop("Tệp kết quả"),
    gettext_noop("Ý kiến"),
    gettext_noop("Kết thúc"),
    gettext_noop("Lập văn bản kết quả từ mẫu"),
})

# Labels whose English depends on where they appear: a status or an outcome reads differently from the
# button of the same name ("Payment requested" / "Request payment", "Denied" / "Deny").
STATUS_CONTEXT = "dossier status"
OUTCOME_CONTEXT = "dossier outcome"
IN_CONTEXT = (  # literal contexts: xgettext does not read variables
    pgettext_lazy("dossier status", "Yêu cầu thực hiện nghĩa vụ tài chính"),
    pgettext_lazy("dossier outcome", "Từ chối giải quyết"),
)


def choice_label(value, context: str = "") -> str:
    """The label in the page's language (in ``context`` when the catalogue has it there); a label that
    is not in the catalogue is shown as it is."""
    if not value:
        return ""
    text = str(value)
    if context:
        translated = pgettext(context, text)
        if translated != text:
            return translated
    return gettext(text)
