"""Satisfaction ratings of dossiers (vn-standards §6.1): a configurable questionnaire (by default the
nine criteria worth 2 points each, 18 in total, on the three-level scale), one rating per returned
dossier attached to the dossier, its agency, its procedure and the officers who handled it, and the
reception desks' kiosk tablets."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from tinhso.core.fields import NfcCharField, NfcTextField


class Level(models.TextChoices):
    """The citizen-facing scale (§6.1). ``LEVEL_SHARE`` gives the part of a criterion's points."""

    VERY_SATISFIED = "very_satisfied", "Rất hài lòng"
    SATISFIED = "satisfied", "Hài lòng"
    UNSATISFIED = "unsatisfied", "Không hài lòng"


# Rất hài lòng earns the criterion's full points, Hài lòng half, Không hài lòng none [B: the common
# local practice; the province may change the points per criterion in the questionnaire].
LEVEL_SHARE = {Level.VERY_SATISFIED: Decimal(1), Level.SATISFIED: Decimal("0.5"), Level.UNSATISFIED: Decimal(0)}


class Questionnaire(models.Model):
    """One version of the province's questionnaire; exactly one is active at a time (new ratings use it)."""

    code = models.SlugField("mã", max_length=50, unique=True)
    name = NfcCharField("tên", max_length=200)
    active = models.BooleanField("đang áp dụng", default=False)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        verbose_name = "bộ câu hỏi đánh giá"
        verbose_name_plural = "bộ câu hỏi đánh giá"
        constraints = [models.UniqueConstraint(fields=["active"], condition=models.Q(active=True),
                                               name="ratings_one_active_questionnaire")]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, verbose_name="bộ câu hỏi", on_delete=models.CASCADE,
                                      related_name="criteria")
    position = models.PositiveSmallIntegerField("thứ tự")
    code = models.SlugField("mã", max_length=50)
    text = NfcCharField("nội dung", max_length=300)
    max_points = models.DecimalField("điểm tối đa", max_digits=4, decimal_places=2, default=Decimal(2))

    class Meta:
        verbose_name = "tiêu chí đánh giá"
        verbose_name_plural = "tiêu chí đánh giá"
        ordering = ["questionnaire", "position"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "code"], name="ratings_criterion_code")]

    def __str__(self) -> str:
        return self.text


class Channel(models.TextChoices):
    ONLINE = "online", "Trực tuyến"
    KIOSK = "kiosk", "Máy tính bảng tại quầy"


class Rating(models.Model):
    """One rating per dossier. ``score`` is on the 18-point scale, whatever the questionnaire's total."""

    dossier = models.OneToOneField("dossiers.Dossier", verbose_name="hồ sơ", on_delete=models.CASCADE,
                                   related_name="rating")
    questionnaire = models.ForeignKey(Questionnaire, verbose_name="bộ câu hỏi", on_delete=models.PROTECT,
                                      related_name="ratings")
    agency = models.ForeignKey("org.Agency", verbose_name="cơ quan", on_delete=models.PROTECT,
                               related_name="ratings")
    procedure = models.ForeignKey("catalog.Procedure", verbose_name="thủ tục", on_delete=models.PROTECT,
                                  related_name="ratings")
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="cán bộ xử lý", blank=True,
                                      related_name="ratings_received")
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người đánh giá", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="ratings_given")
    channel = models.CharField("kênh", max_length=8, choices=Channel.choices)
    comment = NfcTextField("góp ý", blank=True)
    score = models.DecimalField("điểm (thang 18)", max_digits=5, decimal_places=2)
    unsatisfied = models.BooleanField("có tiêu chí không hài lòng", default=False)
    created_at = models.DateTimeField("đánh giá lúc")
    updated_at = models.DateTimeField("sửa lúc")

    class Meta:
        verbose_name = "đánh giá hài lòng"
        verbose_name_plural = "đánh giá hài lòng"
        indexes = [models.Index(fields=["agency", "created_at"], name="ratings_agency_created"),
                   models.Index(fields=["procedure", "created_at"], name="ratings_procedure_created")]

    def __str__(self) -> str:
        return f"Đánh giá hồ sơ #{self.dossier_id}"


class Answer(models.Model):
    rating = models.ForeignKey(Rating, verbose_name="đánh giá", on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(Criterion, verbose_name="tiêu chí", on_delete=models.PROTECT, related_name="+")
    level = models.CharField("mức", max_length=16, choices=Level.choices)

    class Meta:
        verbose_name = "câu trả lời"
        verbose_name_plural = "câu trả lời"
        constraints = [models.UniqueConstraint(fields=["rating", "criterion"], name="ratings_answer_once")]

    def __str__(self) -> str:
        return self.get_level_display()


class Invitation(models.Model):
    """Sent when a dossier is returned (event ``dossier.returned``); the link carries a signed token."""

    dossier = models.OneToOneField("dossiers.Dossier", verbose_name="hồ sơ", on_delete=models.CASCADE,
                                   related_name="rating_invitation")
    created_at = models.DateTimeField("mời lúc", auto_now_add=True)

    class Meta:
        verbose_name = "lời mời đánh giá"
        verbose_name_plural = "lời mời đánh giá"

    def __str__(self) -> str:
        return f"Mời đánh giá hồ sơ #{self.dossier_id}"


class KioskDesk(models.Model):
    """A reception desk's tablet. Its secret ``token`` is in the kiosk page's address (no login); the
    dossier the desk's officer just returned at the counter is shown on it until rated or replaced."""

    agency = models.ForeignKey("org.Agency", verbose_name="cơ quan", on_delete=models.CASCADE,
                               related_name="kiosk_desks")
    name = NfcCharField("tên quầy", max_length=100)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="cán bộ tại quầy", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="kiosk_desks")
    token = models.CharField("mã bí mật", max_length=64, unique=True)
    current_dossier = models.ForeignKey("dossiers.Dossier", verbose_name="hồ sơ vừa trả", null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    current_since = models.DateTimeField("từ lúc", null=True, blank=True)

    class Meta:
        verbose_name = "quầy đánh giá (kiosk)"
        verbose_name_plural = "quầy đánh giá (kiosk)"

    def __str__(self) -> str:
        return self.name
