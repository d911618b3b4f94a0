"""JSON Lines: one Document per line, its events included (``Document.to_dict``)."""

from __future__ import annotations

import json

from rasd.document import Document


def document_line(doc: Document) -> str:
    return json.dumps(doc.to_dict(), ensure_ascii=False) + "\n"
