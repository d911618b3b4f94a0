"""Typed errors naming the input and the problem, so the CLI and the API print one clear line."""

from __future__ import annotations


class RasdError(Exception):
    """Base of every error Rasd raises on purpose; anything else is a bug."""


class InputError(RasdError):
    """A report that cannot be read: the message names the input and says what is wrong with it."""

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class EncodingError(InputError):
    """Bytes that no supported text encoding decodes to plausible text."""


class DataFileError(RasdError):
    """A packaged language-data file is missing or malformed; the message says how to rebuild it."""


class StoreError(RasdError):
    """The database refused an operation; the message says which and why."""
