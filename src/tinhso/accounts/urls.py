from django.contrib.auth import views as auth_views
from django.urls import path

from tinhso.accounts import views

app_name = "accounts"

urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-nhap/ma-xac-thuc/", views.totp_verify_view, name="totp_verify"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("bao-mat/xac-thuc-hai-buoc/", views.totp_setup_view, name="totp_setup"),
    path("bao-mat/xac-thuc-hai-buoc/tat/", views.totp_disable_view, name="totp_disable"),
]
