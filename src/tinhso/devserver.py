"""``make run``: the web server and the task worker side by side, for a demo or a developer.

Production runs them as separate services (gunicorn and ``tinhso db_worker``), see docs/deployment.md.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys


def main() -> None:
    parser = argparse.ArgumentParser(description="Chạy máy chủ web và tiến trình nền của Tỉnh Số")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="8000")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinhso.config.settings")
    tinhso = [sys.executable, "-m", "tinhso"]
    worker = subprocess.Popen([*tinhso, "db_worker", "--interval", "1"])  # noqa: S603
    periodic = subprocess.Popen([*tinhso, "periodic", "--loop", "--interval", "60"])  # noqa: S603
    url = f"http://{args.host}:{args.port}"
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
