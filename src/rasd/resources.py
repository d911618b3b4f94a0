"""Language data loaded once per pipeline and passed to the stages that need it.

Data files live under ``rasd/data/<lang>/`` and are read with ``importlib.resources`` so they work
from a wheel. Derived objects (compiled patterns, automatons) are cached here too, keyed by name,
so a batch worker builds each one once, not once per document.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from rasd.errors import DataFileError

ModelT = TypeVar("ModelT", bound=BaseModel)
T = TypeVar("T")

# libyaml's loader builds the same objects as the pure-Python one, eight times faster.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def data_root() -> Traversable:
    return resources.files("rasd") / "data"


class Resources:
    """A cache of parsed and validated data files; one instance per pipeline (per batch worker)."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, ...], object] = {}

    def path(self, *parts: str) -> Traversable:
        node = data_root()
        for part in parts:
            node = node / part
        if not node.is_file():
            raise DataFileError(
                f"data file rasd/data/{'/'.join(parts)} is missing from the package"
            )
        return node

    def raw(self, *parts: str) -> Any:
        """Parsed YAML or JSON; the format follows the file name."""
        key = ("raw", *parts)
        if key not in self._cache:
            node = self.path(*parts)
            text = node.read_text(encoding="utf-8")
            try:
                loaded = (
                    json.loads(text)
                    if parts[-1].endswith(".json")
                    else yaml.load(text, _YAML_LOADER)
                )
            except (ValueError, yaml.YAMLError) as exc:
                raise DataFileError(
                    f"data file rasd/data/{'/'.join(parts)} is malformed: {exc}"
                ) from exc
            self._cache[key] = loaded
        return self._cache[key]

    def model(self, model: type[ModelT], *parts: str) -> ModelT:
        """A data file validated against its pydantic model, once."""
        key = ("model", model.__qualname__, *parts)
        cached = self._cache.get(key)
        if cached is None:
            try:
                cached = model.model_validate(self.raw(*parts))
            except ValidationError as exc:
                raise DataFileError(
                    f"data file rasd/data/{'/'.join(parts)} does not match {model.__name__}: {exc}"
                ) from exc
            self._cache[key] = cached
        assert isinstance(cached, model)
        return cached

    def derived(self, key: str, build: Callable[[], T]) -> T:
        """Anything expensive to build from data (a compiled regex, an automaton), built once."""
        cache_key = ("derived", key)
        if cache_key not in self._cache:
            self._cache[cache_key] = build()
        return self._cache[cache_key]  # type: ignore[return-value]
