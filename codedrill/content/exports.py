"""A pattern's published questions in the formats LMSs import: GIFT and Moodle XML (Moodle),
and an IMS QTI 3.0 content package. Only content leaves: stems, code, options, keys and
solutions, which teachers may see; nothing about learners.

Each format carries the kinds it can say; the others are listed as skipped, never bent into
something they are not."""

import io
import re
import zipfile
from dataclasses import dataclass
from html import escape

from lxml import etree, html

from codedrill.content.models import Pattern, QuestionVersion

QTI = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0"
QTI_XSD = "https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqti_asiv3p0_v1p0.xsd"
CP = "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1"
CP_XSD = "https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqtiv3p0_imscpv1p2_v1p0.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
MATCH_CORRECT = "https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct.xml"


@dataclass(frozen=True)
class Export:
    content: bytes
    written: list[str]  # question slugs
    skipped: list[str]  # "slug (kind)": a kind the format cannot express


def _export(pattern: Pattern, kinds: set[str]) -> tuple[list[QuestionVersion], list[str]]:
    live = pattern.questions.filter(is_active=True).select_related("current__question")
    versions = [question.current for question in live]
    chosen = [v for v in versions if v.kind in kinds]
    return chosen, [f"{v.question.slug} ({v.kind})" for v in versions if v.kind not in kinds]


def _option_html(option: dict) -> str:
    return option.get("html") or escape(option.get("text", ""))


def _question_html(version: QuestionVersion) -> str:
    """The stem, then the code as a block."""
    code = f"<pre><code>{escape(version.code)}</code></pre>" if version.code else ""
    return version.stem + code


# --- GIFT -------------------------------------------------------------------------------------


def _gift_text(text: str) -> str:
    """HTML as GIFT text: its special characters escaped, and newlines as entities so that a
    code block never holds the blank line that ends a GIFT question."""
    return re.sub(r"([~=#{}:\\])", r"\\\1", text.replace("\n", "&#10;"))


def _gift_answers(version: QuestionVersion) -> list[str]:
    if version.kind == "short":
        return [f"={_gift_text(escape(version.key))}"]
    if version.kind == "single":
        return [
            ("=" if o["id"] == version.key else "~") + _gift_text(_option_html(o))
            for o in version.options
        ]
    right, wrong = _weights(version)
    return [
        f"~%{right if o['id'] in version.key else wrong}%{_gift_text(_option_html(o))}"
        for o in version.options
    ]


def _weights(version: QuestionVersion) -> tuple[str, str]:
    """A multiple-answer question's weights in percent: the right options share 100, the wrong
    ones -100 (0 for a single answer), written as Moodle's grade list writes them (33.33333),
    which is what its importers match."""
    keyed = len(version.key) if version.kind == "multiple" else 1
    wrong = max(1, len(version.options) - keyed)

    def percent(value: float) -> str:
        return f"{value:.5f}".rstrip("0").rstrip(".")

    return percent(100 / keyed), "0" if version.kind == "single" else percent(-100 / wrong)


def gift(pattern: Pattern) -> Export:
    versions, skipped = _export(pattern, {"single", "multiple", "short"})
    blocks = [f"$CATEGORY: $course$/codedrill/{pattern.slug}\n"]
    for v in versions:
        answers = "\n".join(f"  {answer}" for answer in _gift_answers(v))
        name = _gift_text(v.question.slug)
        blocks.append(f"::{name}::[html]{_gift_text(_question_html(v))} {{\n{answers}\n}}\n")
    text = "\n".join(blocks)
    return Export(text.encode(), [v.question.slug for v in versions], skipped)


# --- Moodle XML -------------------------------------------------------------------------------


def _text(parent, tag: str, content: str, fmt: str | None = "html"):
    element = etree.SubElement(parent, tag, format=fmt) if fmt else etree.SubElement(parent, tag)
    etree.SubElement(element, "text").text = etree.CDATA(content) if fmt == "html" else content
    return element


def _moodle_question(quiz, version: QuestionVersion) -> None:
    kind = "shortanswer" if version.kind == "short" else "multichoice"
    question = etree.SubElement(quiz, "question", type=kind)
    _text(question, "name", version.question.slug, fmt=None)
    _text(question, "questiontext", _question_html(version))
    _text(question, "generalfeedback", "".join(version.solution))
    etree.SubElement(question, "defaultgrade").text = "1"
    if version.kind == "short":
        etree.SubElement(question, "usecase").text = "1"
        answer = etree.SubElement(question, "answer", fraction="100", format="moodle_auto_format")
        etree.SubElement(answer, "text").text = version.key
        return
    etree.SubElement(question, "single").text = str(version.kind == "single").lower()
    etree.SubElement(question, "shuffleanswers").text = "true"
    etree.SubElement(question, "answernumbering").text = "abc"
    keyed = [version.key] if version.kind == "single" else version.key
    right, wrong = _weights(version)
    for option in version.options:
        answer = _text(question, "answer", _option_html(option))
        answer.set("fraction", right if option["id"] in keyed else wrong)


