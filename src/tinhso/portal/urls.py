from django.urls import include, path

from tinhso.portal import views, views_account, views_dossiers, views_tracking, views_wizard

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("co-quan/", views.agency_list, name="agency_list"),
    path("co-quan/<str:code>/", views.agency_detail, name="agency_detail"),
    # applicants' accounts (sign-in and sign-out are /tai-khoan/dang-nhap/ and /tai-khoan/dang-xuat/)
    path("tai-khoan/dang-ky/", views_account.register, name="register"),
    path("tai-khoan/xac-minh/", views_account.verify, name="verify"),
    # online submission wizard and the applicant's dossiers
    path("nop-ho-so/<str:code>/", views_wizard.wizard_start, name="wizard_start"),
    path("ho-so-cua-toi/", views_dossiers.my_dossiers, name="my_dossiers"),
    path("ho-so-cua-toi/ban-nhap/<int:draft_id>/xoa/", views_dossiers.draft_delete, name="draft_delete"),
    path("ho-so-cua-toi/ban-nhap/<int:draft_id>/<slug:step>/", views_wizard.wizard_step, name="wizard_step"),
    path("ho-so-cua-toi/<str:code>/", views_dossiers.dossier_page, name="dossier"),
    path("ho-so-cua-toi/<str:code>/da-nop/", views_dossiers.submitted, name="submitted"),
    path("ho-so-cua-toi/<str:code>/bo-sung/", views_dossiers.supplement_submit, name="supplement"),
    path("ho-so-cua-toi/<str:code>/rut-ho-so/", views_dossiers.withdraw, name="withdraw"),
    path("ho-so-cua-toi/<str:code>/ket-qua/", views_dossiers.result_download, name="result"),
    path("ho-so-cua-toi/<str:code>/giay-to/<int:document_id>/", views_dossiers.document_download, name="document"),
    path("ho-so-cua-toi/<str:code>/phieu/<slug:slug>.pdf", views_dossiers.form_pdf, name="form_pdf"),
    # public tracking (the QR code on the receipt points to /tra-cuu/?ma=<code>)
    path("tra-cuu/", views_tracking.tracking, name="tracking"),
    # signing: /xac-thuc-chu-ky/ (signature_verify), /tsa (RFC 3161), /pki/… (demo CA's root and CRL)
    path("", include("tinhso.signing.urls")),
]
