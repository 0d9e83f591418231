"""``make run``: the web server and the task worker side by side, for a demo or a developer.

Production runs them as separate services (gunicorn and ``tinhso db_worker``), see docs/deployment.md.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys


def served_url(host: str, port: str) -> str:
    """The address people reach this server at: links in SMS, e-mails and QR codes point there.
    A wildcard bind (0.0.0.0, ::) is reached through the machine's name, not the wildcard."""
    if host in ("0.0.0.0", "::", ""):  # noqa: S104 - naming the wildcard, not binding to it
        host = socket.gethostname() or "localhost"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def main() -> None:
    parser = argparse.ArgumentParser(description="Chạy máy chủ web và tiến trình nền của Tỉnh Số")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="8000")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinhso.config.settings")
    # The children (server, worker, periodic jobs) inherit it, so every message the worker sends
    # links to this server; an address the operator set explicitly wins.
    url = os.environ.get("TINHSO_PUBLIC_URL", "").strip().rstrip("/") or served_url(args.host, args.port)
    os.environ["TINHSO_PUBLIC_URL"] = url
    tinhso = [sys.executable, "-m", "tinhso"]
    worker = subprocess.Popen([*tinhso, "db_worker", "--interval", "1"])  # noqa: S603
    periodic = subprocess.Popen([*tinhso, "periodic", "--loop", "--interval", "60"])  # noqa: S603
    subprocess.run([*tinhso, "demo", "logins", "--url", url], check=False)  # noqa: S603
    server = subprocess.Popen([*tinhso, "runserver", f"{args.host}:{args.port}", "--noreload"])  # noqa: S603

    def stop(*_):
        for proc in (server, worker, periodic):
            if proc.poll() is None:
                proc.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        code = server.wait()
    finally:
        stop()
        worker.wait(timeout=10)
        periodic.wait(timeout=10)
    # A server that could not start (port taken…) must make `make run` fail, not report success.
    if code not in (0, -signal.SIGINT, -signal.SIGTERM):
        sys.exit(code)


if __name__ == "__main__":
    main()
