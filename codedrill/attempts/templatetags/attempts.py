from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def clock(value: int | timedelta | None) -> str:
    """Seconds (or a duration) as m:ss, the way the countdown shows them."""
    if value is None:
        return "—"
    seconds = round(value.total_seconds()) if isinstance(value, timedelta) else int(value)
    return f"{seconds // 60}:{seconds % 60:02d}"


@register.filter
def words(slug: str) -> str:
    """A content label such as `component-behaviour` as words: `Component behaviour`."""
    return slug.replace("-", " ").capitalize()
