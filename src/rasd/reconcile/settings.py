"""Reconciliation parameters, read from ``data/reconcile.yaml`` (the reasons live next to them)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from rasd.normalize import load_charmap, normalize_text
from rasd.records import GeoPrecision
from rasd.resources import Resources


class FigureConflictSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    ratio: float
    min_difference: int
    approx_tolerance: float


class ReconcileFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    merge_threshold: float
    location_radius_km: dict[GeoPrecision, float]
    date_slack_days: int
    year_shift_max: int
    type_compatibility: list[tuple[str, str, float]]
    sub_type_compatibility: list[tuple[str, str, float]] = []
    figure_conflict: FigureConflictSettings
    duplicate_jaccard: float
    shingle_size: int
    official_markers: list[str]
    bound_only_qualifiers: list[str]


class Settings:
    """The data file plus what is derived from it once: the type table, normalized markers."""

    def __init__(self, data: ReconcileFile, resources: Resources) -> None:
        self.data = data
        self.resources = resources
        self.charmap = load_charmap(resources)
        # Names repeat across thousands of events: fold each once.
        self._keys: dict[str, str] = {}
        self._parties: dict[str, frozenset[str]] = {}
        self.types: dict[frozenset[str], float] = {
            frozenset((a, b)): score for a, b, score in data.type_compatibility
        }
        self.sub_types: dict[frozenset[str], float] = {
            frozenset((a, b)): score for a, b, score in data.sub_type_compatibility
        }
        self.official_markers = tuple(self.key(m) for m in data.official_markers)

    def fold(self, text: str) -> str:
        return normalize_text(text, self.charmap).text

    @classmethod
    def load(cls, resources: Resources | None = None) -> Settings:
        resources = resources or Resources()
        return resources.derived(
            "reconcile.settings",
            lambda: cls(resources.model(ReconcileFile, "reconcile.yaml"), resources),
        )

    def type_score(
        self, a: str, b: str, sub_a: str | None = None, sub_b: str | None = None
    ) -> float | None:
        if a == b:
            return 1.0
        if sub_a and sub_b:
            listed = self.sub_types.get(frozenset((sub_a, sub_b)))
            if listed is not None:
                return listed
        return self.types.get(frozenset((a, b)))

    def is_official(self, name: str | None) -> bool:
        if not name:
            return False
        folded = f" {self.key(name)} "
        return any(marker in folded for marker in self.official_markers)

    def key(self, name: str | None) -> str:
        """A comparison key for a source or actor name: folded, lower-cased, punctuation dropped."""
        if not name:
            return ""
        cached = self._keys.get(name)
        if cached is None:
            folded = self.fold(name).lower()
            cached = " ".join("".join(c if c.isalnum() else " " for c in folded).split())
            self._keys[name] = cached
        return cached

    def parties(self, name: str | None) -> frozenset[str]:
        if not name:
            return frozenset()
        cached = self._parties.get(name)
        if cached is None:
            cached = frozenset(self.key(p) for p in name.replace(";", "/").split("/")) - {""}
            self._parties[name] = cached
        return cached

    def same_party(self, a: str | None, b: str | None) -> bool:
        """One party under two names: equal keys, or a coalition ("A / B") including the other."""
        return bool(self.parties(a) & self.parties(b))
