from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from rasd.errors import DataFileError
from rasd.gazetteer.index import FORMAT, load_gazetteer
from rasd.recognize.places import load_gazetteer_for
from rasd.resources import Resources

ROWS = [
    "gn:1\tcountry\tAF\t\t\t33.9\t67.7\t60.5,29.4,74.9,38.5\t37172386\tAfghanistan\tأفغانستان",
    "gn:2\tcity\tAF\t30\t\t36.709\t67.11\t\t523300\tMazar-e Sharif\tمزار شريف",
    "gn:3\tcity\tSY\t08\tDuma\t33.57\t36.40\t\t110893\tDouma\tدوما",
]
MAJOR = ["افغانستان\t0", "دوما\t2", "مزار شريف\t1"]
MINOR = ["تلدو\t2"]


def write_index(path: Path, header: str | None = None, lines: list[str] | None = None) -> Path:
    head = header or f"#{FORMAT}\t{len(ROWS)}\t{len(MAJOR)}\t{len(MINOR)}"
    body = lines if lines is not None else [*ROWS, *MAJOR, *MINOR]
    path.write_bytes(gzip.compress(("\n".join([head, *body]) + "\n").encode("utf-8")))
    return path


def test_a_small_index_answers_lookups(tmp_path: Path) -> None:
    gazetteer = load_gazetteer(write_index(tmp_path / "i.gz"), "i.gz")
    assert [p.name_en for p in gazetteer.lookup("مزار شريف")] == ["Mazar-e Sharif"]
    assert gazetteer.lookup("مزار شريف")[0].geonames_id == 2
    assert gazetteer.lookup("تلدو") == []
    assert [p.id for p in gazetteer.lookup("تلدو", minor=True)] == ["gn:3"]
    assert gazetteer.country("AF") is not None


def test_the_automaton_finds_keys_in_text(tmp_path: Path) -> None:
    gazetteer = load_gazetteer(write_index(tmp_path / "i.gz"), "i.gz")
    found = [value for _, value in gazetteer.automaton.iter("دخلوا مزار شريف")]
    assert len(found) == 1


def test_missing_index_says_how_to_rebuild(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"is missing; rebuild it with .*rasd gazetteer build"):
        load_gazetteer(tmp_path / "nothing.gz", "nothing.gz")


@pytest.mark.parametrize(
    "content",
    [b"not gzip at all", gzip.compress(b"#other-format\t1\t1\t1\n"), gzip.compress(b"\xff\xfe")],
    ids=["not-gzip", "wrong-header", "not-utf8"],
)
def test_corrupt_index_says_how_to_rebuild(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.gz"
    path.write_bytes(content)
    with pytest.raises(DataFileError, match=r"rasd gazetteer build"):
        load_gazetteer(path, "bad.gz")


def test_truncated_index_is_reported(tmp_path: Path) -> None:
    path = write_index(tmp_path / "t.gz", lines=ROWS[:2])
    with pytest.raises(DataFileError, match=r"truncated or malformed; rebuild"):
        load_gazetteer(path, "t.gz")


def test_the_cache_gives_the_same_automaton(tmp_path: Path) -> None:
    index = write_index(tmp_path / "i.gz")
    first = load_gazetteer(index, "i.gz", cache=tmp_path / "cache")
    assert list((tmp_path / "cache").iterdir())
    second = load_gazetteer(index, "i.gz", cache=tmp_path / "cache")
    assert second.automaton.get("دوما") == first.automaton.get("دوما")


def test_the_packaged_index_is_compact_and_loads() -> None:
    gazetteer = load_gazetteer_for(Resources())
    assert 100_000 < len(gazetteer) < 1_000_000
    assert [p.name_en for p in gazetteer.lookup("افغانستان")] == ["Afghanistan"]
