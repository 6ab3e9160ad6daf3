"""Markdown → safe HTML for content pages: highlighted code, heading anchors, no raw HTML."""

import functools
import threading

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from codedrill.content.proofs import BLANK_RE

_FORMATTER = HtmlFormatter(cssclass="highlight", wrapcode=True)

ALLOWED_TAGS = {
    "a",
    "blockquote",
    "br",
    "code",
    "div",
    "em",
    "h2",
    "h3",
    "h4",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "span",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "div": {"class"},
    "span": {"class"},
    "code": {"class"},
    "pre": {"class"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "th": {"align"},
    "td": {"align"},
}


_converters = threading.local()


def _converter() -> md.Markdown:
    """This thread's Markdown converter, reset for the next text: building one loads every
    extension, and publishing renders some two thousand pieces of text."""
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = _converters.markdown = md.Markdown(
            extensions=["fenced_code", "codehilite", "tables", "toc"],
            extension_configs={
                "codehilite": {"css_class": "highlight", "guess_lang": False},
                "toc": {"toc_depth": "2-3"},
            },
        )
    return converter.reset()


@functools.lru_cache(maxsize=8192)
def render(text: str) -> tuple[str, list[dict]]:
    """Return (sanitized HTML, contents list of {"id", "title", "level"}). Remembered by text:
    a publish that changes one question renders only that question's text again."""
    converter = _converter()
    html = nh3.clean(
        converter.convert(text),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    # A code block that scrolls sideways must take keyboard focus, or keyboard users cannot
    # scroll it (added after sanitizing, which would strip the attribute).
    html = html.replace("<pre>", '<pre tabindex="0">')
    contents = []

    def walk(tokens: list[dict]) -> None:
        for token in tokens:
            contents.append({"id": token["id"], "title": token["name"], "level": token["level"]})
            walk(token["children"])

    walk(converter.toc_tokens)
    return html, contents


def render_html(text: str) -> str:
    return render(text)[0]


def render_inline(text: str) -> str:
    """A short piece (an option, a flow step) without the paragraph around it."""
    return unwrap_paragraph(render_html(text))


def unwrap_paragraph(html: str) -> str:
    """Rendered HTML that is one paragraph, without its <p>; anything else as it is."""
    html = html.strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html


@functools.lru_cache(maxsize=2048)
def highlight_code(code: str) -> SafeString:
    """Highlighted Python with each `___name___` blank shown as a labelled gap (remembered by
    code, as publishing and the reveal of a finished fill-in-the-blanks ask again)."""
    out = highlight(code, PythonLexer(), _FORMATTER)
    return mark_safe(  # noqa: S308 - Pygments escapes the code; the blank label is a \w+ name
        BLANK_RE.sub(lambda m: f'<mark class="blank">[{m.group(1)}]</mark>', out)
    )
