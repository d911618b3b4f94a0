"""``rasd serve``: the API and the web page over one database, with uvicorn."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer
from rich.console import Console

from rasd.api.app import DEFAULT_MAX_UPLOAD, ApiSettings, create_app
from rasd.store.cli import DbOpt
from rasd.store.database import Store

err = Console(stderr=True, highlight=False)


def serve(
    db: DbOpt = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    max_upload: Annotated[
        float, typer.Option("--max-upload", help="Largest uploaded report, in MB.", min=0.001)
    ] = DEFAULT_MAX_UPLOAD / (1024 * 1024),
) -> None:
    """Serve the API (OpenAPI at /docs) and the timeline + map page at http://HOST:PORT/."""
    import uvicorn

    if not _is_loopback(host):
        err.print(
            f"rasd: warning: listening on {host} without accounts: anyone who can reach this "
            "address can read every stored report",
            markup=False,
            soft_wrap=True,
        )
    store = Store(db)
    app = create_app(store, ApiSettings(max_upload_bytes=int(max_upload * 1024 * 1024)))
    err.print(
        f"rasd: serving {store.url.split('@')[-1]} at http://{host}:{port}/",
        markup=False,
        soft_wrap=True,
    )
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
    finally:
        store.close()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
