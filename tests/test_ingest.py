from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from pdfs import blank_pdf, text_pdf
from rasd.document import Document
from rasd.errors import InputError
from rasd.ingest import IngestOptions, document_from_bytes, read_paths

SENTENCE = "قالت مصادر طبية إن 11 شخصا قتلوا في قصف على مدينة حلب أمس."
OPTIONS = IngestOptions()

ARTICLE_HTML = f"""<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><title>قصف على حلب</title>
<meta property="article:published_time" content="2015-07-20T10:00:00+03:00">
<meta property="og:site_name" content="صحيفة الاختبار">
</head><body><nav>الرئيسية | أخبار | رياضة</nav>
<article><h1>قصف على حلب</h1><p>{SENTENCE}</p>
<p>وأضافت المصادر أن عدد الجرحى تجاوز عشرين شخصا، بينهم أطفال ونساء، نقلوا إلى مستشفيات المدينة.</p>
</article><footer>جميع الحقوق محفوظة</footer></body></html>"""


def read_one(path: Path, options: IngestOptions = OPTIONS) -> Document:
    (item,) = list(read_paths([path], options))
    assert isinstance(item, Document), item
    return item


def read_error(path: Path, options: IngestOptions = OPTIONS) -> str:
    (item,) = list(read_paths([path], options))
    assert isinstance(item, InputError), item
    return str(item)


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1256", "iso8859_6"], ids=str
)
def test_plain_text_in_any_common_encoding(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(SENTENCE.encode(encoding))
    doc = read_one(path)
    assert doc.text == SENTENCE
    assert doc.lang == "ar"
    assert doc.source.path == str(path)


def test_windows_line_endings_become_newlines(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes("سطر أول\r\nسطر ثان".encode())
    assert read_one(path).text == "سطر أول\nسطر ثان"


def test_publication_date_from_the_command_line_fills_plain_text(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(SENTENCE, encoding="utf-8")
    doc = read_one(path, IngestOptions(published=date(2015, 7, 20)))
    assert doc.source.published == date(2015, 7, 20)


def test_html_gives_main_text_title_publisher_and_date(tmp_path: Path) -> None:
    path = tmp_path / "article.html"
    path.write_text(ARTICLE_HTML, encoding="utf-8")
    doc = read_one(path)
    assert SENTENCE in doc.text
    assert "الرئيسية" not in doc.text
    assert doc.source.published == date(2015, 7, 20)
    assert doc.source.title == "قصف على حلب"


def test_html_saved_as_txt_is_read_as_html(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE_HTML, encoding="utf-8")
    doc = read_one(path)
    assert "<p>" not in doc.text
    assert SENTENCE in doc.text


def test_pdf_text_layer(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(text_pdf(["Eleven people were killed in Aleppo.", "Medical sources said."]))
    doc = read_one(path)
    assert "Eleven people were killed in Aleppo." in doc.text
    assert doc.lang == "en"


def test_json_lines_records_carry_their_metadata(tmp_path: Path) -> None:
    path = tmp_path / "reports.jsonl"
    records = [
        {
            "id": "a1",
            "text": SENTENCE,
            "url": "https://example.org/1",
            "published": "2015-07-20",
            "publisher": "Example",
        },
        {"id": "a2", "text": "Eleven people were killed.", "published": "2015-07-21T02:52:52"},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), "utf-8")
    first, second = list(read_paths([path], OPTIONS))
    assert isinstance(first, Document)
    assert isinstance(second, Document)
    assert first.source.external_id == "a1"
    assert first.source.url == "https://example.org/1"
    assert first.source.publisher == "Example"
    assert first.source.published == date(2015, 7, 20)
    assert first.source.path == f"{path}:1"
    assert second.source.published == date(2015, 7, 21)
    assert second.lang == "en"


def test_a_directory_is_read_in_name_order(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("تقرير ثان", encoding="utf-8")
    (tmp_path / "a.txt").write_text("تقرير أول", encoding="utf-8")
    docs = list(read_paths([tmp_path], OPTIONS))
    assert [d.text for d in docs if isinstance(d, Document)] == ["تقرير أول", "تقرير ثان"]


def test_same_text_has_the_same_id() -> None:
    one = document_from_bytes(SENTENCE.encode("utf-8"), "one", OPTIONS)
    two = document_from_bytes(SENTENCE.encode("utf-16"), "two", OPTIONS)
    assert one.id == two.id


PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "file is empty"),
        ("blank.txt", b"  \n\t \n", "file is empty"),
        ("image.txt", PNG, "binary file (PNG image), not a text report"),
        (
            "archive.txt",
            b"PK\x03\x04" + b"\x00" * 64,
            "binary file (ZIP archive (or an Office file)), not a text report",
        ),
        ("noise.txt", bytes(range(256)) * 8, "cannot detect a text encoding"),
        (
            "menu.html",
            b"<html><body><nav><a href='/'>home</a></nav></body></html>",
            "HTML page has no article text",
        ),
        ("scan.pdf", None, "PDF has no text layer (a scan? run OCR first)"),
        ("broken.pdf", b"%PDF-1.4\n%%garbage", "unreadable PDF"),
        ("bad.jsonl", b'{"text": "ok"\n', "not valid JSON"),
        ("notext.jsonl", b'{"url": "https://example.org"}\n', 'record has no "text" string'),
        (
            "baddate.jsonl",
            '{"text": "نص", "published": "99/99/9999"}\n'.encode(),
            "publication date '99/99/9999' is not a date",
        ),
    ],
    ids=[
        "empty",
        "whitespace",
        "png-renamed",
        "zip-renamed",
        "random-bytes",
        "html-without-article",
        "pdf-without-text",
        "corrupt-pdf",
        "malformed-jsonl",
        "jsonl-without-text",
        "bad-date",
    ],
)
def test_bad_input_gets_one_clear_error_naming_the_file(
    tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(blank_pdf() if content is None else content)
    error = read_error(path)
    assert error.startswith(str(path))
    assert message in error


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as stream:
        stream.truncate(50 * 1024 * 1024)
    assert read_error(path) == f"{path}: file is 50.0 MB, over the 5.0 MB limit"


def test_undecodable_bytes_are_an_encoding_error(tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    path.write_bytes(b"\x81\x8d\x8f\x90\x9d" * 40 + b"\xff\xfe\x00")
    error = read_error(path)
    assert error.startswith(f"{path}: ")
    assert "binary" in error or "encoding" in error


def test_one_bad_file_does_not_stop_the_good_ones(tmp_path: Path) -> None:
    (tmp_path / "1-good.txt").write_text(SENTENCE, encoding="utf-8")
    (tmp_path / "2-bad.txt").write_bytes(PNG)
    (tmp_path / "3-good.txt").write_text("تقرير آخر", encoding="utf-8")
    items = list(read_paths([tmp_path], OPTIONS))
    assert [type(i).__name__ for i in items] == ["Document", "InputError", "Document"]
