"""The directory is edited here (or with ``tinhso exchange peer``); messages, deliveries and the log
change only through the exchange's services, so the admin only looks at them."""

from django import forms
from django.contrib import admin

from tinhso.core.admin_mixins import AuditedAdminMixin, ReadOnlyAdminMixin
from tinhso.exchange.models import Delivery, LogEntry, Message, Peer
from tinhso.exchange.peers import credential_hash
from tinhso.signing.keystore import secret_encrypt


class PeerForm(forms.ModelForm):
    new_send_credential = forms.CharField(label="Khóa truy cập gửi sang (nhập để thay)", required=False,
                                          widget=forms.PasswordInput(render_value=False))
    new_accept_credential = forms.CharField(label="Khóa truy cập nhận về (nhập để thay)", required=False,
                                            widget=forms.PasswordInput(render_value=False))

    class Meta:
        model = Peer
        fields = ["code_pattern", "name", "endpoint", "certificate_pem", "is_hub", "is_active"]

    def save(self, commit=True):
        peer = super().save(commit=False)
        if self.cleaned_data.get("new_send_credential"):
            peer.send_credential = secret_encrypt(self.cleaned_data["new_send_credential"])
        if self.cleaned_data.get("new_accept_credential"):
            peer.accept_credential_hash = credential_hash(self.cleaned_data["new_accept_credential"])
        if commit:
            peer.save()
        return peer


@admin.register(Peer)
class PeerAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = PeerForm
    list_display = ("code_pattern", "name", "endpoint", "is_hub", "is_active")
    list_filter = ("is_hub", "is_active")
    search_fields = ("code_pattern", "name")


class DeliveryInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Delivery
    fields = ("recipient_code", "state", "attempts", "last_error", "delivered_at")
    extra = 0


@admin.register(Message)
class MessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("message_id", "direction", "kind", "state", "from_code", "status_code", "subject", "created_at")
    list_filter = ("direction", "kind", "state")
    search_fields = ("message_id", "document_id", "from_code", "subject")
    exclude = ("raw",)
    inlines = [DeliveryInline]


@admin.register(LogEntry)
class LogEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("seq", "at", "event", "message_id")
    list_filter = ("event",)
    search_fields = ("message_id",)
