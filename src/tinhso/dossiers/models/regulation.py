"""The rule set in force (DESIGN §5.1): NĐ 61/2018 until 30/06/2025, NĐ 118/2025 from 01/07/2025 with the
TT 01/2018 forms until TT 03/2025 applies on 15/09/2025 (migration 0005)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models

from tinhso.core.fields import NfcCharField

CODE_FIELDS_HELP = (
    "Các trường: {agency} mã cơ quan tiếp nhận, {yymmdd} hoặc {yyyymmdd} ngày nộp, {seq} số thứ tự trong ngày "
    "(ví dụ {seq:04d}, {seq:07d})."
)


def dossier_code_format_apply(fmt: str, *, agency: str, day: date, seq: int) -> str:
    """Fill a code format (vn-standards §1.1, §1.3): ``{agency}-{yymmdd}-{seq:04d}`` → ``H44.12-260105-0001``."""
    return fmt.format(agency=agency, yymmdd=day.strftime("%y%m%d"), yyyymmdd=day.strftime("%Y%m%d"), seq=seq)


def dossier_code_format_validator(value: str) -> None:
    try:
        sample = dossier_code_format_apply(value, agency="H44.12", day=date(2026, 1, 5), seq=1)
    except (KeyError, IndexError, ValueError) as exc:
        raise ValidationError(f"Định dạng mã hồ sơ không hợp lệ ({exc}). {CODE_FIELDS_HELP}") from exc
    if "{seq" not in value or "{agency}" not in value:
        raise ValidationError("Định dạng mã hồ sơ phải có {agency} và {seq}.")
    if len(sample) > 60:
        raise ValidationError("Mã hồ sơ sinh ra dài quá 60 ký tự.")


class Regulation(models.Model):
    """A version of the one-stop-shop rules: forms, dossier-code format, from a date."""

    code = models.SlugField("mã", max_length=40, unique=True)
    name = NfcCharField("tên", max_length=300)
    effective_from = models.DateField("hiệu lực từ ngày")
    effective_to = models.DateField("hiệu lực đến ngày", null=True, blank=True)
    dossier_code_format = models.CharField(
        "định dạng mã hồ sơ", max_length=100, default="{agency}-{yymmdd}-{seq:04d}",
        validators=[dossier_code_format_validator], help_text=CODE_FIELDS_HELP,
    )
    form_set = models.CharField(
        "bộ biểu mẫu", max_length=40, help_text="tt01_2018 (Mẫu 01–06) hoặc tt03_2025 (Mẫu 01–07)."
    )

    class Meta:
        verbose_name = "quy định áp dụng"
        verbose_name_plural = "quy định áp dụng"
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return self.name
