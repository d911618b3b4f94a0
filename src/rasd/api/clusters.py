"""Reconciled events over HTTP: the list of clusters and one cluster with every side of it.

A cluster is one real-world event as several reports tell it. Its page needs the merged event,
each member report (to open it), every claim with the report that makes it (to set the figures
side by side), the flags with both sides' evidence, and why the events were merged.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, Field

from rasd.api.auth import Auth
from rasd.api.schemas import ErrorOut
from rasd.reconcile.model import FigureRule, Link, ReconcileFlag
from rasd.records import Claim, EventRecord, Grade
from rasd.store.reconcile import ClusterFilters, Clusters, ClusterSummary
from rasd.store.review import User

_PARAMS = frozenset(
    {
        "country",
        "date_from",
        "date_to",
        "grade",
        "flagged",
        "min_reports",
        "document_id",
        "event_id",
        "limit",
        "offset",
    }
)


class ClusterPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[ClusterSummary]  # the store's rows, as they are


class MemberOut(BaseModel):
    document_id: str
    event_id: str
    publisher: str | None
    published: date | None
    title: str | None
    path: str | None
    source_group: int = Field(description="Members in one group are copies of one story.")


class ClaimOut(BaseModel):
    """A claim with the report that makes it, so figures can be shown by source and date."""

    document_id: str
    publisher: str | None
    published: date | None
    claim: Claim


class ClusterOut(BaseModel):
    id: str
    grade: Grade
    grade_reason: str
    independent_sources: int
    event: EventRecord
    members: list[MemberOut]
    claims: list[ClaimOut]
    flags: list[ReconcileFlag]
    links: list[Link] = Field(description="Why the events were merged: field scores per pair.")
    figures: list[FigureRule] = Field(description="How low/best/high were chosen.")
    updated_at: datetime


def _known_params(request: Request) -> None:
    """An unknown query parameter is a 422, as on the other lists: a typo is not 'no filter'."""
    for name in request.query_params:
        if name not in _PARAMS:
            raise HTTPException(
                422, f"unknown query parameter {name!r} (known: {', '.join(sorted(_PARAMS))})"
            )


def clusters_router(clusters: Clusters, auth: Auth) -> APIRouter:
    router = APIRouter(prefix="/api", tags=["clusters"], dependencies=[Depends(_known_params)])
    viewer = Depends(auth.require("viewer", "coder"))

    @router.get("/clusters", response_model=ClusterPage, summary="Events reconciled across reports")
    def list_clusters(
        _user: User = viewer,
        country: Annotated[
            str | None, Query(pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2")
        ] = None,
        date_from: Annotated[date | None, Query(description="Ending on or after")] = None,
        date_to: Annotated[date | None, Query(description="Starting on or before")] = None,
        grade: Annotated[Grade | None, Query()] = None,
        flagged: Annotated[bool, Query(description="Only clusters with flags")] = False,
        min_reports: Annotated[
            int | None, Query(ge=1, le=10_000, description="Told by at least this many reports")
        ] = None,
        document_id: Annotated[
            str | None,
            Query(pattern=r"^[0-9a-f]{8,64}$", description="Clusters this report is part of"),
        ] = None,
        event_id: Annotated[
            str | None,
            Query(min_length=1, max_length=128, description="The cluster holding this event"),
        ] = None,
        limit: Annotated[int, Query(ge=1, le=2000)] = 100,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> ClusterPage:
        if date_from and date_to and date_from > date_to:
            raise HTTPException(422, "date_from is after date_to")
        filters = ClusterFilters(
            country=country.upper() if country else None,
            date_from=date_from,
            date_to=date_to,
            grade=grade,
            flagged=flagged,
            min_reports=min_reports,
            document_id=document_id,
            event_id=event_id,
        )
        found, total = clusters.query(filters, limit=limit, offset=offset)
        return ClusterPage(total=total, limit=limit, offset=offset, items=found)

    @router.get(
        "/clusters/{cluster_id}",
        response_model=ClusterOut,
        responses={404: {"model": ErrorOut}},
        summary="One reconciled event: members, claims, flags with both sides, merge links",
    )
    def one_cluster(cluster_id: str, _user: User = viewer) -> ClusterOut:
        stored = clusters.get(cluster_id) if len(cluster_id) <= 128 else None
        if stored is None:
            raise HTTPException(404, f"no cluster {cluster_id!r}")
        cluster = stored.cluster
        by_document = {m.document_id: m for m in stored.members}
        claims = []
        for claim in cluster.event.claims:
            member = by_document.get(claim.span.document_id)
            claims.append(
                ClaimOut(
                    document_id=claim.span.document_id,
                    publisher=member.publisher if member else None,
                    published=member.published if member else None,
                    claim=claim,
                )
            )
        return ClusterOut(
            id=cluster.cluster_id,
            grade=cluster.grade,
            grade_reason=cluster.grade_reason,
            independent_sources=cluster.independent_sources,
            event=cluster.event,
            members=[MemberOut(**asdict(m)) for m in stored.members],
            claims=claims,
            flags=cluster.flags,
            links=cluster.links,
            figures=cluster.figures,
            updated_at=stored.updated_at,
        )

    return router
