from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, run

URLS = '\nfrom django.urls import path\nurlpatterns = [path("card/<int:user_id>/", card)]\n'
SERVER = Server("uvicorn", workers=1)
BROKEN = code()
FIXED = BROKEN.replace("    return render_card(user_id)", "    return await render_card(user_id)")
assert FIXED != BROKEN

broken = run(Site(BROKEN + URLS), SERVER, ["/card/7/"], timeout=5)
request = broken.requests[0]
facts = {"status": request.status, "hangs": request.status is None}
if request.status == 500:
    errors = broken.errors()
    facts["error"] = errors[-1]
fixed = run(Site(FIXED + URLS), SERVER, ["/card/7/"])
assert fixed.requests[0].body == "card 7", fixed.stderr
facts["fixed_status"] = fixed.requests[0].status
observe(**facts)
