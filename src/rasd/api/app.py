"""The HTTP API and the web page, one FastAPI app over one ``Store``.

Everything a report contains goes out as JSON and is put into the page as text by the page's own
script (never as HTML), under a Content-Security-Policy that allows scripts from this server only.
Filters are validated before they reach the store: an unknown value or parameter is a 422 that
says which, never a silent "no results". Routes are grouped in routers so that authentication
(accounts and roles) can be added as router dependencies without touching each route.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rasd.api.auth import Auth, RateLimit
from rasd.api.clusters import clusters_router
from rasd.api.exports import WRITERS, document_lookup, export_countries
from rasd.api.review import review_page_router, review_router
from rasd.api.schemas import (
    DocumentOut,
    DocumentPage,
    ErrorOut,
    EventOut,
    EventPage,
    EventStatus,
    EventType,
    FlagOut,
    MentionOut,
    SourceOut,
    UploadJSON,
    UploadStatus,
)
from rasd.api.settings import ApiSettings
from rasd.document import Document, Source
from rasd.errors import InputError, StoreError
from rasd.ingest import IngestOptions, document_from_bytes
from rasd.pipeline import make_document
from rasd.resources import Resources
from rasd.store import EventFilters, Store
from rasd.store.queue import UploadQueue, UploadState
from rasd.store.reconcile import Clusters
from rasd.store.review import Reviews

# Scripts, styles, fonts and data from this server only; no inline script, no plugins, no framing.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]

_TEXT_TYPES = {
    "text/plain": ".txt",
    "text/markdown": ".md",
    "text/html": ".html",
    "application/xhtml+xml": ".html",
}
_FILTER_PARAMS = set(EventFilters.__dataclass_fields__) | {"limit", "offset"}


class SecurityHeaders:
    """Adds the CSP and friends to every response, API and static files alike."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() not in {name for name, _ in SECURITY_HEADERS}
                ]
                message["headers"] = headers + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


def web_root() -> Path:
    return Path(str(resources.files("rasd.web") / "static"))


