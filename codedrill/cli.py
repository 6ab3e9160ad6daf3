"""The `codedrill` command: Django's manage.py under a name operators and authors remember.

`codedrill serve` starts the production server and `codedrill check` checks content (the
`checkcontent` command; Django's own system check stays reachable as `codedrill systemcheck`).
Every other subcommand is a management command (`publish`, `migrate`, `createsuperuser`, ...);
`codedrill help` lists them.
"""

import os
import sys


def serve() -> None:
    """Replace this process with granian serving codedrill over WSGI (README: "Why WSGI")."""
    import django
    from django.conf import settings

    django.setup()
    host = os.environ.get("HOST", "127.0.0.1")
    port = os.environ.get("PORT", "8000")
    print(f"codedrill is serving on http://{host}:{port}/", flush=True)
    args = [
        sys.executable, "-m", "granian", "codedrill.wsgi:application",
        "--interface", "wsgi",
        "--host", host, "--port", port,
        "--workers", str(settings.SERVER_WORKERS),
        "--blocking-threads", str(settings.SERVER_THREADS),
        "--backlog", "2048",
        "--access-log",
    ]  # fmt: skip
    os.execv(sys.executable, args)  # noqa: S606 - fixed argv, no shell


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
    aliases = {"check": "checkcontent", "systemcheck": "check"}
    if command and command[0] in aliases:
        sys.argv[1] = aliases[command[0]]
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
