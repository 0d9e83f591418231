from django.urls import path

from tinhso.backoffice import (
    views,
    views_documents,
    views_dossier,
    views_petitions,
    views_queue,
    views_reception,
    views_register,
    views_reports,
)

app_name = "backoffice"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("mot-cua/", views_reception.reception, name="reception"),
    path("mot-cua/tiep-nhan/", views_reception.intake_choose, name="intake_choose"),
    path("mot-cua/tiep-nhan/<str:procedure_code>/", views_reception.intake, name="intake"),
    path("viec-can-lam/", views_queue.queue, name="work_queue"),
    path("viec-can-lam/xuat-excel/", views_queue.export, name="work_queue_export"),
    path("viec-can-lam/phan-cong/", views_queue.bulk, name="bulk_assign"),
    path("so-theo-doi/", views_register.register, name="register"),
    path("ho-so/<str:code>/", views_dossier.dossier_page, name="dossier"),
    path("ho-so/<str:code>/thao-tac/<slug:action>/", views_dossier.dossier_action, name="dossier_action"),
    path("ho-so/<str:code>/giay-to/<int:document_id>/", views_dossier.document_download, name="document"),
    path("ho-so/<str:code>/phieu/<slug:slug>.pdf", views_dossier.form_pdf, name="form_pdf"),
    path("ho-so/<str:code>/bien-nhan/", views_reception.receipt, name="receipt"),
    path("ho-so/<str:code>/bien-nhan/in/", views_reception.receipt_print, name="receipt_print"),
    path("phan-anh/", views_petitions.queue, name="petition_queue"),
    path("phan-anh/<str:code>/", views_petitions.petition_page, name="petition"),
    path("phan-anh/<str:code>/thao-tac/<slug:action>/", views_petitions.petition_action, name="petition_action"),
    path("thong-ke/", views_reports.dashboard, name="reports"),
    path("thong-ke/ho-so/", views_reports.figure_dossiers, name="report_dossiers"),
    path("thong-ke/766/", views_reports.score, name="report_766"),
    path("thong-ke/766/chi-so/<int:number>/", views_reports.indicator, name="report_766_indicator"),
    path("van-ban/", views_documents.documents_home, name="documents"),
    path("van-ban/soan/", views_documents.draft_new, name="document_draft"),
    path("van-ban/vao-so/", views_documents.incoming_new, name="document_incoming_new"),
    path("van-ban/so/", views_documents.registers_page, name="document_registers"),
    path("van-ban/so-lieu/", views_documents.statistics_page, name="document_statistics"),
    path("van-ban/<str:ref>/", views_documents.document_page, name="document"),
    path("van-ban/<str:ref>/pdf/", views_documents.document_pdf, name="document_pdf"),
    path("van-ban/<str:ref>/thao-tac/<slug:action>/", views_documents.document_action, name="document_action"),
]
