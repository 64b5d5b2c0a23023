"""tasks.encoding on real Arabic text in windows-1256 / ISO-8859-6 / cp720 (see fixtures/encodings/PROVENANCE.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks.encoding import codec_name, decode_html, feed_charset, repair_mojibake

ENC = Path(__file__).parent / "fixtures" / "encodings"
UTF8_REF = (ENC / "charset_normalizer" / "sample-arabic.txt").read_text("utf-8")
TEXT = "الأخبار العاجلة من القاهرة ودمشق وبغداد"
PAGE = f"<html><head><title>{TEXT}</title></head><body><p>{TEXT}</p></body></html>"


def _files(folder: str) -> list[Path]:
    return sorted(p for p in (ENC / folder).iterdir() if p.is_file())


@pytest.mark.parametrize("path", _files("windows-1256-arabic") + _files("iso-8859-6-arabic") + _files("cp720-arabic"),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_undeclared_arabic_code_pages_detected(path):
    expected = {"windows-1256-arabic": "cp1256", "iso-8859-6-arabic": "iso8859-6", "cp720-arabic": "cp720"}
    raw = path.read_bytes()
    d = decode_html(raw, None)
    assert d.encoding == expected[path.parent.name] and d.source == "detected"
    assert d.text == raw.decode(d.encoding) and "\ufffd" not in d.text
    assert feed_charset(raw, None) == d.encoding


def test_charset_normalizer_sample_pair_decodes_identically():
    d = decode_html((ENC / "charset_normalizer" / "sample-arabic-1.txt").read_bytes(), "text/plain")
    assert d.encoding == "cp1256" and d.text.split() == UTF8_REF.split()


@pytest.mark.parametrize("ctype,source", [("text/html; charset=windows-1256", "http"),
                                          ("text/html; charset=\"WINDOWS-1256\"", "http"), (None, "meta")])
def test_declared_charset_used(ctype, source):
    body = ('<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">' + PAGE).encode("cp1256")
    d = decode_html(body, ctype)
    assert (d.encoding, d.source) == ("cp1256", source) and TEXT in d.text


def test_meta_charset_and_xml_declaration():
    assert decode_html(('<meta charset="iso-8859-6">' + PAGE).encode("iso-8859-6")).source == "meta"
    xml = ('<?xml version="1.0" encoding="windows-1256"?><rss><title>' + TEXT + "</title></rss>").encode("cp1256")
    d = decode_html(xml)
    assert (d.source, d.encoding) == ("xml", "cp1256") and TEXT in d.text


def test_header_utf8_contradicted_by_cp1256_bytes():
    d = decode_html(PAGE.encode("cp1256"), "text/html; charset=utf-8")
    assert (d.encoding, d.source) == ("cp1256", "detected") and TEXT in d.text


def test_header_latin1_but_bytes_are_arabic():
    for enc in ("utf-8", "cp1256"):
        d = decode_html(PAGE.encode(enc), "text/html; charset=ISO-8859-1")
        assert d.encoding == enc and TEXT in d.text


def test_latin_text_in_cp1252_left_alone():
    body = "<p>Le président a déclaré être très inquiet à propos de l'été.</p>".encode("cp1252")
    d = decode_html(body, "text/html; charset=windows-1252")
    assert (d.encoding, d.source) == ("cp1252", "http") and "président" in d.text


def test_invalid_utf8_bytes_do_not_crash():
    body = PAGE.encode() + b"\xff\xfe\xc3(" + PAGE.encode()
    d = decode_html(body, "text/html; charset=utf-8")
    assert TEXT in d.text or d.source == "fallback"
    assert isinstance(d.text, str)


def test_bom_wins_over_meta_declaration():
    body = b"\xef\xbb\xbf" + ('<meta charset="windows-1256">' + PAGE).encode("utf-8")
    d = decode_html(body, "text/html; charset=windows-1256")
    assert d.source == "bom" and TEXT in d.text and not d.text.startswith("\ufeff")


def test_utf16_bom():
    d = decode_html(PAGE.encode("utf-16"), None)
    assert d.source == "bom" and TEXT in d.text


def test_empty_and_ascii():
    assert decode_html(b"", None).text == ""
    assert decode_html(b"<p>hello</p>", None).text == "<p>hello</p>"


@pytest.mark.parametrize("wrong", ["cp1252", "cp1256"])
def test_mojibake_repaired(wrong):
    garbled = TEXT.encode("utf-8").decode(wrong, errors="replace") if wrong == "cp1256" else \
        "".join(chr(b) if 0x80 <= b < 0xA0 else bytes([b]).decode("cp1252", errors="ignore") or chr(b)
                for b in TEXT.encode("utf-8"))
    assert garbled != TEXT and ("Ø" in garbled or "ط" in garbled)
    assert repair_mojibake(garbled) == TEXT
    d = decode_html(f"<p>{garbled}</p>".encode(), "text/html; charset=utf-8")
    assert d.repaired_mojibake and TEXT in d.text


def test_classic_mojibake_fragments():
    assert repair_mojibake("Ø§Ù„Ø¹Ø±Ø¨ÙŠØ©") == "العربية"
    assert repair_mojibake("ط§ظ„ط¹ط±ط¨ظٹط©") == "العربية"


@pytest.mark.parametrize("text", [TEXT, "Café – “déjà vu”", "طالب ظريف", "Ø (a Danish letter) alone", UTF8_REF])
def test_repair_leaves_clean_text_alone(text):
    assert repair_mojibake(text) == text


def test_feed_charset():
    xml = ("<rss><channel><title>" + TEXT + "</title></channel></rss>").encode("cp1256")
    assert feed_charset(xml, "text/xml") == "cp1256"
    assert feed_charset(xml, "application/rss+xml; charset=utf-8") == "cp1256"  # header lies
    assert feed_charset(xml.decode("cp1256").encode("utf-8"), None) == "utf-8"
    assert feed_charset(b"\xef\xbb\xbf<rss/>", None) is None


@pytest.mark.parametrize("label, codec", [("win-1256", "cp1256"), ("cp-1256", "cp1256"), ("Windows1256", "cp1256"),
                                          ("x-cp1256", "cp1256"), ("ms-1252", "cp1252"), ("cp_720", "cp720"),
                                          ("win-9999", None), ("arabic", "iso8859-6")])
def test_windows_code_pages_as_servers_spell_them(label, codec):
    assert codec_name(label) == codec


def test_a_content_type_sent_twice_gives_the_last_charset():
    from tasks.encoding import http_charset
    assert http_charset("text/html; charset=windows-1256, text/html; charset=UTF-8") == "utf-8"
    assert http_charset("text/html; charset=windows-1256, text/html") == "cp1256"
    assert http_charset("text/html") is None


def _mac_arabic(text: str) -> bytes:
    """Text as a Mac Arabic file holds it: markup in ASCII (Python's codec writes '<', '"' and the
    space as their right-to-left twins 0xBC, 0xA2, 0xA0: no tool writes markup so), Arabic in Mac Arabic."""
    return b"".join(c.encode("ascii") if ord(c) < 128 else c.encode("mac-arabic", "ignore") for c in text)


_MAC_FEED = ("<rss version=\"2.0\"><channel><title>الأخبار العاجلة</title><item><title>وزير الخارجية يلتقي نظيره"
             " الفرنسي في بيروت في ١٢ كانون الأول ٢٠٢٦</title><description>قال الرئيس إن المفاوضات ستُستأنف"
             " قريبا، وأضاف: لا تراجع عن الاتفاق</description></item></channel></rss>")


@pytest.mark.parametrize("label", ["x-mac-arabic", "MacArabic", "x-MacArabic", "mac_arabic", "MACINTOSH-ARABIC"])
def test_mac_arabic_labels_read_in_the_xml_declaration(label):
    raw = _mac_arabic(f'<?xml version="1.0" encoding="{label}"?>\n{_MAC_FEED}')
    assert codec_name(label) == "mac-arabic" and feed_charset(raw, "application/rss+xml") == "mac-arabic"
    assert "وزير الخارجية" in decode_html(raw, "text/xml").text


def test_undeclared_mac_arabic_with_arabic_indic_digits_is_detected():
    """Its digits (0xB0-0xB9) are undefined in ISO-8859-6, which has the same letters: before, the
    feed was read in windows-1256 (ل as ن, ي as ê)."""
    raw = _mac_arabic(_MAC_FEED)
    assert feed_charset(raw, "text/xml") == "mac-arabic"
    assert "بيروت في ١٢ كانون الأول ٢٠٢٦" in decode_html(raw, None).text


@pytest.mark.parametrize(("label", "codec"), [
    ("cp1256", "cp1256"), ("csWindows1256", "cp1256"), ("windows-1256-2000", "cp1256"), ("IBM-1256", "cp1256"),
    ("arabic", "iso8859-6"), ("ISO-8859-6-I", "iso8859-6"), ("iso_8859-6-e", "iso8859-6"),
    ("csISOLatinArabic", "iso8859-6"), ("x-IBM864", "cp864"), ("IBM720", "cp720"),
])
def test_arabic_code_page_labels_as_servers_spell_them(label, codec):
    assert codec_name(label) == codec
    raw = f'<?xml version="1.0" encoding="{label}"?><rss><channel><title>{TEXT}</title></channel></rss>'
    if codec != "cp864":  # cp864 (IBM PC Arabic) writes the letters' presentation forms
        assert TEXT in decode_html(raw.encode(codec), None).text


@pytest.mark.parametrize("text", ["كان أن بيان إيران لبنان عمان", "إيران وأفغانستان وباكستان واليابان",
                                  "بيان: إيران تدين"])
def test_short_undeclared_windows_1256_with_few_articles_is_not_read_as_mac_arabic(text):
    """Few 'ال' and many 'ان': the Mac Arabic (or ISO-8859-6) reading ('ان' as 'ال') scored higher, its ي a kasratan and
    its ك, ف, ق brackets and underscores inside words, which no Mac Arabic text holds."""
    raw = f"<html><body><h1>{text}</h1></body></html>".encode("cp1256")
    assert text in decode_html(raw, None).text


def test_candidate_run_check_agrees_with_the_run_pattern():
    """has_candidate_run (the cheap pre-check of repair_mojibake) answers as the look-behind pattern
    does, on genuine Arabic (pairs such as 'كلمة،' inside runs), mojibake at a run's start, at the
    text's start, after a space or a tag, and on random mixes of ASCII, lead, continuation and
    Arabic characters."""
    import random

    from tasks.encoding import _CANDIDATE_RUN_RE, _CONT, _LEAD, has_candidate_run, repair_mojibake

    moji = "خبر عاجل".encode().decode("cp1252", errors="replace")
    fixed = [("قال، «الوزير»؛ هل؟ " * 20, False), (moji, True), ("<p>" + moji + "</p>", True),
             ("نص " + moji, True), ("نص" + "خبر".encode().decode("cp1252"), False), ("Ø§", True), ("ط§", True)]
    for text, expected in fixed:
        assert has_candidate_run(text) is expected is (_CANDIDATE_RUN_RE.search(text) is not None), text
    alphabet = list("ab <>،") + list(_LEAD.replace("\\", "")) + list(_CONT.replace("\\", "")) + list("الوزير")
    rng = random.Random(18)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert has_candidate_run(text) == (_CANDIDATE_RUN_RE.search(text) is not None), repr(text)
    assert repair_mojibake("<p>" + moji + "</p>") == "<p>خبر عاجل</p>"
