from django.urls import path

from tinhso.exchange import views

app_name = "exchange"

urlpatterns = [
    path("messages", views.messages, name="messages"),
    path("messages/<str:message_id>", views.message_detail, name="message"),
    path("messages/<str:message_id>/status", views.message_status, name="message_status"),
]
