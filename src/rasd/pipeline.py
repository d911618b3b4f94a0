"""A pipeline is the list of stage names in ``data/pipeline.yaml``; ``extract`` runs it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from pydantic import BaseModel

from rasd.document import Document, Source
from rasd.errors import RasdError
from rasd.language import detect_language
from rasd.registry import StageFn, get_stage
from rasd.resources import Resources


class PipelineConfig(BaseModel):
    """``stages`` maps each stage name to the module that registers it; ``default`` is the order."""

    stages: dict[str, str]
    default: list[str]


class Pipeline:
    """Stages built once (their data loaded once), then applied to each document in order."""

    def __init__(self, names: Sequence[str] | None = None, resources: Resources | None = None):
        self.resources = resources or Resources()
        config = self.resources.model(PipelineConfig, "pipeline.yaml")
        self.names = list(names) if names is not None else list(config.default)
        provided: set[str] = {"text"}
        self._stages: list[tuple[str, StageFn]] = []
        for name in self.names:
            info = get_stage(name, config.stages.get(name))
            missing = [r for r in info.requires if r not in provided]
            if missing:
                raise RasdError(
                    f"pipeline stage {name!r} requires {', '.join(missing)}, "
                    "which no earlier stage provides"
                )
            provided.update(info.provides)
            self._stages.append((name, info.factory(self.resources)))

    @property
    def steps(self) -> list[tuple[str, StageFn]]:
        """The built stages in order, for benchmarks and profilers that time each one."""
        return list(self._stages)

    def __call__(self, doc: Document) -> Document:
        for name, run in self._stages:
            try:
                doc = run(doc)
            except Exception as error:
                # A note, not a wrapper: the exception keeps its type (a bug stays a bug for
                # whoever catches it), and a one-line report can still name the stage.
                error.add_note(f"{_STAGE_NOTE}{name}")
                raise
            doc.stages.append(name)
        return doc


_STAGE_NOTE = "raised in pipeline stage "


def failed_stage(error: BaseException) -> str | None:
    """The stage an exception escaped from, as ``Pipeline.__call__`` noted it; None if none."""
    for note in getattr(error, "__notes__", ()):
        if isinstance(note, str) and note.startswith(_STAGE_NOTE):
            return note.removeprefix(_STAGE_NOTE)
    return None


def describe_crash(error: BaseException, doing: str = "processing") -> str:
    """An unexpected exception as one line for a run's report.

    E.g. ``stage 'dates' failed (IndexError: list index out of range)``; ``doing`` names the step
    when no stage raised it (the pipeline notes every exception that leaves a stage).
    """
    stage = failed_stage(error)
    what = f"stage {stage!r} failed" if stage else f"{doing} failed"
    lines = str(error).strip().splitlines()
    detail = f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__
    return f"{what} ({detail})"


def make_document(text: str, source: Source | None = None, lang: str | None = None) -> Document:
    return Document(text=text, lang=lang or detect_language(text), source=source or Source())


def extract(
    text_or_document: str | Document,
    *,
    source: Source | None = None,
    published: date | str | None = None,
    pipeline: Pipeline | None = None,
) -> Document:
    """Python entry point: run the default pipeline on a text or a Document, return the Document.

    ``published`` (a date or ``YYYY-MM-DD``) anchors relative dates such as «أمس» for a text.
    """
    if published is not None:
        day = date.fromisoformat(published) if isinstance(published, str) else published
        source = replace(source or Source(), published=day)
    doc = (
        make_document(text_or_document, source)
        if isinstance(text_or_document, str)
        else text_or_document
    )
    return (pipeline or Pipeline())(doc)
