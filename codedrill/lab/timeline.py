"""A measured run as a timeline: the geometry of one bar per request, for the SVG the run page
draws on the server. Several runs compared share one time scale. When the run counted each
request's database queries, a column at the right shows them."""

import math

WIDTH, LEFT, BAR, GAP, TOP = 640, 44, 16, 6, 8
RIGHT, QUERIES_COLUMN = 8, 84  # the right margin, without and with the queries column


def _step(span: float) -> float:
    """A round tick step giving 4 to 10 ticks over `span` seconds."""
    raw = span / 6
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def draw(requests: list[dict], span: float) -> dict:
    """Bars, ticks and size for an SVG of `requests` over `span` seconds."""
    span = max(span, 0.001)
    counted = any(request.get("queries") is not None for request in requests)
    scale = (WIDTH - LEFT - (QUERIES_COLUMN if counted else RIGHT)) / span
    bars = []
    for number, request in enumerate(requests, 1):
        x = LEFT + request["start"] * scale
        width = max(2.0, (request["end"] - request["start"]) * scale)
        bars.append({
            "number": number,
            "x": round(x, 1),
            "y": TOP + (number - 1) * (BAR + GAP),
            "width": round(width, 1),
            "seconds": request["end"] - request["start"],
            "failed": request["status"] != 200,
            "queries": None,  # older runs did not count them
            **request,
        })  # fmt: skip
    step = _step(span)
    ticks = [
        {"x": round(LEFT + i * step * scale, 1), "label": f"{i * step:g} s"}
        for i in range(int(span / step) + 1)
    ]
    axis = TOP + len(requests) * (BAR + GAP)
    return {"bars": bars, "ticks": ticks, "axis": axis, "height": axis + 24, "width": WIDTH,
            "left": LEFT, "bar": BAR, "label_y": BAR - 4, "counted": counted,
            "queries_x": WIDTH - 4}  # fmt: skip
