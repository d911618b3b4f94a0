"""A registered stage that crashes on some documents, to show that one bug fails one document.

It wraps the real stage of the same name through the registry, so the rest of the pipeline runs
as usual, and raises the kind of error a stage's bug raises on any report holding ``marker``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rasd.document import Document
from rasd.pipeline import PipelineConfig
from rasd.registry import StageFn, get_stage, stage
from rasd.resources import Resources


@contextmanager
def fragile_stage(name: str, marker: str) -> Iterator[None]:
    """While inside, every new ``Pipeline`` runs a stage ``name`` that fails on ``marker``."""
    module = Resources().model(PipelineConfig, "pipeline.yaml").stages[name]
    real = get_stage(name, module)

    def make_fragile(resources: Resources) -> StageFn:
        run = real.factory(resources)

        def fragile(doc: Document) -> Document:
            if marker in doc.text:
                raise IndexError("list index out of range")
            return run(doc)

        return fragile

    stage(name, requires=real.requires, provides=real.provides)(make_fragile)
    try:
        yield
    finally:
        stage(name, requires=real.requires, provides=real.provides)(real.factory)
