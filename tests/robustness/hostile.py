"""Hostile inputs, built in memory by code so no binary or payload file is ever committed.

Each input is a ``Hostile(id, filename, data)``: the file name carries the extension an attacker
(or a careless crawler) would give it, because ingest sniffs content first and extension second.
The corpus is what a report pulled from the open web can look like at its worst: undecodable
bytes, script payloads, bidi tricks, pathological sizes and nesting, and PDFs that lie about
their page trees or hide a deflate bomb.
"""

from __future__ import annotations

import io
import random
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    StreamObject,
)

ARABIC_SENTENCE = "قتل 12 مدنيا في قصف على مدينة حلب يوم 8/8/1998، وفق ما أفاد المرصد."
# Every Arabic combining mark the normalizer deletes (tashkeel, Quranic marks, Extended-A marks),
# plus superscript alef and tatweel.
ARABIC_MARKS = (
    "".join(chr(c) for c in range(0x064B, 0x0660))
    + "\u0670"
    + "".join(chr(c) for c in range(0x06D6, 0x06EE))
    + "".join(chr(c) for c in range(0x08D3, 0x0900))
    + "\u0640"
)
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"

# Script payloads a report from the open web may carry; a browser must render every one as text.
# The marker strings let a browser test see whether any payload ran.
SCRIPT_PAYLOADS = (
    "<script>alert('rasd-xss-1');console.log('rasd-xss-1')</script>",
    "<img src=x onerror=\"alert('rasd-xss-2')\">",
    "<a href=\"javascript:alert('rasd-xss-3')\">انقر</a>",
    "<iframe src=\"data:text/html,<script>alert('rasd-xss-4')</script>\"></iframe>",
    "<svg onload=\"alert('rasd-xss-5')\"><script>alert('rasd-xss-6')</script></svg>",
    "<body onload=alert('rasd-xss-7')>",
    '"><script src=http://127.0.0.1:9/rasd-xss-8.js></script>',
    '<img src="http://127.0.0.1:9/rasd-xss-9.png">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('rasd-xss-10')>",
    "<details open ontoggle=alert('rasd-xss-11')>",
    "javascript:alert('rasd-xss-12')",
    "{{constructor.constructor('alert(\"rasd-xss-13\")')()}}",
)


@dataclass(frozen=True, slots=True)
class Hostile:
    """``max_bytes`` lowers the size limit for inputs whose cost scales with it (CI time)."""

    id: str
    filename: str
    data: bytes
    max_bytes: int | None = None


# Inputs whose work is bounded by the size limit but slow at the default one: a 1 MB limit
# shows the bound in a few seconds (the default 5 MB one costs ~30 s for the heavy PDF).
SMALL_LIMIT = {"pdf-1999-heavy-pages": 1024 * 1024, "pdf-positioning-only": 1024 * 1024}


