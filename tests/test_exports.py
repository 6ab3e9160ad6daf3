"""`codedrill export qti|gift|moodle-xml PATTERN`, each read back by a parser that is not ours:
the GIFT by pygiftparser (pygiftparserrgmf), the QTI 3.0 package by Citolab's QTI 3 → 2.1
converter, the Moodle XML's multiple-choice questions by moodle-xml-parser (which reads no
short-answer questions: lxml reads those)."""

import io
import re
import zipfile

import pytest
from django.core.management import call_command
from lxml import etree
from moodle_xml_parser import parser as moodle_parser
from pygiftparser import parser as gift_parser
from qti_convert.package import downgrade_package

from codedrill.content.models import Question

pytestmark = pytest.mark.usefixtures("published_for_module")

QTI21 = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"


def export(fmt: str, tmp_path) -> tuple[bytes, str]:
    out, err = tmp_path / f"export.{fmt}", io.StringIO()
    call_command("export", fmt, "async-django", "--output", str(out), stderr=err)
    return out.read_bytes(), err.getvalue()


def live(kinds: set[str]) -> dict[str, object]:
    """slug -> current version of the pattern's live questions of these kinds."""
    questions = Question.objects.filter(is_active=True, pattern__slug="async-django")
    return {
        q.slug: q.current for q in questions.select_related("current") if q.current.kind in kinds
    }


def unescaped(gift_text: str) -> str:
    """What Moodle stores of GIFT text: its escapes undone, its newline entities newlines."""
    return re.sub(r"\\([~=#{}:\\])", r"\1", gift_text).replace("&#10;", "\n")


def weighed(option) -> tuple[float, str]:
    """An option's weight and text. The parser reads whole percentages only; Moodle's grade
    list (and so our export) also has 33.33333, left at the front of the text."""
    if found := re.match(r"%(-?[0-9.]+)%(.*)$", option.text, re.DOTALL):
        return float(found[1]) / 100, unescaped(found[2])
    return option.percentage, unescaped(option.text)


def test_gift_reads_back_with_every_key(tmp_path, pattern):
    content, summary = export("gift", tmp_path)
    expected = live({"single", "multiple", "short"})
    parsed = {q.name: q for q in gift_parser.parse(content.decode()).questions}
    assert parsed.keys() == expected.keys()
    assert f"{len(expected)} question(s) written" in summary
    assert "(order)" in summary and "(blank)" in summary  # said, not bent into another kind
    for slug, version in expected.items():
        options = parsed[slug].answer.options
        if version.kind == "short":
            assert [unescaped(o.text) for o in options] == [version.key]
            continue
        read = [weighed(o) for o in options]
        assert {text for _w, text in read} == {o["html"] for o in version.options}
        keyed = {version.key} if version.kind == "single" else set(version.key)
        right = {o["html"] for o in version.options if o["id"] in keyed}
        assert {text for weight, text in read if weight > 0} == right, slug
        assert sum(weight for weight, _t in read if weight > 0) == pytest.approx(1, abs=1e-4)


def test_moodle_xml_has_every_question_with_its_key(tmp_path, pattern):
    content, _ = export("moodle-xml", tmp_path)
    choices = {q.name: q for q in moodle_parser.parse_bytes(content)["multichoice"]}
    assert choices.keys() == live({"single", "multiple"}).keys()
    for slug, version in live({"single", "multiple"}).items():
        question = choices[slug]
        assert question.single == (version.kind == "single")
        assert version.stem in question.text_pre_parse
        assert question.general_feedback == "".join(version.solution)
        keyed = {version.key} if version.kind == "single" else set(version.key)
        right = {o["html"] for o in version.options if o["id"] in keyed}
        assert {o.answer for o in question.options if o.score_fraction > 0} == right, slug
        assert sum(o.score_fraction for o in question.options if o.score_fraction > 0) == (
            pytest.approx(100, abs=1e-3)
        )
    shorts = {
        q.findtext("name/text"): q
        for q in etree.fromstring(content).iterfind("question[@type='shortanswer']")
    }
    assert shorts.keys() == live({"short"}).keys()
    for slug, version in live({"short"}).items():
        [answer] = shorts[slug].iterfind("answer")
        assert (answer.findtext("text"), answer.get("fraction")) == (version.key, "100")


def test_the_qti_package_converts_with_every_correct_response(tmp_path, pattern):
    content, summary = export("qti", tmp_path)
    expected = live({"single", "multiple", "order", "short"})
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        assert "imsmanifest.xml" in package.namelist()
    converted = downgrade_package(str(tmp_path / "export.qti"))
    items = {}
    for text in converted.files.values():
        root = etree.fromstring(text.encode() if isinstance(text, str) else text)
        if root.tag == f"{QTI21}assessmentItem":
            items[root.get("identifier")] = root
    assert items.keys() == expected.keys()
    for slug, version in expected.items():
        values = [v.text for v in items[slug].iter(f"{QTI21}value")][:-1]  # the last: SCORE's 0
        keyed = [version.key] if version.kind in ("single", "short") else version.key
        assert values == keyed, slug
    assert "(blank)" in summary


def test_an_unknown_pattern_is_a_clear_error(tmp_path, pattern):
    with pytest.raises(Exception, match="No published pattern 'nope'"):
        call_command("export", "gift", "nope")
