from codedrill.content.proofs import code, observe
from codedrill.lab.engine import Server, Site, run

ORIGINAL = code()
ASYNC_EXPORT = "async def export(request):\n"


def variant(name):
    source = ORIGINAL
    if name == "sync_to_async":
        source = "from asgiref.sync import sync_to_async\n" + source.replace(
            "data = build_csv()", "data = await sync_to_async(build_csv)()"
        )
    elif name == "sync_health":
        source = source.replace("async def health(", "def health(")
    elif name == "async_helper":
        source = source.replace("def build_csv(", "async def build_csv(").replace(
            "data = build_csv()", "data = await build_csv()"
        )
    elif name == "yield_first":
        source = "import asyncio\n" + source.replace(
            ASYNC_EXPORT, ASYNC_EXPORT + "    await asyncio.sleep(0)\n"
        )
    assert source != ORIGINAL
    return source


def health_during_export(source):
    site = Site(
        source
        + "\nfrom django.urls import path\n"
        + 'urlpatterns = [path("export/", export), path("health/", health)]\n'
    )
    result = run(site, Server("uvicorn", workers=1), ["/export/", ("/health/", 0.5)])
    export, health = result.requests
    if export.status != 200 or export.body != "id,total\n" or health.body != "ok":
        return "error"
    return "fast" if health.seconds < 0.75 else "waits"


facts = {"original": health_during_export(ORIGINAL)}
for name in ("sync_to_async", "sync_health", "async_helper", "yield_first"):
    facts[name] = health_during_export(variant(name))
observe(**facts)
