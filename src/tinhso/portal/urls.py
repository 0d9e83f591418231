from django.urls import include, path

from tinhso.portal import (
    views,
    views_account,
    views_dossiers,
    views_petitions,
    views_ratings,
    views_tracking,
    views_wizard,
)

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
    path("ho-so-cua-toi/<str:code>/danh-gia/", views_ratings.dossier_rating, name="dossier_rating"),
    path("ho-so-cua-toi/<str:code>/da-nop/", views_dossiers.submitted, name="submitted"),
    path("ho-so-cua-toi/<str:code>/bo-sung/", views_dossiers.supplement_submit, name="supplement"),
    path("ho-so-cua-toi/<str:code>/rut-ho-so/", views_dossiers.withdraw, name="withdraw"),
    path("ho-so-cua-toi/<str:code>/ket-qua/", views_dossiers.result_download, name="result"),
    path("ho-so-cua-toi/<str:code>/giay-to/<int:document_id>/", views_dossiers.document_download, name="document"),
    path("ho-so-cua-toi/<str:code>/phieu/<slug:slug>.pdf", views_dossiers.form_pdf, name="form_pdf"),
    # public tracking (the QR code on the receipt points to /tra-cuu/?ma=<code>)
    path("tra-cuu/", views_tracking.tracking, name="tracking"),
    # feedback (phản ánh, kiến nghị); the notifications link to /phan-anh/tra-cuu/?code=<code>
    path("phan-anh/", views_petitions.public_list, name="petition_list"),
    path("phan-anh/gui/", views_petitions.send, name="petition_send"),
    path("phan-anh/gui/ma-xac-thuc/", views_petitions.otp_request, name="petition_otp"),
    path("phan-anh/da-gui/", views_petitions.sent, name="petition_sent"),
    path("phan-anh/so-lieu/", views_petitions.counters_page, name="petition_counters"),
    path("phan-anh/tra-cuu/", views_petitions.lookup, name="petition_lookup"),
    path("phan-anh/cua-toi/", views_petitions.mine, name="petition_mine"),
    path("phan-anh/<str:code>/", views_petitions.petition_page, name="petition_page"),
    path("phan-anh/<str:code>/thao-tac/<slug:action>/", views_petitions.sender_action, name="petition_action"),
    # satisfaction ratings: the invitation link and the reception desk's tablet
    path("danh-gia/<str:token>/", views_ratings.invitation, name="rating_invitation"),
    path("quay-danh-gia/<str:token>/", views_ratings.kiosk, name="kiosk"),
    # signing: /xac-thuc-chu-ky/ (signature_verify), /tsa (RFC 3161), /pki/… (demo CA's root and CRL)
    path("", include("tinhso.signing.urls")),
]
