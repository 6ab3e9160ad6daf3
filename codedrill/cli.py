"""The `codedrill` command: Django's manage.py under a name operators and authors remember.

`codedrill serve` starts the production server and `codedrill check` checks content (the
`checkcontent` command; Django's own system check stays reachable as `codedrill systemcheck`).
Every other subcommand is a management command (`publish`, `migrate`, `createsuperuser`, ...);
`codedrill help` lists them.
"""

import os
import signal
import subprocess
import sys
import time


def serve() -> None:
    """Run the production server (granian over WSGI, README: "Why WSGI") and LAB_WORKERS lab
    workers beside it, one per core by default; a lab worker that dies is started again. Ends
    when the web server ends, or on SIGTERM or SIGINT, stopping everything it started."""
    import django
    from django.conf import settings

    django.setup()
    from codedrill.views import static_ready

    if not static_ready():
        sys.exit(
            "Static files are not collected, so every page would fail: run "
            "`codedrill collectstatic --noinput` first (`make run` does), then serve again."
        )
    host = os.environ.get("HOST", "127.0.0.1")
    port = os.environ.get("PORT", "8000")
    web = [
        sys.executable, "-m", "granian", "codedrill.wsgi:application",
        "--interface", "wsgi",
        "--host", host, "--port", port,
        "--workers", str(settings.SERVER_WORKERS),
        "--blocking-threads", str(settings.SERVER_THREADS),
        "--backlog", "2048",
        # A worker that dies (a crash, the OOM killer) is replaced; without this granian
        # stops every worker and exits, taking the whole site down.
        "--respawn-failed-workers", "--respawn-interval", "0.5",
        "--access-log",
    ]  # fmt: skip
    codedrill = [sys.executable, "-c", "from codedrill.cli import main; main()"]
    lab = [[*codedrill, "labworker", "--slot", str(slot)] for slot in range(settings.LAB_WORKERS)]
    children = {"web": subprocess.Popen(web)}  # noqa: S603 - fixed argv, no shell
    print(f"codedrill is serving on http://{host}:{port}/, {len(lab)} lab worker(s)", flush=True)

    def stop(signum=signal.SIGTERM, frame=None) -> None:
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children.values():
            try:
                child.wait(10)
            except subprocess.TimeoutExpired:
                child.kill()
        sys.exit(children["web"].returncode or 0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while children["web"].poll() is None:
        for slot, argv in enumerate(lab):
            worker = children.get(slot)
            if worker is None or worker.poll() is not None:
                children[slot] = subprocess.Popen(argv)  # noqa: S603 - fixed argv
        time.sleep(0.5)
    stop()


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "codedrill.settings")
    command = sys.argv[1:2]
    if command == ["serve"]:
        serve()
    if command == ["sandbox-check"]:
        import django

        from codedrill.sandbox.hostile import main as sandbox_check

        django.setup()
        sys.exit(sandbox_check())
    # Authors say `codedrill check`; Django's system check keeps its own name under another.
    aliases = {
        "check": "checkcontent",
        "import": "importquestions",
        "systemcheck": "check",
        "lti-register": "lti_register",
        "lti-rotate-key": "lti_rotate_key",
        "lti-sendgrades": "lti_sendgrades",
    }
    if command and command[0] in aliases:
        sys.argv[1] = aliases[command[0]]
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
