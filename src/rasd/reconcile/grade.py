"""How well an event is sourced, in the spirit of Airwars' grades (field-standards.md §3).

Rules, in order (the first that applies wins):
- contested: independent sources name different perpetrators (competing claims of responsibility;
  an "unidentified" attacker competes with nobody);
- discounted: a "violence against civilians" event whose victims most sources name as fighters
  (Airwars: those killed were combatants);
- confirmed: the responsible party, or an official source, acknowledges it (a claim in the cluster
  is attributed to the perpetrator or to an official) and no report's date or attribution is
  contradicted;
- fair: two or more independent sources (copies of one story and one publisher count once);
- weak: a single source.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rasd.reconcile.match import ARMED_KINDS
from rasd.reconcile.model import Item, ReconcileFlag
from rasd.reconcile.settings import Settings
from rasd.records import Grade


def grade(
    items: Sequence[Item],
    groups: dict[int, int],
    flags: Sequence[ReconcileFlag],
    settings: Settings,
) -> tuple[Grade, str]:
    independent = len({groups[i.index] for i in items})
    perpetrators: list[str] = []
    for item in items:
        actor = item.event.actor1
        if (
            actor is not None
            and actor.kind not in (None, "other")
            and not any(settings.same_party(actor.name, known) for known in perpetrators)
        ):
            perpetrators.append(actor.name)
    if len(perpetrators) >= 2:
        return "contested", f"competing perpetrators: {', '.join(perpetrators)}"
    victims = Counter(
        i.event.actor2.kind in ARMED_KINDS
        for i in items
        if i.event.actor2 is not None and i.event.actor2.kind is not None
    )
    if (
        any(i.event.event_type == "Violence against civilians" for i in items)
        and victims[True] > victims[False]
    ):
        return "discounted", "the victims are named as combatants"
    acknowledged = [
        claim.attributed_to
        for item in items
        for claim in item.event.claims
        if claim.attributed_to
        and (
            any(settings.same_party(claim.attributed_to, p) for p in perpetrators)
            or settings.is_official(claim.attributed_to)
        )
    ]
    serious = [f for f in flags if f.kind in ("date_conflict", "misattribution")]
    if acknowledged and not serious:
        return "confirmed", f"acknowledged by {acknowledged[0]}"
    if independent >= 2:
        why = f"{independent} independent sources"
        if acknowledged:
            why += f" (acknowledged by {acknowledged[0]}, but {serious[0].kind} flagged)"
        return "fair", why
    return "weak", "a single source"
