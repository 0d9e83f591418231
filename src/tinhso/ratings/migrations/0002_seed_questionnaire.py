"""The default questionnaire: the nine criteria of vn-standards §6.1, 2 points each (18 in total), on
the three-level scale. The province edits or replaces it in the admin (the questionnaire is data)."""

from decimal import Decimal

from django.db import migrations

CRITERIA = [
    ("tong-thoi-gian", "Tổng thời gian giải quyết thủ tục hành chính so với quy định của pháp luật"),
    ("thoi-gian-tung-co-quan", "Thời gian thực hiện của từng cơ quan, đơn vị tham gia giải quyết (kể cả đơn vị phối hợp)"),
    ("so-lan-lien-he", "Số lần phải liên hệ với nơi tiếp nhận hồ sơ để hoàn thiện hồ sơ (kể cả trực tuyến)"),
    ("so-co-quan-lien-he", "Số lượng cơ quan, đơn vị, tổ chức phải liên hệ để hoàn thiện hồ sơ (kể cả trực tuyến)"),
    ("mot-cua", "Thực hiện tổ chức tiếp nhận hồ sơ, giải quyết, trả kết quả tại Bộ phận Một cửa"),
    ("cong-khai", "Công khai các thủ tục hành chính"),
    ("thai-do", "Thái độ của cán bộ, công chức, viên chức khi hướng dẫn lập hồ sơ, tiếp nhận hồ sơ và giải quyết thủ tục hành chính"),
    ("tiep-thu-giai-trinh", "Tiếp thu, giải trình đối với các ý kiến phản ánh, kiến nghị của tổ chức, cá nhân"),
    ("dich-vu-cong-truc-tuyen", "Tiến độ và chất lượng cung cấp dịch vụ công trực tuyến của cơ quan có thẩm quyền"),
]


def seed(apps, schema_editor):
    Questionnaire = apps.get_model("ratings", "Questionnaire")
    Criterion = apps.get_model("ratings", "Criterion")
    if Questionnaire.objects.filter(code="chin-tieu-chi").exists():
        return
    active = not Questionnaire.objects.filter(active=True).exists()
    questionnaire = Questionnaire.objects.create(code="chin-tieu-chi", name="Chín tiêu chí đánh giá (thang 18 điểm)",
                                                 active=active)
    Criterion.objects.bulk_create([
        Criterion(questionnaire=questionnaire, position=i, code=code, text=text, max_points=Decimal(2))
        for i, (code, text) in enumerate(CRITERIA, start=1)
    ])


class Migration(migrations.Migration):
    dependencies = [("ratings", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
