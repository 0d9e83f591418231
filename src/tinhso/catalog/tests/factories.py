"""Raw procedure records (the import format) and helpers to load them in tests."""

from __future__ import annotations

import copy

from tinhso.catalog.services.importing import ImportReport, catalog_import_rows

PROCESS = {
    "steps": [
        {"code": "tham-dinh", "name": "Thẩm định hồ sơ", "order": 1, "role": "specialist", "agency_scope": "competent",
         "duration": {"value": 4, "unit": "working_hours"}},
        {"code": "ky-duyet", "name": "Lãnh đạo ký", "order": 2, "role": "leader", "agency_scope": "competent",
         "duration": {"value": 2, "unit": "working_hours"}},
        {"code": "tra-ket-qua", "name": "Trả kết quả", "order": 3, "role": "reception", "agency_scope": "receiving",
         "duration": {"value": 2, "unit": "working_hours"}},
    ],
    "transitions": [
        {"from": "tham-dinh", "action": "forward", "to": "ky-duyet", "label": "Trình ký"},
        {"from": "tham-dinh", "action": "request_supplement", "to": "tham-dinh"},
        {"from": "ky-duyet", "action": "send_back", "to": "tham-dinh"},
        {"from": "ky-duyet", "action": "issue_result", "to": "tra-ket-qua", "label": "Ban hành"},
        {"from": "tra-ket-qua", "action": "return_result", "to": None},
    ],
}

EFORM = {
    "type": "object",
    "title": "Tờ khai thử nghiệm",
    "properties": {
        "ho_ten": {"type": "string", "title": "Họ và tên", "maxLength": 50},
        "ngay_sinh": {"type": "string", "format": "date", "formatMaximum": "today", "title": "Ngày sinh",
                      "description": "Theo giấy khai sinh."},
        "gioi_tinh": {"type": "string", "title": "Giới tính", "enum": ["nam", "nu"], "x-enumNames": ["Nam", "Nữ"]},
        "so_dinh_danh": {"type": "string", "format": "id_number", "title": "Số định danh cá nhân"},
        "dien_thoai": {"type": "string", "format": "phone", "title": "Số điện thoại"},
        "so_con": {"type": "integer", "title": "Số con", "minimum": 0, "maximum": 20},
        "cam_doan": {"type": "boolean", "const": True, "title": "Tôi cam đoan khai đúng sự thật"},
    },
    "required": ["ho_ten", "ngay_sinh", "gioi_tinh", "so_dinh_danh", "cam_doan"],
}


def index_record(code: str, name: str, *, sector: str = "Hộ tịch", level: str = "Cấp xã",
                 agencies: str = "Ủy ban nhân dân cấp xã", **tinhso) -> dict:
    """An entry shaped like ``procedures-index.jsonl``; ``tinhso`` keys make it a local record."""
    raw = {"code": code, "name": name, "level": level, "kind": "TTHC Tiêu chuẩn", "sector": sector,
           "agencies": agencies, "source": "test"}
    if tinhso:
        raw["tinhso"] = tinhso
    return raw


