import re

from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, run

site = Site(
    code() + '\nfrom django.urls import path\nurlpatterns = [path("active/", active_users)]\n',
    database=True,
)
result = run(site, Server("uvicorn", workers=1), ["/active/"])
status = result.requests[0].status
facts = {"status": status}
if status == 500:
    # The traceback Django logs: the last frame in the site module, and the exception's class.
    lines = re.findall(r'File ".*lab_site\.py", line (\d+)', result.stderr)
    error = result.errors()
    facts |= {"line": int(lines[-1]), "error": error[-1]}
observe(**facts)
