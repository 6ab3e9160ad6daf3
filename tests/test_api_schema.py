"""The API does what its OpenAPI document says: schemathesis, every check, against a real server
(SQLite, or the PostgreSQL of DATABASE_URL), as a learner with a session and a CSRF token."""

import re
import subprocess
import sys
from pathlib import Path

import httpx
from liveserver import serve

SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))
CONFIG = Path(__file__).with_name("schemathesis.toml")
EXAMPLES = 12  # per operation and phase: a count, not a time, so a busy machine runs as many


def learner_session(base: str) -> tuple[str, str]:
    """A guest learner's session cookie and CSRF token, with a test already started."""
    with httpx.Client(base_url=base) as browser:
        browser.get("/api/v1/csrf")
        started = browser.post(
            "/api/v1/patterns/async-django/tests",
            headers={"X-CSRFToken": browser.cookies["csrftoken"]},
        )
        assert started.status_code == 201
        return browser.cookies["sessionid"], browser.cookies["csrftoken"]


def test_the_api_matches_its_openapi_document(tmp_path):
    with serve(tmp_path) as (base, _process):
        session, token = learner_session(base)
        result = subprocess.run(
            [
                SCHEMATHESIS, "--config-file", str(CONFIG), "run", f"{base}/api/v1/openapi.json",
                "--checks", "all", "--max-examples", str(EXAMPLES),
                "--seed", "12", "--no-color",  # one worker: Hypothesis parses code with
                # `ast`, which Python 3.11 does not allow in two threads at once
                "-H", f"Cookie: sessionid={session}; csrftoken={token}",
                "-H", f"X-CSRFToken: {token}",
            ],
            capture_output=True, text=True, timeout=600,
            cwd=tmp_path,  # schemathesis keeps a cache of what it found in .schemathesis/
        )  # fmt: skip
    report = result.stdout[-6000:] + result.stderr[-2000:]
    assert result.returncode == 0, report  # no 5xx, no answer the document does not describe
    counts = re.search(r"(\d+) generated, (\d+) passed", result.stdout)
    assert int(counts[1]) == int(counts[2]) >= 500, report
