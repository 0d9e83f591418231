from django.contrib import admin

from tinhso.ratings.models import Criterion, KioskDesk, Questionnaire, Rating


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "active"]
    inlines = [CriterionInline]


@admin.register(KioskDesk)
class KioskDeskAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "officer"]
    readonly_fields = ["token", "current_dossier", "current_since"]
    raw_id_fields = ["officer"]


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["dossier", "agency", "score", "channel", "created_at"]
    readonly_fields = [f.name for f in Rating._meta.fields]
    list_filter = ["channel", "unsatisfied"]
