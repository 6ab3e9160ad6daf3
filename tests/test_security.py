import os
import subprocess

import pytest
from conftest import CODEDRILL

PAGES = [
    "/",
    "/patterns/async-django/",
    "/patterns/async-django/learn/",
    "/signup/",
    "/login/",
    "/account/export.json",
    "/healthz",
    "/no-such-page/",
]


@pytest.mark.parametrize("url", PAGES)
def test_it_sends_security_headers_on_every_page(client, pattern, url):
    client.get("/")  # some pages need a session; an anonymous one is enough
    response = client.get(url)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_it_has_no_inline_script_or_style(client, pattern):
    for url in ["/", "/patterns/async-django/", "/patterns/async-django/learn/", "/signup/"]:
        html = client.get(url).content.decode()
        assert "<script>" not in html and " style=" not in html and "<style" not in html


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "CODEDRILL_DATA_DIR": str(tmp_path),
        "HTTPS": "on",
        "DEBUG": "",
        "ALLOWED_HOSTS": "codedrill.example.org",
    }
    env.pop("SECRET_KEY", None)  # the generated key must pass the deploy check too
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    result = subprocess.run(
        [CODEDRILL, "systemcheck", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