def create_app(store: Store, settings: ApiSettings | None = None) -> FastAPI:
    """The app over an open store; uploads are queued for ``rasd worker`` (``rasd.store.worker``).

    The API runs no extraction itself: the pipeline is CPU-bound Python, and inside this process
    it held the GIL while every query waited.
    """
    settings = settings or ApiSettings()
    resources = Resources()
    queue = UploadQueue(store)
    app = FastAPI(
        title="Rasd",
        summary="Event records with evidence, extracted from narrative reports of violence.",
        version="0.1.0",
        docs_url=None,  # served below from bundled assets: the stock page loads a CDN
        redoc_url=None,
        responses={422: {"model": ErrorOut}},
    )
    app.state.store = store
    clusters = Clusters(store, resources)
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, error: RequestValidationError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": _describe(error.errors())})

    @app.exception_handler(StoreError)
    async def store_error(_request: Request, error: StoreError) -> JSONResponse:
        return JSONResponse(status_code=503, content={"detail": str(error)})

    auth = Auth(
        Reviews(store), required=settings.auth_required, secure_cookie=settings.secure_cookie
    )
    api = APIRouter(prefix="/api", dependencies=[Depends(_known_params), Depends(auth.require())])
    upload_limit = RateLimit(limit=settings.uploads_per_minute, window=60.0, what="uploads")

    @app.get("/api/health", include_in_schema=False)
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @api.get("/documents", response_model=DocumentPage, summary="List or search documents")
    def documents(
        q: Annotated[str | None, Query(max_length=500, description="Full-text query")] = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> Response:
        if q is not None:
            _require_words(store, q)
        found, total = store.list_documents(q=q, limit=limit, offset=offset)
        return _json(DocumentPage(total=total, limit=limit, offset=offset, items=found))

    @api.get("/search", response_model=DocumentPage, summary="Full-text search over reports")
    def search(
        q: Annotated[str, Query(min_length=1, max_length=500)],
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> Response:
        return documents(q=q, limit=limit, offset=offset)

    @api.get(
        "/documents/{document_id}",
        response_model=DocumentOut,
        responses={404: {"model": ErrorOut}},
        summary="One document: text, mentions, flags and its events",
    )
    def document(document_id: str) -> Response:
        stored = store.get_document(document_id)
        if stored is None:
            raise HTTPException(404, f"no document {document_id!r}")
        doc = stored.document
        out = DocumentOut(
            id=doc.id,
            lang=doc.lang,
            source=SourceOut(**_source(doc.source)),
            text=doc.text,
            ingested_at=stored.ingested_at,
            stages=doc.stages,
            sentences=[(s.start, s.end) for s in doc.sentences],
            mentions=[MentionOut(**m.to_dict(doc.text)) for m in doc.mentions],  # type: ignore[arg-type]
            flags=[
                FlagOut(kind=f.kind, message=f.message, spans=list(f.spans), by=f.by)
                for f in doc.flags
            ],
            event_ids=stored.event_ids,
        )
        return _json(out)

    @api.post(
        "/documents",
        status_code=202,
        response_model=UploadStatus,
        responses={
            200: {"model": UploadStatus, "description": "Already stored (or failed before)"},
            400: {"model": ErrorOut},
            411: {"model": ErrorOut},
            413: {"model": ErrorOut},
            415: {"model": ErrorOut},
            429: {"model": ErrorOut, "description": "Too many uploads; see Retry-After"},
        },
        summary="Upload a report (text, HTML or JSON); its events are extracted in the background",
        description="The report is queued at once (202); follow `status_url` until its status "
        "is `done` (with the number of events) or `failed` (with the error).",
        openapi_extra={
            "requestBody": {
                "content": {
                    "text/plain": {"schema": {"type": "string"}},
                    "text/html": {"schema": {"type": "string"}},
                    "application/json": {"schema": UploadJSON.model_json_schema()},
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "properties": {"file": {"type": "string", "format": "binary"}},
                        }
                    },
                }
            }
        },
    )
    async def upload(request: Request) -> JSONResponse:
        upload_limit.check(_client_key(request, settings.auth_required))
        doc = await _read_upload(request, settings.max_upload_bytes)
        state = await run_in_threadpool(queue.enqueue, doc)
        pending = state.status in ("queued", "working")
        return JSONResponse(
            status_code=202 if pending else 200,
            content=_upload_status(state).model_dump(),
            headers={"location": _status_url(state.document_id)} if pending else None,
        )

    @api.get(
        "/uploads/{document_id}",
        response_model=UploadStatus,
        responses={404: {"model": ErrorOut}},
        summary="Where an upload stands: queued, working, done or failed",
    )
    def upload_status(document_id: str) -> UploadStatus:
        state = queue.status(document_id)
        if state is None:
            raise HTTPException(404, f"no upload {document_id!r}")
        return _upload_status(state)

    @api.get("/events", response_model=EventPage, summary="Events, filtered and paged")
    def events(
        filters: Annotated[EventFilters, Depends(event_filters)],
        limit: Annotated[int, Query(ge=1, le=2000)] = 100,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> Response:
        if filters.q is not None:
            _require_words(store, filters.q)
        found, total = store.query_events(filters, limit=limit, offset=offset)
        return _json(EventPage(total=total, limit=limit, offset=offset, items=found))

    @api.get(
        "/events/{event_id}",
        response_model=EventOut,
        responses={404: {"model": ErrorOut}},
        summary="One event with its claims, evidence spans and flags",
    )
    def event(event_id: str) -> Response:
        stored = store.get_event(event_id)
        if stored is None:
            raise HTTPException(404, f"no event {event_id!r}")
        return _json(EventOut(status=stored.status, version=stored.version, event=stored.record))

    @api.get(
        "/export/{export_format}",
        responses={
            200: {"content": {"application/x-ndjson": {}, "application/geo+json": {}}},
            404: {"model": ErrorOut},
        },
        summary="Export the filtered events: jsonl, geojson, acled (CSV), ged (CSV)",
    )
    def export(
        export_format: str,
        filters: Annotated[EventFilters, Depends(event_filters)],
        request: Request,
    ) -> StreamingResponse:
        chosen = WRITERS.get(export_format)
        if chosen is None:
            raise HTTPException(
                404, f"unknown export format {export_format!r} (known: {', '.join(WRITERS)})"
            )
        if filters.q is not None:
            _require_words(store, filters.q)
        # Exports leave the team's hands: who took which events is in the audit log.
        user = getattr(request.state, "user", None)
        asked = {k: str(v) for k, v in asdict(filters).items() if v is not None}
        auth.reviews.audit(
            user.username if user is not None else None, "export", export_format, asked
        )
        records = (s.record for s in store.iter_events(filters))
        return StreamingResponse(
            chosen.writer(records, document_lookup(store), export_countries()),
            media_type=chosen.media_type,
            headers={
                "content-disposition": f'attachment; filename="rasd-events.{chosen.extension}"'
            },
        )

    app.include_router(auth.router())
    app.include_router(review_router(store, auth))
    app.include_router(review_page_router())
    app.include_router(api)
    app.include_router(clusters_router(clusters, auth))
    _mount_web(app)
    return app


def _json(page: BaseModel) -> Response:
    """A page (or one event, one document) serialised here, once.

    Returned as a model, FastAPI would validate every item again against the response model
    (most of a page's time at 100k events).
    """
    return Response(page.model_dump_json(), media_type="application/json")


def _status_url(document_id: str) -> str:
    return f"/api/uploads/{document_id}"


def _upload_status(state: UploadState) -> UploadStatus:
    done = state.status == "done"
    return UploadStatus(
        id=state.document_id,
        status=state.status,  # type: ignore[arg-type]
        status_url=_status_url(state.document_id),
        document_url=f"/api/documents/{state.document_id}" if done else None,
        events=state.events,
        error=state.error,
    )


def _client_key(request: Request, by_account: bool) -> str:
    """Who a rate limit counts: the account when logins are on, else the client address."""
    user = getattr(request.state, "user", None)
    if by_account and user is not None:
        return f"user:{user.id}"
    return f"address:{request.client.host if request.client else 'unknown'}"


async def _known_params(request: Request) -> None:
    """An unknown query parameter is a 422: a typo must not look like 'no filter'.

    Async (as ``event_filters``): a sync dependency would cost each request a thread hop.
    """
    known = _FILTER_PARAMS if request.url.path.startswith("/api/e") else {"q", "limit", "offset"}
    for name in request.query_params:
        if name not in known:
            raise HTTPException(
                422, f"unknown query parameter {name!r} (known: {', '.join(sorted(known))})"
            )


async def event_filters(
    date_from: Annotated[date | None, Query(description="Events ending on or after")] = None,
    date_to: Annotated[date | None, Query(description="Events starting on or before")] = None,
    country: Annotated[
        str | None, Query(pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2")
    ] = None,
    admin1: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    event_type: Annotated[EventType | None, Query()] = None,
    actor: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    fatalities_min: Annotated[int | None, Query(ge=0, le=100_000_000)] = None,
    fatalities_max: Annotated[int | None, Query(ge=0, le=100_000_000)] = None,
    bbox: Annotated[
        str | None, Query(description="west,south,east,north in degrees", max_length=100)
    ] = None,
    q: Annotated[str | None, Query(min_length=1, max_length=500)] = None,
    document_id: Annotated[str | None, Query(pattern=r"^[0-9a-f]{8,64}$")] = None,
    status: Annotated[EventStatus | None, Query()] = None,
) -> EventFilters:
    if date_from and date_to and date_from > date_to:
        raise HTTPException(422, "date_from is after date_to")
    if None not in (fatalities_min, fatalities_max) and fatalities_min > fatalities_max:  # type: ignore[operator]
        raise HTTPException(422, "fatalities_min is above fatalities_max")
    return EventFilters(
        date_from=date_from,
        date_to=date_to,
        country=country.upper() if country else None,
        admin1=admin1,
        event_type=event_type,
        actor=actor,
        fatalities_min=fatalities_min,
        fatalities_max=fatalities_max,
        bbox=_parse_bbox(bbox) if bbox is not None else None,
        q=q,
        document_id=document_id,
        status=status,
    )


def _parse_bbox(value: str) -> tuple[float, float, float, float]:
    parts = value.split(",")
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise HTTPException(
            422, "bbox must be four numbers: west,south,east,north (degrees)"
        ) from None
    if not all(-180 <= x <= 180 for x in (west, east)) or not all(
        -90 <= y <= 90 for y in (south, north)
    ):
        raise HTTPException(422, "bbox is outside -180..180 longitude / -90..90 latitude")
    if south > north:
        raise HTTPException(422, "bbox south is above north")
    return west, south, east, north


def _require_words(store: Store, q: str) -> None:
    if not store.forms.words(q):
        raise HTTPException(422, "search query has no words to look for")


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdecimal() and int(declared) > limit:
        raise HTTPException(413, f"upload is over the {_mb(limit)} limit")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"upload is over the {_mb(limit)} limit")
        chunks.append(chunk)
    return b"".join(chunks)


async def _read_upload(request: Request, limit: int) -> Document:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    options = IngestOptions(max_bytes=limit)
    if media_type == "multipart/form-data":
        declared = request.headers.get("content-length")
        if declared is None or not declared.isdecimal():
            raise HTTPException(411, "a multipart upload needs a Content-Length header")
        if int(declared) > limit + 64 * 1024:
            raise HTTPException(413, f"upload is over the {_mb(limit)} limit")
        async with request.form(max_files=1, max_fields=4) as form:
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise HTTPException(422, 'multipart upload has no "file" part')
            data = await upload.read(limit + 1)
            name = Path(upload.filename or "upload").name[:200] or "upload"
            part_type = (upload.content_type or "text/plain").split(";")[0].strip().lower()
        if len(data) > limit:
            raise HTTPException(413, f"upload is over the {_mb(limit)} limit")
        if part_type not in _TEXT_TYPES and part_type != "application/octet-stream":
            raise HTTPException(415, f"{name}: {part_type} is not a text report")
        return _document(data, name, options, Path(name).suffix.lower())
    if media_type == "application/json":
        data = await _read_body(request, limit)
        try:
            payload: Any = json.loads(data)
        except ValueError as error:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            raise HTTPException(400, f"malformed JSON ({error})") from None
        except RecursionError:
            raise HTTPException(400, "malformed JSON (nested too deeply)") from None
        try:
            record = UploadJSON.model_validate(payload)
        except ValidationError as error:
            raise HTTPException(422, _describe(error.errors())) from None
        source = Source(
            path="upload",
            published=record.published,
            title=record.title,
            url=record.url,
            publisher=record.publisher,
        )
        if not record.text.strip():
            raise HTTPException(422, "upload: text is empty")
        return make_document(record.text.strip(), source, record.lang)
    if media_type in _TEXT_TYPES:
        data = await _read_body(request, limit)
        return _document(data, "upload", options, _TEXT_TYPES[media_type])
    shown = media_type or "no content type"
    raise HTTPException(
        415,
        f"{shown} is not accepted: send text/plain, text/html, application/json "
        "or a multipart form with a text file",
    )


def _document(data: bytes, name: str, options: IngestOptions, extension: str) -> Document:
    if extension == ".pdf" or data.startswith(b"%PDF-"):
        raise HTTPException(415, f"{name}: PDF uploads are not accepted; extract the text first")
    try:
        return document_from_bytes(data, name, options, extension=extension)
    except InputError as error:
        status = 415 if error.problem.startswith(("binary file", "cannot detect")) else 422
        raise HTTPException(status, str(error)) from None


def _describe(errors: Any) -> str:
    """Pydantic's error list as one line: where and what, e.g. ``query.event_type: …``."""
    parts = []
    for error in errors:
        where = ".".join(str(p) for p in error.get("loc", ()))
        parts.append(f"{where}: {error.get('msg', 'invalid')}" if where else error.get("msg", ""))
    return "; ".join(parts) or "invalid request"


def _source(source: Source) -> dict[str, Any]:
    return {
        "publisher": source.publisher,
        "url": source.url,
        "published": source.published,
        "title": source.title,
        "path": source.path,
        "external_id": source.external_id,
    }


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _mount_web(app: FastAPI) -> None:
    root = web_root()

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(root / "index.html", media_type="text/html; charset=utf-8")

    @app.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        return FileResponse(root / "docs.html", media_type="text/html; charset=utf-8")

    @app.get("/clusters", include_in_schema=False)
    def clusters_page() -> FileResponse:
        return FileResponse(root / "clusters.html", media_type="text/html; charset=utf-8")

    app.mount("/static", StaticFiles(directory=root), name="static")
