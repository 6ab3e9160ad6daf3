"""Adds a Server-Timing header to every response, so the team can see where time goes."""

import time


class RequestTimer:
    async_capable = True
    sync_capable = False

    def __init__(self, get_response):
        self.get_response = get_response

    async def __call__(self, request):
        started = time.perf_counter()
        response = await self.get_response(request)
        elapsed = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = f"app;dur={elapsed:.1f}"
        return response
