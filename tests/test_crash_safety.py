import json
import re
import signal
import subprocess

import httpx
from conftest import CODEDRILL
from liveserver import serve, stop


def test_a_committed_write_survives_a_crash_of_the_server(tmp_path):
    env_db = {"DATABASE_URL": ""}  # this test is about the embedded SQLite default
    with serve(tmp_path, **env_db) as (base, process):
        with httpx.Client(base_url=base) as browser:
            page = browser.get("/patterns/async-django/learn/").text
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
            response = browser.post(
                "/patterns/async-django/learn/done", data={"csrfmiddlewaretoken": token}
            )
            assert response.status_code == 302
        stop(process, signal.SIGKILL)  # no clean shutdown: the process dies at once

    count = subprocess.run(
        [CODEDRILL, "shell", "-v0", "-c",
         "from codedrill.learning.models import ModeProgress as M; import json; "
         "print(json.dumps(list(M.objects.values_list('mode', 'percent'))))"],
        env={"CODEDRILL_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert json.loads(count.stdout) == [["learn", 100]]
