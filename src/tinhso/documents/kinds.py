"""The fixed vocabularies of NĐ 30/2020 (vn-standards §7.1, §7.4): the 29 document types of Điều 7 with
their Phụ lục III abbreviations, the signing authorities of Điều 13, urgency and confidentiality.

Codes are a contract (stored, sent over the API and, later, mapped to edXML): never rename one.
"""

from __future__ import annotations

from django.db import models


class DocumentType(models.TextChoices):
    NGHI_QUYET = "NQ", "Nghị quyết"
    QUYET_DINH = "QĐ", "Quyết định"
    CHI_THI = "CT", "Chỉ thị"
    QUY_CHE = "QC", "Quy chế"
    QUY_DINH = "QyĐ", "Quy định"
    THONG_CAO = "TC", "Thông cáo"
    THONG_BAO = "TB", "Thông báo"
    HUONG_DAN = "HD", "Hướng dẫn"
    CHUONG_TRINH = "CTr", "Chương trình"
    KE_HOACH = "KH", "Kế hoạch"
    PHUONG_AN = "PA", "Phương án"
    DE_AN = "ĐA", "Đề án"
    DU_AN = "DA", "Dự án"
    BAO_CAO = "BC", "Báo cáo"
    BIEN_BAN = "BB", "Biên bản"
    TO_TRINH = "TTr", "Tờ trình"
    HOP_DONG = "HĐ", "Hợp đồng"
    CONG_VAN = "CV", "Công văn"
    CONG_DIEN = "CĐ", "Công điện"
    BAN_GHI_NHO = "BGN", "Bản ghi nhớ"
    BAN_THOA_THUAN = "BTT", "Bản thỏa thuận"
    GIAY_UY_QUYEN = "GUQ", "Giấy ủy quyền"
    GIAY_MOI = "GM", "Giấy mời"
    GIAY_GIOI_THIEU = "GGT", "Giấy giới thiệu"
    GIAY_NGHI_PHEP = "GNP", "Giấy nghỉ phép"
    PHIEU_GUI = "PG", "Phiếu gửi"
    PHIEU_CHUYEN = "PC", "Phiếu chuyển"
    PHIEU_BAO = "PB", "Phiếu báo"
    THU_CONG = "THU", "Thư công"


# Công văn and thư công have no abbreviation (Phụ lục III): their ký hiệu is <agency>-<unit>.
# "CV"/"THU" above are only our storage codes, never printed in a notation.
WITHOUT_ABBREVIATION = frozenset({DocumentType.CONG_VAN, DocumentType.THU_CONG})


def type_abbreviation(doc_type: str) -> str | None:
    """The Phụ lục III abbreviation printed in the notation, ``None`` for công văn and thư công."""
    if doc_type in WITHOUT_ABBREVIATION:
        return None
    return DocumentType(doc_type).value


class SigningAuthority(models.TextChoices):
    """Điều 13: how the signer signs. Empty = the head signs in their own name."""

    NONE = "", "Người đứng đầu ký"
    TM = "TM.", "TM. (thay mặt tập thể)"
    KT = "KT.", "KT. (ký thay người đứng đầu)"
    TL = "TL.", "TL. (thừa lệnh)"
    TUQ = "TUQ.", "TUQ. (thừa ủy quyền)"
    Q = "Q.", "Q. (quyền)"


# Who may sign with each authority: the head, a deputy signing for them (KT.), an acting head (Q.)
# and the collective's head (TM.) are leaders of the agency; thừa lệnh / thừa ủy quyền are given to
# heads of units as well (Điều 13.1.d–đ).
AUTHORITY_ROLES: dict[str, frozenset[str]] = {
    SigningAuthority.NONE: frozenset({"leader"}),
    SigningAuthority.TM: frozenset({"leader"}),
    SigningAuthority.KT: frozenset({"leader"}),
    SigningAuthority.Q: frozenset({"leader"}),
    SigningAuthority.TL: frozenset({"leader", "unit_head"}),
    SigningAuthority.TUQ: frozenset({"leader", "unit_head"}),
}


class Urgency(models.TextChoices):
    """Điều 4.2.c; the integer is the edXML ``Priority`` (vn-standards §7.4)."""

    NORMAL = "normal", "Thường"
    URGENT = "khan", "Khẩn"
    VERY_URGENT = "thuong_khan", "Thượng khẩn"
    FLASH = "hoa_toc", "Hỏa tốc"


URGENCY_PRIORITY = {Urgency.NORMAL: 0, Urgency.URGENT: 1, Urgency.VERY_URGENT: 2, Urgency.FLASH: 3}
URGENCY_MARK = {Urgency.URGENT: "KHẨN", Urgency.VERY_URGENT: "THƯỢNG KHẨN", Urgency.FLASH: "HỎA TỐC"}


class Confidentiality(models.TextChoices):
    NORMAL = "normal", "Thường"
    SECRET = "mat", "Mật"
    TOP_SECRET = "toi_mat", "Tối mật"
    ULTRA_SECRET = "tuyet_mat", "Tuyệt mật"


SECRET_LEVELS = frozenset({Confidentiality.SECRET, Confidentiality.TOP_SECRET, Confidentiality.ULTRA_SECRET})
CONFIDENTIALITY_MARK = {Confidentiality.SECRET: "MẬT", Confidentiality.TOP_SECRET: "TỐI MẬT",
                        Confidentiality.ULTRA_SECRET: "TUYỆT MẬT"}
