"""``rasd user …`` (accounts for a team server) and ``rasd export …`` (gold and event files)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from rasd.errors import RasdError
from rasd.store.accounts import ROLES
from rasd.store.cli import DbOpt
from rasd.store.database import EventFilters, Store
from rasd.store.review import Reviews

user_app = typer.Typer(help="Accounts and roles (viewer, coder, admin) for a team server.")
export_app = typer.Typer(help="Export stored data.")

RoleArg = Annotated[str, typer.Argument(help=f"One of: {', '.join(ROLES)}.")]


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    password: str = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    return password


@user_app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="Login name (lower case).")],
    role: Annotated[str, typer.Option("--role", help=f"One of: {', '.join(ROLES)}.")] = "viewer",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    db: DbOpt = None,
) -> None:
    """Create an account; the password is asked for (or read from stdin), stored hashed."""
    with Store(db) as store:
        user = Reviews(store).add_user(username, _password(password_stdin), role, by="cli")
    typer.echo(f"added {user.username} ({user.role})")


@user_app.command("role")
def role(username: str, new_role: RoleArg, db: DbOpt = None) -> None:
    """Change an account's role (logged in the audit trail)."""
    with Store(db) as store:
        user = Reviews(store).set_role(username, new_role, by="cli")
    typer.echo(f"{user.username} is now {user.role}")


@user_app.command("token")
def token(
    username: str,
    name: Annotated[str, typer.Option("--name", help="What the token is for.")] = "cli",
    db: DbOpt = None,
) -> None:
    """Create an API token for scripts (sent as ``Authorization: Bearer …``); shown once."""
    with Store(db) as store:
        typer.echo(Reviews(store).create_token(username, name))


@user_app.command("list")
def list_users(db: DbOpt = None) -> None:
    """Accounts and their roles."""
    with Store(db) as store:
        for user in Reviews(store).users():
            typer.echo(f"{user.username}\t{user.role}")


@export_app.command("gold")
def gold(
    db: DbOpt = None,
    status: Annotated[
        str, typer.Option("--status", help="reviewed (reviewed and published) or published.")
    ] = "reviewed",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
) -> None:
    """Write reviewed events in the gold format (docs/gold-format.md), one report per line."""
    if status not in ("reviewed", "published"):
        raise typer.BadParameter("use reviewed or published", param_hint="--status")
    statuses = ("reviewed", "published") if status == "reviewed" else ("published",)
    with Store(db) as store:
        reviews = Reviews(store)
        count = write_gold(reviews, statuses, output)
        reviews.audit("cli", "export", "gold", {"status": status, "reports": count})
    typer.echo(f"rasd: exported {count} reviewed reports", err=True)


def write_gold(reviews: Reviews, statuses: tuple[str, ...], output: Path | None) -> int:
    try:
        stream = output.open("w", encoding="utf-8") if output else sys.stdout
    except OSError as error:
        raise RasdError(f"{output}: cannot write ({error.strerror or error})") from None
    count = 0
    try:
        for record in reviews.gold(statuses):
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    finally:
        if output:
            stream.close()
    return count


@export_app.command("events")
def events(
    export_format: Annotated[
        str, typer.Option("--format", "-f", help="acled, ged (CSV), geojson or jsonl.")
    ] = "jsonl",
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            help="suggested, reviewed (reviewed and published), published or rejected; "
            "default: all but rejected.",
        ),
    ] = None,
    country: Annotated[str | None, typer.Option("--country", help="ISO code, e.g. AF.")] = None,
    date_from: Annotated[
        str | None, typer.Option("--from", help="Events ending on or after (YYYY-MM-DD).")
    ] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", help="Events starting on or before (YYYY-MM-DD).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    db: DbOpt = None,
) -> None:
    """Export stored events as ACLED CSV, UCDP GED CSV, GeoJSON or JSON Lines (as the API does)."""
    from rasd.api.exports import WRITERS, export_events

    if export_format not in WRITERS:
        raise typer.BadParameter(f"use one of {', '.join(WRITERS)}", param_hint="--format")
    if status not in (None, "suggested", "reviewed", "published", "rejected"):
        raise typer.BadParameter(
            "use suggested, reviewed, published or rejected", param_hint="--status"
        )
    filters = EventFilters(
        status=status,
        country=country.upper() if country else None,
        date_from=_day(date_from, "--from"),
        date_to=_day(date_to, "--to"),
    )
    try:
        stream = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    except OSError as error:
        raise RasdError(f"{output}: cannot write ({error.strerror or error})") from None
    try:
        with Store(db) as store:
            count = export_events(store, export_format, filters, stream)
            Reviews(store).audit(
                "cli", "export", export_format, {"status": status or "all", "events": count}
            )
    finally:
        if output:
            stream.close()
    typer.echo(f"rasd: exported {count} events", err=True)


def _day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"{text!r} is not a date (YYYY-MM-DD)", param_hint=option
        ) from None