def full_record(code: str = "1.900101", name: str = "Đăng ký thử nghiệm đầy đủ", *, receiving: str = "H44.101.01",
                competent: str = "H44.101", process: dict | None = PROCESS, eform: dict | None = None,
                time: dict | None = None, **changes) -> dict:
    """A complete record: every field NĐ 63/2010 asks for, agency links and a process."""
    raw = {
        "code": code,
        "name": name,
        "field": "Hộ tịch",
        "field_code": "G15-TP07",
        "level": "Cấp xã",
        "agencies": ["Ủy ban nhân dân cấp xã"],
        "competent_authority": ["Ủy ban nhân dân cấp xã"],
        "applicant_types": ["Công dân Việt Nam"],
        "submission_channels": ["Trực tiếp", "Trực tuyến"],
        "processing_time_text": "01 ngày làm việc",
        "steps_text": "- Nộp hồ sơ.\n- Thẩm định.\n- Trả kết quả.",
        "requirements_text": "Không.",
        "documents": [
            {"group": "* Giấy tờ phải nộp:", "name": "- Tờ khai theo mẫu", "original_or_copy": "bản chính",
             "original_qty": 1, "copy_qty": 0, "quantity": 1, "component_code": "TOKHAI",
             "form_template_name": "Mẫu tờ khai"},
            {"group": "* Giấy tờ phải nộp:", "name": "- Văn bản ủy quyền (nếu có)", "original_or_copy": "bản sao",
             "original_qty": 0, "copy_qty": 1, "quantity": 1, "component_code": "UYQUYEN"},
            {"group": "* Giấy tờ phải xuất trình:", "name": "- Giấy tờ tùy thân", "original_or_copy": "bản chính",
             "original_qty": 1, "copy_qty": 0, "quantity": 1, "component_code": "GTTT"},
        ],
        "fees_text": "Lệ phí 15.000 đồng",
        "legal_basis": ["60/2014/QH13 — Luật Hộ tịch"],
        "result": "Trích lục",
        "tinhso": {
            "processing_time": time or {"value": 1, "unit": "working_days"},
            "fees": [{"kind": "charge", "name": "Lệ phí", "amount": 15000},
                     {"kind": "fee", "name": "Phí bản sao", "amount": None, "rule_text": "8.000 đồng/bản",
                      "collected_when": "on_result"}],
            "agency_links": [{"agency": receiving, "role": "receiving"}, {"agency": competent, "role": "competent"}],
            "popularity": 7,
        },
    }
    if process is not None:
        raw["tinhso"]["process"] = copy.deepcopy(process)
    if eform is not None:
        raw["tinhso"]["eform"] = copy.deepcopy(eform)
    for key, value in changes.items():
        if key.startswith("tinhso_"):
            raw["tinhso"][key[len("tinhso_"):]] = value
        else:
            raw[key] = value
    return raw


def import_records(records: list[dict], *, file: str = "test.jsonl", dry_run: bool = False) -> ImportReport:
    rows = [(str(i), str(r.get("code", "")), r) for i, r in enumerate(records, start=1)]
    return catalog_import_rows(actor=None, rows=rows, file=file, dry_run=dry_run)


# A small catalogue with the confounders that make ranking interesting.
SEARCH_SET = [
    index_record("1.900001", "Thủ tục đăng ký khai sinh", popularity=50),
    index_record("1.900002", "Thủ tục đăng ký lại khai sinh", popularity=5),
    index_record("1.900003", "Đăng ký khai sinh có yếu tố nước ngoài", popularity=5),
    index_record("1.900004", "Đăng ký biến động quyền sử dụng đất phát sinh do kê khai bổ sung", sector="Đất đai",
                 level="Cấp tỉnh", agencies="Văn phòng đăng ký đất đai", popularity=90),
    index_record("1.900005", "Chứng thực bản sao từ bản chính giấy tờ, văn bản", sector="Chứng thực", popularity=100),
    index_record("1.900006", "Chứng thực chữ ký trong các giấy tờ, văn bản", sector="Chứng thực", popularity=60),
    index_record("1.900007", "Cấp bản sao Trích lục hộ tịch", popularity=20),
    index_record("1.900008", "Đăng ký kết hôn", popularity=40),
    index_record("1.900009", "Cấp Giấy xác nhận tình trạng hôn nhân", popularity=30,
                 keywords="giấy xác nhận độc thân, xác nhận độc thân"),
    index_record("1.900010", "Đăng ký thường trú", sector="Đăng ký, quản lý cư trú", agencies="Công an cấp xã"),
    index_record("1.900011", "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ", sector="Hoạt động xây dựng",
                 level="Cấp tỉnh, Cấp xã"),
    index_record("1.900012", "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", sector="An toàn thực phẩm",
                 level="Cấp tỉnh", agencies="Sở Y tế"),
    index_record("1.900013", "Đăng ký thành lập hộ kinh doanh", sector="Thành lập và hoạt động doanh nghiệp",
                 online_level="FULL"),
]
