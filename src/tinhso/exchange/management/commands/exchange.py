"""``tinhso exchange``: the directory of peers, the state of the exchange, offline verification.

    tinhso exchange peer add H36.* --name "…" --url https://…/exchange/v1 --certificate ca.pem \
        --send-credential … --accept-credential …
    tinhso exchange peer list | peer remove H36.*
    tinhso exchange status
    tinhso exchange deliver [--loop]      (in the periodic jobs)
    tinhso exchange verify <message-id> | --all | --file export.zip [--roots roots.pem]
    tinhso exchange export <message-id> --out message.zip
    tinhso exchange resend <delivery-id> --user <văn thư>
"""

from __future__ import annotations

from pathlib import Path

from django.core.management import BaseCommand, CommandError

from tinhso.core.errors import DomainError


class Command(BaseCommand):
    help = "Liên thông văn bản edXML: danh bạ, tình trạng, kiểm tra ngoại tuyến, xuất gói tin."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        peer = sub.add_parser("peer", help="Danh bạ liên thông")
        peer_sub = peer.add_subparsers(dest="peer_action", required=True)
        add = peer_sub.add_parser("add", help="Thêm hoặc sửa một hệ thống")
        add.add_argument("pattern", help="Mã định danh cơ quan, hoặc mẫu có * (H36.*, *.H36)")
        add.add_argument("--name", default="")
        add.add_argument("--url", default="", help="Địa chỉ liên thông (…/exchange/v1); bỏ trống: qua trục")
        add.add_argument("--certificate", default="", help="Tệp PEM: chứng thư được ký thay mặt (hoặc CA)")
        add.add_argument("--send-credential", default="", help="Khóa truy cập trình cho hệ thống đó")
        add.add_argument("--accept-credential", default="", help="Khóa truy cập hệ thống đó trình cho ta")
        add.add_argument("--hub", action="store_true", help="Hệ thống này là trục liên thông")
        peer_sub.add_parser("list", help="Liệt kê danh bạ")
        remove = peer_sub.add_parser("remove", help="Ngừng liên thông với một hệ thống")
        remove.add_argument("pattern")
        sub.add_parser("status", help="Số gói tin theo trạng thái, lượt gửi lỗi")
        deliver = sub.add_parser("deliver", help="Gửi các lượt đến hạn (thử lại có giãn cách)")
        deliver.add_argument("--loop", action="store_true", help="Chạy liên tục cho đến khi bị dừng.")
        deliver.add_argument("--interval", type=float, default=10.0, help="Số giây nghỉ khi không còn việc.")
        verify = sub.add_parser("verify", help="Kiểm tra chữ ký, dấu thời gian, chuỗi nhật ký (không cần mạng)")
        verify.add_argument("message_id", nargs="?")
        verify.add_argument("--all", action="store_true")
        verify.add_argument("--file", default="")
        verify.add_argument("--roots", default="", help="Tệp PEM chứng thư gốc dùng thay cho tệp đi kèm")
        export = sub.add_parser("export", help="Xuất một gói tin thành tệp tự kiểm tra được")
        export.add_argument("message_id")
        export.add_argument("--out", required=True)
        resend = sub.add_parser("resend", help="Gửi lại một lượt chuyển bị lỗi hoặc bị từ chối")
        resend.add_argument("delivery_id", type=int)
        resend.add_argument("--user", required=True, help="Tên đăng nhập của văn thư")

    def handle(self, *args, action: str, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except DomainError as exc:
            raise CommandError(f"{exc} [{exc.code}]") from None

    def _peer(self, *, peer_action: str, **options):
        from tinhso.exchange.models import Peer
        from tinhso.exchange.peers import peer_remove, peer_save

        if peer_action == "add":
            pem = Path(options["certificate"]).read_text() if options["certificate"] else ""
            peer = peer_save(actor=None, code_pattern=options["pattern"], name=options["name"],
                             endpoint=options["url"], certificate_pem=pem,
                             send_credential=options["send_credential"],
                             accept_credential=options["accept_credential"], is_hub=options["hub"])
            self.stdout.write(f"Đã lưu {peer.code_pattern} — {peer.name} ({peer.endpoint or 'qua trục'}).")
        elif peer_action == "remove":
            peer_remove(actor=None, code_pattern=options["pattern"])
            self.stdout.write(f"Đã ngừng liên thông với {options['pattern']}.")
        else:
            for peer in Peer.objects.all():
                flags = ", ".join(f for f, on in (("trục", peer.is_hub), ("ngừng", not peer.is_active),
                                                   ("có chứng thư", bool(peer.certificate_pem)),
                                                   ("nhận khóa", bool(peer.accept_credential_hash))) if on)
                self.stdout.write(f"{peer.code_pattern:<16} {peer.name:<40} {peer.endpoint or '(qua trục)'}  {flags}")

    def _deliver(self, *, loop: bool = False, interval: float = 10.0, **options):
        import time

        from tinhso.exchange.delivery import deliveries_run

        while True:
            tried = deliveries_run()
            if not loop:
                self.stdout.write(f"Liên thông: đã thử gửi {tried} lượt.")
                return
            if not tried:
                time.sleep(interval)

    def _status(self, **options):
        from django.db.models import Count

        from tinhso.exchange.models import Delivery, Message

        for row in (Message.objects.values("direction", "kind", "state").annotate(n=Count("pk"))
                    .order_by("direction", "kind", "state")):
            self.stdout.write(f"{row['direction']:<6} {row['kind']:<9} {row['state']:<11} {row['n']}")
        stuck = Delivery.objects.exclude(state=Delivery.State.DELIVERED).select_related("message")
        for d in stuck:
            self.stdout.write(f"lượt {d.pk}: {d.message.message_id} → {d.recipient_code}: {d.get_state_display()} "
                              f"{d.last_error[:120]}")

    def _verify(self, *, message_id=None, all=False, file="", roots="", **options):  # noqa: A002
        from tinhso.exchange.verify import bundle_verify, messages_verify

        if file:
            report = bundle_verify(data=Path(file).read_bytes(),
                                   roots_pem=Path(roots).read_text() if roots else None)
        elif all or message_id:
            report = messages_verify(message_id=None if all else message_id)
        else:
            raise CommandError("Cần mã gói tin, --all hoặc --file.")
        for problem in report.problems:
            self.stderr.write(f"LỖI: {problem}")
        if not report.ok:
            raise CommandError(f"{len(report.problems)} lỗi trên {report.checked} gói tin.")
        self.stdout.write(f"Hợp lệ: {report.checked} gói tin, chữ ký, dấu thời gian và chuỗi nhật ký đều đúng.")

    def _export(self, *, message_id: str, out: str, **options):
        from tinhso.exchange.models import Message
        from tinhso.exchange.verify import message_export

        message = Message.objects.filter(message_id=message_id).order_by("created_at").first()
        if message is None:
            raise CommandError(f"Không có gói tin {message_id}.")
        Path(out).write_bytes(message_export(message=message))
        self.stdout.write(f"Đã xuất {message_id} vào {out}.")

    def _resend(self, *, delivery_id: int, user: str, **options):
        from tinhso.accounts.models import User
        from tinhso.exchange.models import Delivery
        from tinhso.exchange.sending import delivery_resend

        delivery = Delivery.objects.filter(pk=delivery_id).select_related("message").first()
        actor = User.objects.filter(username=user).first()
        if delivery is None or actor is None:
            raise CommandError("Không tìm thấy lượt chuyển hoặc người dùng.")
        delivery_resend(actor=actor, delivery=delivery)
        self.stdout.write(f"Đã xếp lượt {delivery_id} vào hàng gửi lại.")
