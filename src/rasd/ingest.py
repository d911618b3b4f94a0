"""Read reports from files, bytes or JSON Lines into Documents, one clear error per bad input.

Formats are told by content first and by extension second, because files from the wild are often
misnamed (a PNG saved as .txt, an HTML page saved as .txt). Text in any common encoding is decoded
with charset-normalizer after UTF-8 and BOM checks; HTML goes through trafilatura (main text, title,
date) with htmldate as a fallback for the date; PDF through pypdf's text layer.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import charset_normalizer
import regex

from rasd.document import Document, Source
from rasd.errors import EncodingError, InputError
from rasd.pipeline import describe_crash, make_document

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_PDF_PAGES = 2000
# A PDF's content streams may hold this many times the file-size limit before reading stops: a
# small file can reuse one heavy stream on every page or inflate a deflate bomb, and pypdf reads
# content at under 1 MB/s. Real report PDFs stay well below 4x (measured: compressed text pages
# inflate 3-5x, and most of a large file is images, which are not content streams).
PDF_CONTENT_FACTOR = 4
MIN_ARTICLE_LETTERS = 20

# Signatures of formats that are never reports; a match is reported as "binary file (PNG image)".
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"PK\x03\x04", "ZIP archive (or an Office file)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\x7fELF", "executable"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"RIFF", "RIFF media file"),
    (b"\x00\x00\x01\x00", "icon image"),
    (b"SQLite format 3\x00", "SQLite database"),
)
_HTML_EXTENSIONS = {".html", ".htm", ".xhtml"}
_TEXT_EXTENSIONS = {".txt", ".text", ".md", ""}
_JSONL_EXTENSIONS = {".jsonl", ".ndjson"}

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)
logging.getLogger("pypdf").setLevel(logging.CRITICAL)


@dataclass(frozen=True, slots=True)
class IngestOptions:
    published: date | None = None
    publisher: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES


def parse_published(value: object, where: str) -> date:
    """A publication date from metadata: a date, an ISO date or an ISO date-time (time dropped)."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value.strip():
        raise InputError(where, f"publication date {value!r} is not a date (use YYYY-MM-DD)")
    text = value.strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        raise InputError(
            where, f"publication date {value!r} is not a date (use YYYY-MM-DD)"
        ) from None


def read_paths(paths: Iterable[Path], options: IngestOptions) -> Iterator[Document | InputError]:
    """Every report under the paths, in order; a bad one yields its error and the rest go on."""
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
            if not files:
                yield InputError(str(path), "directory holds no files")
            for file in files:
                yield from read_file(file, options)
        else:
            yield from read_file(path, options)


def read_file(path: Path, options: IngestOptions) -> Iterator[Document | InputError]:
    name = str(path)
    try:
        if not path.exists():
            raise InputError(name, "no such file or directory")
        if path.suffix.lower() in _JSONL_EXTENSIONS:
            yield from read_jsonl(path, options)
            return
        size = path.stat().st_size
        if size > options.max_bytes:
            raise InputError(name, f"file is {_mb(size)}, over the {_mb(options.max_bytes)} limit")
        data = path.read_bytes()
        yield document_from_bytes(data, name, options, extension=path.suffix.lower())
    except InputError as error:
        yield error
    except OSError as error:
        yield InputError(name, f"cannot read file ({error.strerror or error})")
    except Exception as error:  # a reader's bug fails this file, not the run
        yield reader_crash(name, error)


def reader_crash(name: str, error: Exception) -> InputError:
    """A reader's unexpected exception as this input's error; ``__cause__`` keeps it for --debug."""
    crash = InputError(name, describe_crash(error, "reading"))
    crash.__cause__ = error
    return crash