def _pdf_bytes(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _text_page(writer: PdfWriter, content: bytes) -> DictionaryObject:
    """A page whose content stream shows ``content`` in Helvetica, so it has a text layer."""
    page = writer.add_blank_page(width=200, height=200)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    stream = DecodedStreamObject()
    stream.set_data(content)
    page[NameObject("/Contents")] = writer._add_object(stream)
    return page


def pdf_claiming_pages(count: int) -> bytes:
    """One real page, but the page tree's /Count claims ``count`` (a page-count bomb)."""
    writer = PdfWriter()
    _text_page(writer, b"BT /F1 12 Tf 10 100 Td (Shelling killed 3 people.) Tj ET")
    data = _pdf_bytes(writer)
    return data.replace(b"/Count 1", b"/Count " + str(count).encode(), 1)


def pdf_many_kids(kids: int) -> bytes:
    """A page tree whose /Kids repeats one page ``kids`` times: small file, huge flattened tree."""
    writer = PdfWriter()
    page = _text_page(writer, b"BT /F1 12 Tf 10 100 Td (Shelling killed 3 people.) Tj ET")
    data = _pdf_bytes(writer)
    ref = f"{page.indirect_reference.idnum} 0 R".encode()  # type: ignore[union-attr]
    kids_array = b"[" + b" ".join([ref] * kids) + b"]"
    return data.replace(b"[ " + ref + b" ]", kids_array, 1).replace(
        b"/Count 1", b"/Count " + str(kids).encode(), 1
    )


def pdf_cyclic_tree() -> bytes:
    """A page tree node that lists itself among its kids."""
    writer = PdfWriter()
    _text_page(writer, b"BT /F1 12 Tf 10 100 Td (Shelling killed 3 people.) Tj ET")
    pages = writer._root_object["/Pages"]
    pages_ref = writer._root_object.raw_get("/Pages")
    kids = pages["/Kids"]
    assert isinstance(kids, ArrayObject)
    kids.append(pages_ref)
    pages[NameObject("/Count")] = NumberObject(2)
    return _pdf_bytes(writer)


def pdf_deflate_bomb(decompressed_mb: int) -> bytes:
    """A page whose content stream inflates from a few kB to ``decompressed_mb`` MB of text ops."""
    writer = PdfWriter()
    page = _text_page(writer, b"")
    chunk = b"BT /F1 12 Tf 10 100 Td (killed) Tj ET\n"
    compressor = zlib.compressobj(9)
    parts = [
        compressor.compress(chunk * (1024 * 1024 // len(chunk))) for _ in range(decompressed_mb)
    ]
    parts.append(compressor.flush())
    stream = StreamObject()
    stream._data = b"".join(parts)
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    page[NameObject("/Contents")] = writer._add_object(stream)
    return _pdf_bytes(writer)


def pdf_many_text_pages(pages: int, ops_per_page: int, *, text: bool = True) -> bytes:
    """Every page shares one content stream full of text operations: small file, slow to read."""
    writer = PdfWriter()
    op = b"10 10 Td (killed) Tj " if text else b"10 10 Td "
    content = b"BT /F1 12 Tf " + op * ops_per_page + b"ET"
    first = _text_page(writer, content)
    for _ in range(pages - 1):
        page = writer.add_blank_page(width=200, height=200)
        page[NameObject("/Resources")] = first["/Resources"]
        page[NameObject("/Contents")] = first.raw_get("/Contents")
    return _pdf_bytes(writer)


def pdf_truncated() -> bytes:
    writer = PdfWriter()
    _text_page(writer, b"BT /F1 12 Tf 10 100 Td (Shelling killed 3 people.) Tj ET")
    data = _pdf_bytes(writer)
    return data[: len(data) // 2]


def pdf_no_text_layer() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    return _pdf_bytes(writer)


def zip_bomb_like() -> bytes:
    """A small zip of a large zero-filled member, as a crawler might save a compressed download."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("report.txt", b"\0" * (20 * 1024 * 1024))
    return out.getvalue()


def nested_html(depth: int, tag: str = "div") -> bytes:
    body = f"<{tag}>" * depth + ARABIC_SENTENCE + f"</{tag}>" * depth
    return f"<html><body>{body}</body></html>".encode()


def unclosed_nested_html(depth: int) -> bytes:
    return ("<html><body>" + "<div><span><b>" * depth + ARABIC_SENTENCE).encode()


def payload_html() -> bytes:
    payloads = "\n".join(f"<p>{ARABIC_SENTENCE} {p}</p>" for p in SCRIPT_PAYLOADS)
    svg = (
        "<svg xmlns='http://www.w3.org/2000/svg'><script>alert('rasd-xss-svg')</script>"
        "<foreignObject><body onload=alert(1)></body></foreignObject></svg>"
    )
    return (
        "<!doctype html><html><head><title>تقرير</title>"
        "<meta http-equiv='refresh' content='0;url=javascript:alert(1)'>"
        "<script>document.write('<p>injected</p>')</script></head>"
        f"<body><article>{payloads}{svg}"
        "<a href='data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='>link</a>"
        "</article></body></html>"
    ).encode()


def payload_text() -> str:
    """A plain-text report whose body is script payloads mixed with Arabic and bidi tricks."""
    lines = [f"{ARABIC_SENTENCE} {p}" for p in SCRIPT_PAYLOADS]
    lines.append(f"\u202e{ARABIC_SENTENCE}\u202c <script>alert('rasd-xss-bidi')</script>")
    lines.append(f"\u2066gpj.exe\u2069 \u2067{ARABIC_SENTENCE}\u2069")
    return "\n".join(lines)


def arabic_with_every_mark() -> str:
    words = ARABIC_SENTENCE.split()
    return (
        " ".join(
            "".join(c + ARABIC_MARKS[(i + j) % len(ARABIC_MARKS)] for j, c in enumerate(w))
            for i, w in enumerate(words)
        )
        + " "
        + "ب"
        + ARABIC_MARKS
    )


def _generators() -> Iterator[tuple[str, str, Callable[[], bytes]]]:
    rng = random.Random(12)
    utf8 = ARABIC_SENTENCE.encode("utf-8")
    utf16 = ARABIC_SENTENCE.encode("utf-16")
    yield "empty", "empty.txt", lambda: b""
    yield "whitespace-only", "blank.txt", lambda: " \n\t\r\n \u3000\u00a0".encode()
    yield "nul-bytes", "nul.txt", lambda: b"\0" * 4096
    yield "random-bytes-1k", "random.txt", lambda: rng.randbytes(1024)
    yield "random-bytes-1m", "random.bin", lambda: random.Random(1).randbytes(1024 * 1024)
    yield "random-bytes-as-html", "random.html", lambda: random.Random(2).randbytes(64 * 1024)
    yield "random-bytes-as-pdf", "random.pdf", lambda: random.Random(3).randbytes(64 * 1024)
    yield "pdf-magic-then-random", "r.txt", lambda: b"%PDF-1.7\n" + random.Random(4).randbytes(9000)
    yield "png-renamed-txt", "photo.txt", lambda: b"\x89PNG\r\n\x1a\n" + rng.randbytes(500)
    yield "truncated-utf8", "trunc8.txt", lambda: utf8[:-1]
    yield (
        "truncated-utf8-many",
        "trunc8b.txt",
        lambda: b"".join(utf8[: i + 1] for i in range(0, 80, 3)),
    )
    yield "truncated-utf16", "trunc16.txt", lambda: utf16[:-1]
    yield "utf16-no-bom", "nobom16.txt", lambda: ARABIC_SENTENCE.encode("utf-16-le") * 5
    yield "utf16-bom-garbage", "bom16.txt", lambda: b"\xff\xfe" + b"\x00\xd8" * 50
    yield "utf8-bom-invalid", "bom8.txt", lambda: b"\xef\xbb\xbf" + b"\xff\xfe\xfd" * 20
    yield "utf32", "u32.txt", lambda: ARABIC_SENTENCE.encode("utf-32")
    yield (
        "mixed-encodings",
        "mixed.txt",
        lambda: (
            utf8 + ARABIC_SENTENCE.encode("cp1256") + ARABIC_SENTENCE.encode("iso-8859-6") + utf16
        ),
    )
    yield "cp1256", "cp1256.txt", lambda: (ARABIC_SENTENCE * 5).encode("cp1256")
    yield "overlong-utf8", "overlong.txt", lambda: b"\xc0\xaf\xe0\x80\xaf" * 100 + utf8
    yield "surrogates-in-utf8", "surr.txt", lambda: b"\xed\xa0\x80\xed\xbf\xbf" * 50 + utf8
    yield (
        "text-50mb-one-line",
        "big.txt",
        lambda: ("قتل 12 " * 7_500_000).encode()[: 50 * 1024 * 1024],
    )
    yield "dots-5mb", "dots.txt", lambda: b"." * (5 * 1024 * 1024 - 10)
    yield "question-marks-1mb", "q.txt", lambda: "؟".encode() * 500_000
    yield "commas-1mb", "c.txt", lambda: b"a" + b"," * 1_000_000
    yield "newlines-4mb", "nl.txt", lambda: b"x" + b"\n" * 4_000_000
    yield "one-long-word-4mb", "word.txt", lambda: "ب".encode() * 2_000_000
    yield "abbreviation-chain", "abbr.txt", lambda: b"a." * 500_000
    # The most objects per byte: time and memory grow linearly (5 MB of these: ~25 s, 1.5 GB peak,
    # see bench/fuzz_soak.py), so CI runs 1 MB of each.
    yield "one-letter-sentences-1mb", "tiny.txt", lambda: "ب.\n".encode() * 260_000
    yield "one-letter-tokens-1mb", "tiny2.txt", lambda: b"a " * 520_000
    yield "digits-10k", "digits.txt", lambda: b"killed " + b"9" * 10_000 + b" people"
    yield "digits-10k-arabic", "digits-ar.txt", lambda: ("قتل " + "٩" * 10_000 + " شخصا").encode()
    # Number-dense text costs the dates grammar ~80 us per number (linear, but 2 MB of «.2» takes
    # ~80 s): CI runs 200 kB of each; bench/fuzz_soak.py --big runs the 2 MB ones.
    yield "digit-groups-200k", "groups.txt", lambda: b"1" + b",000" * 50_000
    yield "decimal-chain-200k", "dec.txt", lambda: b"1" + b".2" * 100_000
    yield (
        "impossible-dates",
        "dates.txt",
        lambda: (
            "في 99/99/9999 و00/00/0000 و31/02/1998 و32/13/2020 و0/0/0 و9999999999/1/1 "
            "و1998-13-45 ويوم ٩٩/٩٩/٩٩٩٩ و31 فبراير 1998 والسنة 99999999999999999999 "
            "ويوم 29 شباط 2001 و1/1/-5 و12:99 و25:61:61 قتل 3 أشخاص."
        ).encode(),
    )
    yield "bidi-controls", "bidi.txt", lambda: (BIDI_CONTROLS * 50 + ARABIC_SENTENCE).encode()
    yield "bidi-only", "bidi-only.txt", lambda: (BIDI_CONTROLS * 500).encode()
    yield "zero-width", "zw.txt", lambda: ZERO_WIDTH.join(ARABIC_SENTENCE).encode()
    yield "zero-width-only", "zw-only.txt", lambda: (ZERO_WIDTH * 1000).encode()
    yield "every-diacritic", "marks.txt", lambda: arabic_with_every_mark().encode()
    yield "marks-only", "marks-only.txt", lambda: (ARABIC_MARKS * 200).encode()
    yield "lone-combining-marks", "lone.txt", lambda: ("\u0301\u0651\u20dd " * 500).encode()
    yield (
        "presentation-forms",
        "pres.txt",
        lambda: "".join(chr(c) for c in range(0xFB50, 0xFDFF) if chr(c).isprintable()).encode(),
    )
    yield "payload-text", "payload.txt", lambda: payload_text().encode()
    yield "payload-html", "payload.html", payload_html
    yield "payload-html-as-txt", "payload.txt", payload_html
    yield "svg", "image.svg", lambda: b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"
    yield "nested-html-10k", "deep.html", lambda: nested_html(10_000)
    yield "nested-html-10k-unclosed", "deep2.html", lambda: unclosed_nested_html(10_000)
    yield "nested-html-100k-table", "deep3.html", lambda: nested_html(100_000, "table")
    yield (
        "html-no-article",
        "empty.html",
        lambda: b"<html><head><title>x</title></head><body></body></html>",
    )
    yield (
        "html-entity-flood",
        "ent.html",
        lambda: b"<html><body><p>" + b"&#x202e;&amp;" * 100_000 + b"</p></body></html>",
    )
    yield (
        "html-billion-laughs",
        "laughs.html",
        lambda: (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            + b"".join(
                f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
                for i in range(1, 10)
            )
            + b"]><html><body><p>&lol9;</p></body></html>"
        ),
    )
    yield (
        "html-bad-date",
        "date.html",
        lambda: (
            b"<html><head><meta property='article:published_time' content='99/99/9999'></head>"
            b"<body><article><p>" + (ARABIC_SENTENCE * 3).encode() + b"</p></article></body></html>"
        ),
    )
    yield "pdf-claims-1e9-pages", "bomb.pdf", lambda: pdf_claiming_pages(1_000_000_000)
    yield "pdf-claims-negative-pages", "neg.pdf", lambda: pdf_claiming_pages(-5)
    yield "pdf-100k-kids", "kids.pdf", lambda: pdf_many_kids(100_000)
    yield "pdf-cyclic-tree", "cycle.pdf", pdf_cyclic_tree
    yield "pdf-deflate-bomb-200mb", "flate.pdf", lambda: pdf_deflate_bomb(200)
    yield "pdf-1999-heavy-pages", "heavy.pdf", lambda: pdf_many_text_pages(1999, 2000)
    yield "pdf-positioning-only", "ops.pdf", lambda: pdf_many_text_pages(1999, 400, text=False)
    yield "pdf-truncated", "half.pdf", pdf_truncated
    yield "pdf-no-text", "scan.pdf", pdf_no_text_layer
    yield "zip-bomb-like", "report.txt", zip_bomb_like
    yield "zip-renamed-pdf", "report.pdf", zip_bomb_like
    yield "gzip-bomb-like", "report.txt", lambda: b"\x1f\x8b" + zlib.compress(b"\0" * 10_000_000)
    yield "raw-deflate", "report.txt", lambda: zlib.compress(b"\0" * 10_000_000, 9)
    yield "jsonl-hostile", "feed.jsonl", _hostile_jsonl


def _hostile_jsonl() -> bytes:
    lines = [
        b'{"text": "'
        + "\u202e".encode()
        + ARABIC_SENTENCE.encode()
        + b'", "published": "99/99/9999"}',
        b'{"text": 5}',
        b"[1, 2, 3]",
        b"not json",
        b'{"text": "ok report", "published": "9999-99-99"}',
        b'{"text": "x", "published": 12}',
        b'{"text": "x", "lang": ["ar"], "id": {"a": 1}, "url": "javascript:alert(1)"}',
        b"[" * 100_000 + b"]" * 100_000,
        b'{"text": "' + b"\\ud800" + b'"}',
        b'{"text": "' + b"\\u0000" * 1000 + b'"}',
        b"\xff\xfe\xfd",
        b'{"text": "' + b"1" * 10_000 + b'", "published": "' + b"9" * 10_000 + b'"}',
    ]
    return b"\n".join(lines)


def corpus() -> list[Hostile]:
    """The whole hostile corpus; large members are built here, so call it once per session."""
    return [
        Hostile(name, filename, make(), SMALL_LIMIT.get(name))
        for name, filename, make in _generators()
    ]


def corpus_ids() -> list[str]:
    return [name for name, _, _ in _generators()]


def build(name: str) -> Hostile:
    for each, filename, make in _generators():
        if each == name:
            return Hostile(each, filename, make(), SMALL_LIMIT.get(each))
    raise KeyError(name)
