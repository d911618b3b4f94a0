"""Reports written for the cluster tests (store and API): one air strike on Idlib told by a wire
(12 dead, citing the civil defence) and a day later by a paper (30 dead, citing the Syrian
Observatory), and a car bomb in Mosul, in another country and month.

Each is a JSON Lines record of ``rasd ingest`` (and a JSON upload of the API).
"""

from __future__ import annotations

from datetime import date

from rasd.document import Document, Source
from rasd.pipeline import Pipeline, make_document

WIRE = {
    "text": "قتل 12 مدنيا في قصف جوي على مدينة إدلب يوم 3 آذار/مارس 2020، حسب الدفاع المدني.",
    "publisher": "Wire A",
    "published": "2020-03-04",
}
PAPER = {
    "text": "أفاد المرصد السوري لحقوق الإنسان بمقتل 30 مدنيا في غارات جوية استهدفت مدينة إدلب "
    "في 3 آذار/مارس 2020.",
    "publisher": "Paper B",
    "published": "2020-03-05",
}
MOSUL = {
    "text": "قتل 5 أشخاص في انفجار سيارة مفخخة في مدينة الموصل يوم 14 حزيران/يونيو 2017.",
    "publisher": "Wire A",
    "published": "2017-06-15",
}


def report(pipeline: Pipeline, record: dict[str, str]) -> Document:
    """The record read as ``rasd ingest`` reads it, then run through the pipeline."""
    source = Source(
        publisher=record["publisher"],
        published=date.fromisoformat(record["published"]),
        path=f"{record['publisher']}.txt",
    )
    return pipeline(make_document(record["text"], source))