def moodle_xml(pattern: Pattern) -> Export:
    versions, skipped = _export(pattern, {"single", "multiple", "short"})
    quiz = etree.Element("quiz")
    category = etree.SubElement(quiz, "question", type="category")
    _text(category, "category", f"$course$/codedrill/{pattern.slug}", fmt=None)
    for version in versions:
        _moodle_question(quiz, version)
    content = etree.tostring(quiz, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return Export(content, [v.question.slug for v in versions], skipped)


# --- QTI 3.0 ----------------------------------------------------------------------------------


def _q(tag: str) -> str:
    return f"{{{QTI}}}{tag}"


def _xhtml(parent, fragment: str) -> None:
    """Sanitized HTML as XHTML children of `parent`, in the QTI namespace (QTI 3.0 items carry
    their HTML as elements of the item's own namespace)."""
    for node in html.fragments_fromstring(fragment):
        if isinstance(node, str):
            if len(parent):
                parent[-1].tail = (parent[-1].tail or "") + node
            else:
                parent.text = (parent.text or "") + node
            continue
        for element in node.iter():
            element.tag = _q(element.tag)
        parent.append(node)


def _identifier(text: str) -> str:
    """A QTI identifier (an XML NCName) from a slug or option id."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text if text[:1].isalpha() else f"I{text}")


def _qti_item(version: QuestionVersion) -> bytes:
    slug = version.question.slug
    item = etree.Element(
        _q("qti-assessment-item"),
        nsmap={None: QTI, "xsi": XSI},
        identifier=_identifier(slug),
        title=slug,
        adaptive="false",
        **{"time-dependent": "false", f"{{{XSI}}}schemaLocation": f"{QTI} {QTI_XSD}"},
    )
    single = version.kind in ("single", "short")
    declaration = etree.SubElement(
        item,
        _q("qti-response-declaration"),
        identifier="RESPONSE",
        cardinality={"short": "single", "single": "single", "multiple": "multiple"}.get(
            version.kind, "ordered"
        ),
        **{"base-type": "string" if version.kind == "short" else "identifier"},
    )
    correct = etree.SubElement(declaration, _q("qti-correct-response"))
    for value in [version.key] if single else version.key:
        etree.SubElement(correct, _q("qti-value")).text = (
            value if version.kind == "short" else _identifier(value)
        )
    outcome = etree.SubElement(
        item, _q("qti-outcome-declaration"), identifier="SCORE", cardinality="single"
    )
    outcome.set("base-type", "float")
    default = etree.SubElement(outcome, _q("qti-default-value"))
    etree.SubElement(default, _q("qti-value")).text = "0"
    body = etree.SubElement(item, _q("qti-item-body"))
    _xhtml(body, _question_html(version))
    if version.kind == "short":
        holder = etree.SubElement(body, _q("p"))
        entry = etree.SubElement(holder, _q("qti-text-entry-interaction"))
        entry.set("response-identifier", "RESPONSE")
    else:
        tag = "qti-order-interaction" if version.kind == "order" else "qti-choice-interaction"
        interaction = etree.SubElement(body, _q(tag), shuffle="true")
        interaction.set("response-identifier", "RESPONSE")
        if tag == "qti-choice-interaction":
            interaction.set("max-choices", "1" if version.kind == "single" else "0")
        for option in version.options:
            choice = etree.SubElement(
                interaction, _q("qti-simple-choice"), identifier=_identifier(option["id"])
            )
            _xhtml(choice, _option_html(option))
    processing = etree.SubElement(item, _q("qti-response-processing"))
    processing.set("template", MATCH_CORRECT)
    return etree.tostring(item, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def qti(pattern: Pattern) -> Export:
    """A QTI 3.0 content package (zip): one item per question and the manifest listing them."""
    versions, skipped = _export(pattern, {"single", "multiple", "order", "short"})
    manifest = etree.Element(
        f"{{{CP}}}manifest",
        nsmap={None: CP, "xsi": XSI},
        identifier=_identifier(f"codedrill-{pattern.slug}"),
        **{f"{{{XSI}}}schemaLocation": f"{CP} {CP_XSD}"},
    )
    metadata = etree.SubElement(manifest, f"{{{CP}}}metadata")
    etree.SubElement(metadata, f"{{{CP}}}schema").text = "QTI Package"
    etree.SubElement(metadata, f"{{{CP}}}schemaversion").text = "3.0.0"
    etree.SubElement(manifest, f"{{{CP}}}organizations")
    resources = etree.SubElement(manifest, f"{{{CP}}}resources")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for version in versions:
            identifier = _identifier(version.question.slug)
            href = f"items/{identifier}.xml"
            package.writestr(href, _qti_item(version))
            resource = etree.SubElement(
                resources,
                f"{{{CP}}}resource",
                identifier=identifier,
                type="imsqti_item_xmlv3p0",
                href=href,
            )
            etree.SubElement(resource, f"{{{CP}}}file", href=href)
        package.writestr(
            "imsmanifest.xml",
            etree.tostring(manifest, xml_declaration=True, encoding="UTF-8", pretty_print=True),
        )
    return Export(buffer.getvalue(), [v.question.slug for v in versions], skipped)


FORMATS = {"qti": qti, "gift": gift, "moodle-xml": moodle_xml}
