from __future__ import annotations

from pathlib import Path

import pytest

from rasd.errors import DataFileError
from rasd.gazetteer.index import FORMAT, load_gazetteer, write_index
from rasd.recognize.places import load_gazetteer_for
from rasd.resources import Resources

ROWS = [
    "gn:1\tcountry\tAF\t\t\t33.9\t67.7\t60.5,29.4,74.9,38.5\t37172386\tAfghanistan\tأفغانستان",
    "gn:2\tcity\tAF\t30\t\t36.709\t67.11\t\t523300\tMazar-e Sharif\tمزار شريف",
    "gn:3\tcity\tSY\t08\tDuma\t33.57\t36.40\t\t110893\tDouma\tدوما",
]
MAJOR = {"افغانستان": "0", "دوما": "2", "مزار شريف": "1"}
MINOR = {"تلدو": "2"}


def small_index(path: Path) -> Path:
    write_index(path, ROWS, MAJOR, MINOR)
    return path


def test_a_small_index_answers_lookups(tmp_path: Path) -> None:
    gazetteer = load_gazetteer(small_index(tmp_path / "i.idx"), "i.idx")
    assert [p.name_en for p in gazetteer.lookup("مزار شريف")] == ["Mazar-e Sharif"]
    assert gazetteer.lookup("مزار شريف")[0].geonames_id == 2
    assert gazetteer.lookup("تلدو") == []
    assert [p.id for p in gazetteer.lookup("تلدو", minor=True)] == ["gn:3"]
    assert gazetteer.country("AF") is not None


def test_multi_word_names_and_cue_phrases_are_known_by_their_first_words(tmp_path: Path) -> None:
    gazetteer = load_gazetteer(small_index(tmp_path / "i.idx"), "i.idx", ["شمال شرق"])
    assert {"مزار", "شمال"} <= gazetteer.prefixes
    assert list(gazetteer.phrases("مزار")) == ["مزار شريف"]
    assert list(gazetteer.phrases("شمال")) == ["شمال شرق"]
    assert gazetteer.key_id("شمال شرق") is None  # a cue phrase, not a place
    assert list(gazetteer.keys_with_prefix("مز", 10)) == ["مزار شريف"]


def test_the_same_input_gives_the_same_bytes(tmp_path: Path) -> None:
    first = small_index(tmp_path / "a.idx").read_bytes()
    assert small_index(tmp_path / "b.idx").read_bytes() == first


def test_missing_index_says_how_to_rebuild(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"is missing; rebuild it with .*rasd gazetteer build"):
        load_gazetteer(tmp_path / "nothing.idx", "nothing.idx")


@pytest.mark.parametrize(
    "content",
    [b"not an index at all", b"#other-format\t1\t1\t1\t1\n", b"\xff\xfe\n"],
    ids=["no-header", "wrong-header", "not-utf8"],
)
def test_corrupt_index_says_how_to_rebuild(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.idx"
    path.write_bytes(content)
    with pytest.raises(DataFileError, match=r"rasd gazetteer build"):
        load_gazetteer(path, "bad.idx")


def test_truncated_index_is_reported(tmp_path: Path) -> None:
    path = small_index(tmp_path / "t.idx")
    path.write_bytes(path.read_bytes()[:-5])
    with pytest.raises(DataFileError, match=r"truncated or malformed; rebuild"):
        load_gazetteer(path, "t.idx")


def test_a_damaged_block_is_reported_when_it_is_first_read(tmp_path: Path) -> None:
    path = small_index(tmp_path / "d.idx")
    data = bytearray(path.read_bytes())
    data[-3] ^= 0xFF  # inside the last block (villages), read only after a cue word
    path.write_bytes(bytes(data))
    gazetteer = load_gazetteer(path, "d.idx")
    assert gazetteer.lookup("دوما")[0].name_en == "Douma"
    with pytest.raises(DataFileError, match=r"is corrupt .*rasd gazetteer build"):
        gazetteer.lookup("تلدو", minor=True)


def test_the_header_names_the_format(tmp_path: Path) -> None:
    header = small_index(tmp_path / "i.idx").read_bytes().split(b"\n", 1)[0].decode()
    assert header.startswith(f"#{FORMAT}\t3\t3\t1\t")


def test_the_packaged_index_is_compact_and_loads() -> None:
    gazetteer = load_gazetteer_for(Resources())
    assert 100_000 < len(gazetteer) < 1_000_000
    assert [p.name_en for p in gazetteer.lookup("افغانستان")] == ["Afghanistan"]
