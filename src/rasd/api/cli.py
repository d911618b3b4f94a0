"""``rasd serve``: the API and the web page over one database, with uvicorn, and its worker."""

from __future__ import annotations

import ipaddress
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from rasd.api.settings import DEFAULT_MAX_UPLOAD, DEFAULT_UPLOADS_PER_MINUTE, ApiSettings
from rasd.store.cli import DbOpt
from rasd.store.database import ENV_URL

if TYPE_CHECKING:
    from fastapi import FastAPI

err = Console(stderr=True, highlight=False)
ENV_SETTINGS = "RASD_SERVE_SETTINGS"  # the settings of `rasd serve --processes N`, as JSON


def serve(
    db: DbOpt = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    max_upload: Annotated[
        float, typer.Option("--max-upload", help="Largest uploaded report, in MB.", min=0.001)
    ] = DEFAULT_MAX_UPLOAD / (1024 * 1024),
    upload_rate: Annotated[
        int,
        typer.Option(
            "--upload-rate",
            help="Uploads per minute per account (per address with --no-auth); 0: no limit.",
            min=0,
        ),
    ] = DEFAULT_UPLOADS_PER_MINUTE,
    processes: Annotated[
        int,
        typer.Option(
            "--processes",
            help="API processes answering requests (one per core is the most that helps); "
            "rate limits then count per process.",
            min=1,
            max=64,
        ),
    ] = 1,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            help="Worker processes that extract uploaded reports; 0: none (run `rasd worker`).",
            min=0,
            max=64,
        ),
    ] = 1,
    no_auth: Annotated[
        bool,
        typer.Option(
            "--no-auth",
            help="Single-user laptop mode without logins; refused unless HOST is localhost.",
        ),
    ] = False,
    insecure_cookie: Annotated[
        bool,
        typer.Option(
            "--insecure-cookie",
            help="Send the session cookie over plain HTTP to a non-localhost host (testing only).",
        ),
    ] = False,
) -> None:
    """Serve the API (OpenAPI at /docs) and the timeline + map page at http://HOST:PORT/."""
    import uvicorn

    from rasd.api.app import create_app
    from rasd.store.database import Store

    if no_auth and not _is_loopback(host):
        raise typer.BadParameter(
            f"--no-auth is refused on {host}: without logins only localhost may listen",
            param_hint="--no-auth",
        )
    if no_auth:
        err.print(
            "rasd: --no-auth: no logins, everyone who reaches this port is an admin "
            "(listening on localhost only)",
            markup=False,
            soft_wrap=True,
        )
    store = Store(db)  # migrates once, here, before any process serves it
    settings = ApiSettings(
        max_upload_bytes=int(max_upload * 1024 * 1024),
        auth_required=not no_auth,
        secure_cookie=not insecure_cookie,
        uploads_per_minute=upload_rate,
    )
    err.print(
        f"rasd: serving {store.url.split('@')[-1]} at http://{host}:{port}/"
        + (f" with {processes} processes" if processes > 1 else ""),
        markup=False,
        soft_wrap=True,
    )
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": "warning",
        "server_header": False,
    }
    try:
        with upload_workers(store.url, workers):
            if processes == 1:
                uvicorn.run(create_app(store, settings), **options)
                return
            # Each process (spawned: a fresh interpreter) builds the app from the environment,
            # so the URL stays out of the process list, and opens its own connections; this
            # one's are not needed while they serve.
            store.close()
            os.environ[ENV_URL] = store.url
            os.environ[ENV_SETTINGS] = json.dumps(asdict(settings))
            factory = f"{__name__}:app_from_environment"
            uvicorn.run(factory, factory=True, workers=processes, **options)
    finally:
        store.close()


def app_from_environment() -> FastAPI:
    """The app of one of several ``rasd serve --processes N`` processes."""
    from rasd.api.app import create_app
    from rasd.store.database import Store

    settings = ApiSettings(**json.loads(os.environ[ENV_SETTINGS]))
    return create_app(Store(os.environ[ENV_URL], migrate=False), settings)


@contextmanager
def upload_workers(url: str, count: int) -> Iterator[list[subprocess.Popen[bytes]]]:
    """``rasd worker`` child processes: their own interpreters, so extraction never holds our GIL.

    The URL goes by environment (a password stays out of the process list); each child also
    stops by itself when this process is gone (``--parent``).
    """
    # A query waits on a person; an upload's extraction can wait: workers yield the CPU.
    command = [sys.executable, "-m", "rasd", "worker", "--parent", str(os.getpid()), "--nice", "10"]
    environment = {**os.environ, ENV_URL: url}
    children = [subprocess.Popen(command, env=environment) for _ in range(count)]
    try:
        yield children
    finally:
        for child in children:
            child.terminate()
        for child in children:
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