def document_from_bytes(
    data: bytes, name: str, options: IngestOptions, *, extension: str = ""
) -> Document:
    """One report from raw bytes (a file's content or an upload), by content sniffing."""
    if not data.strip():
        raise InputError(name, "file is empty")
    if len(data) > options.max_bytes:
        raise InputError(
            name, f"input is {_mb(len(data))}, over the {_mb(options.max_bytes)} limit"
        )
    if data.startswith(b"%PDF-") or extension == ".pdf":
        return _from_pdf(data, name, options)
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise InputError(name, f"binary file ({kind}), not a text report")
    text = decode_text(data, name)
    if extension in _HTML_EXTENSIONS or (
        extension not in _TEXT_EXTENSIONS and _looks_like_html(text)
    ):
        return _from_html(text, name, options)
    if extension in _TEXT_EXTENSIONS and _looks_like_html(text) and text.lstrip()[:1] == "<":
        return _from_html(text, name, options)
    return _from_text(text, name, options)


def decode_text(data: bytes, name: str) -> str:
    """Text from bytes: BOMs and strict UTF-8 first, then charset-normalizer's best guess."""
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return _check_text(data.decode(codec), name)
            except UnicodeDecodeError:
                raise EncodingError(
                    name, f"starts with a {codec} byte order mark but is not valid {codec}"
                ) from None
    if b"\x00" not in data:
        try:
            return _check_text(data.decode("utf-8"), name)
        except UnicodeDecodeError:
            pass
    best = charset_normalizer.from_bytes(data[:1_000_000]).best()
    if best is None or best.encoding is None:
        raise EncodingError(name, "cannot detect a text encoding (binary or corrupt file?)")
    try:
        text = data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        raise EncodingError(name, f"looks like {best.encoding} but does not decode as it") from None
    return _check_text(text, name)


def _check_text(text: str, name: str) -> str:
    sample = text[:20000]
    controls = sum(
        1 for c in sample if c not in "\n\r\t\f\v" and unicodedata.category(c) in ("Cc", "Cs", "Co")
    )
    if sample and controls / len(sample) > 0.01:
        raise InputError(name, "binary file (control characters), not a text report")
    if not text.strip():
        raise InputError(name, "file is empty")
    return text


def _looks_like_html(text: str) -> bool:
    head = text[:2048].lower()
    return (
        "<html" in head or "<!doctype html" in head or ("<body" in head and "</" in text[:200000])
    )


def _from_text(text: str, name: str, options: IngestOptions) -> Document:
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise InputError(name, "file is empty")
    source = Source(path=name, published=options.published, publisher=options.publisher)
    return make_document(text, source)


def _from_html(html: str, name: str, options: IngestOptions) -> Document:
    import trafilatura
    from htmldate import find_date

    try:
        extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    except (ValueError, RecursionError, TypeError) as error:
        raise InputError(name, f"malformed HTML ({type(error).__name__})") from None
    text = (getattr(extracted, "text", None) or "").strip() if extracted is not None else ""
    if sum(c.isalpha() for c in text) < MIN_ARTICLE_LETTERS:
        # trafilatura falls back to any text it finds (a menu's "home"); that is not a report.
        raise InputError(name, "HTML page has no article text")
    published = options.published
    found = getattr(extracted, "date", None)
    if not found:
        try:
            found = find_date(html, original_date=True, extensive_search=False)
        except (ValueError, RecursionError, TypeError):
            found = None
    if found:
        with contextlib.suppress(InputError):
            published = parse_published(found, name)
    source = Source(
        path=name,
        published=published,
        publisher=getattr(extracted, "sitename", None) or options.publisher,
        url=getattr(extracted, "url", None),
        title=getattr(extracted, "title", None),
    )
    return make_document(text, source)


def _from_pdf(data: bytes, name: str, options: IngestOptions) -> Document:
    from pypdf.errors import LimitReachedError, PyPdfError  # ~1 s to import: only for PDFs

    try:
        pages = _pdf_pages(data, name, options.max_bytes)
    except InputError:
        raise
    except LimitReachedError:
        raise InputError(
            name, "PDF stream inflates past pypdf's decompression limit (a deflate bomb?)"
        ) from None
    except (
        PyPdfError,
        ValueError,
        KeyError,
        IndexError,
        TypeError,
        AttributeError,
        RecursionError,
        ArithmeticError,
    ) as error:
        raise InputError(name, f"unreadable PDF ({type(error).__name__}: {error})") from None
    text = "\n".join(p.strip() for p in pages if p.strip())
    if not text.strip():
        raise InputError(name, "PDF has no text layer (a scan? run OCR first)")
    source = Source(path=name, published=options.published, publisher=options.publisher)
    return make_document(text, source)


