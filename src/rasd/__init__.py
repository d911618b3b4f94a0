"""Rasd (رصد): structured event records, with evidence, from narrative reports of violence."""

from rasd.document import Document, Flag, Mention, Sentence, Source, Token
from rasd.errors import DataFileError, EncodingError, InputError, RasdError, StoreError
from rasd.pipeline import Pipeline, extract

__all__ = [
    "DataFileError",
    "Document",
    "EncodingError",
    "Flag",
    "InputError",
    "Mention",
    "Pipeline",
    "RasdError",
    "Sentence",
    "Source",
    "StoreError",
    "Token",
    "extract",
]
__version__ = "0.1.0"
