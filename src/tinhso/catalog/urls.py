from django.urls import path

from tinhso.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.procedure_search_view, name="search"),
    path("<str:code>/", views.procedure_detail_view, name="detail"),
    path("<str:code>/mau/<int:document_id>/", views.template_download_view, name="template"),
]