def _pdf_pages(data: bytes, name: str, max_bytes: int) -> list[str]:
    """Text of each page, refusing page-count and content bombs before they cost minutes."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    count = len(reader.pages)
    if count > MAX_PDF_PAGES:
        raise InputError(name, f"PDF has {count} pages, over the {MAX_PDF_PAGES} limit")
    budget = PDF_CONTENT_FACTOR * max_bytes
    pages: list[str] = []
    text_size = 0
    for page in reader.pages:
        contents = page.get_contents()
        budget -= len(contents.get_data()) if contents is not None else 0
        if budget < 0:
            raise InputError(
                name,
                f"PDF content streams exceed {_mb(PDF_CONTENT_FACTOR * max_bytes)} "
                f"(a PDF bomb?), {PDF_CONTENT_FACTOR}x the {_mb(max_bytes)} limit",
            )
        text = page.extract_text() or ""
        text_size += len(text)
        if text_size > max_bytes:
            raise InputError(name, f"PDF text is over the {_mb(max_bytes)} limit")
        pages.append(text)
    return pages


def read_jsonl(path: Path, options: IngestOptions) -> Iterator[Document | InputError]:
    """One report per line: ``{"text", "url", "published", "publisher", "title", "id", "lang"}``."""
    with path.open("rb") as stream:
        yield from documents_from_jsonl(stream, str(path), options)


def documents_from_jsonl(
    lines: Iterable[bytes], name: str, options: IngestOptions
) -> Iterator[Document | InputError]:
    seen_any = False
    for number, raw in enumerate(lines, start=1):
        where = f"{name}:{number}"
        if not raw.strip():
            continue
        seen_any = True
        try:
            yield document_from_record(_parse_json_line(raw, where), where, options)
        except InputError as error:
            yield error
    if not seen_any:
        yield InputError(name, "file is empty")


def _parse_json_line(raw: bytes, where: str) -> dict[str, Any]:
    try:
        record = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise InputError(where, f"not valid JSON ({error})") from None
    except RecursionError:
        raise InputError(where, "not valid JSON (nested too deeply)") from None
    if not isinstance(record, dict):
        raise InputError(where, 'a JSON Lines record must be an object with a "text" field')
    return record


def document_from_record(record: dict[str, Any], where: str, options: IngestOptions) -> Document:
    text = record.get("text")
    if not isinstance(text, str):
        raise InputError(where, 'record has no "text" string')
    text = _without_surrogates(text).strip()
    if not text:
        raise InputError(where, "record text is empty")
    if len(text.encode("utf-8")) > options.max_bytes:
        raise InputError(where, f"record text is over the {_mb(options.max_bytes)} limit")
    published = options.published
    if record.get("published"):
        published = parse_published(record["published"], where)
    source = Source(
        publisher=_optional_str(record.get("publisher")) or options.publisher,
        url=_optional_str(record.get("url")),
        published=published,
        title=_optional_str(record.get("title")),
        path=where,
        external_id=_optional_str(record.get("id")),
    )
    lang = record.get("lang")
    return make_document(
        text, source, lang if isinstance(lang, str) and lang in ("ar", "en") else None
    )


def _optional_str(value: object) -> str | None:
    return _without_surrogates(str(value)) if value is not None and str(value).strip() else None


# JSON's \ud800 escapes decode to lone surrogates, which no encoder (UTF-8 output, a database)
# accepts; crawlers make them by cutting a string between the halves of a pair.
_SURROGATE = regex.compile(r"[\ud800-\udfff]")


def _without_surrogates(text: str) -> str:
    """Lone surrogates become U+FFFD, as a UTF-8 decoder with errors="replace" would give."""
    return _SURROGATE.sub("\ufffd", text)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
