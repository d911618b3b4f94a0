"""Rebuild ``src/rasd/data/countries.json`` for the export columns.

ISO 3166 names and numeric codes come from pycountry; ACLED regions and Gleditsch-Ward numbers
from the hand tables below. Run: ``uv run --group build python scripts/build_countries.py``. ACLED
regions follow the region column of acledR's ``acled_countries`` (docs/field-standards.md [2]);
G-W numbers are from Gleditsch & Ward's state list (ksgleditsch.com/data-4.html), written for the
states reports name most; others are left out (blank in the GED export).
"""

from __future__ import annotations

import json
from pathlib import Path

import pycountry

ACLED_REGIONS = {
    "Middle East": "AE BH CY IL IQ IR JO KW LB OM PS QA SA SY TR YE",
    "Northern Africa": "DZ EG LY MA SD TN EH",
    "Western Africa": "BF BJ CI CV GH GM GN GW LR ML MR NE NG SH SL SN TG",
    "Middle Africa": "AO CF CG CD CM GA GQ ST TD",
    "Eastern Africa": "BI DJ ER ET KE KM MG MU MW MZ RE RW SC SO SS TZ UG YT ZM ZW",
    "Southern Africa": "BW LS NA SZ ZA",
    "South Asia": "AF BD BT IN LK MV NP PK",
    "Southeast Asia": "BN ID KH LA MM MY PH SG TH TL VN",
    "East Asia": "CN HK JP KP KR MN MO TW",
    "Caucasus and Central Asia": "AM AZ GE KG KZ TJ TM UZ",
    "Europe": "AD AL AT BA BE BG BY CH CZ DE DK EE ES FI FR GB GR HR HU IE IS IT LI LT LU LV "
    "MC MD ME MK MT NL NO PL PT RO RS RU SE SI SK SM UA VA XK",
    "North America": "CA US GL",
    "Central America": "BZ CR GT HN MX NI PA SV",
    "South America": "AR BO BR CL CO EC GY PE PY SR UY VE",
    "Caribbean": "AG BB BS CU DM DO GD HT JM KN LC TT VC",
    "Oceania": "AU FJ NZ PG SB VU WS TO",
}

GLEDITSCH_WARD = {
    "US": 2,
    "CA": 20,
    "MX": 70,
    "CO": 100,
    "GB": 200,
    "FR": 220,
    "DE": 260,
    "IT": 325,
    "RU": 365,
    "UA": 369,
    "ML": 432,
    "NE": 436,
    "BF": 439,
    "NG": 475,
    "CM": 471,
    "TD": 483,
    "CF": 482,
    "CD": 490,
    "SO": 520,
    "ET": 530,
    "KE": 501,
    "MA": 600,
    "DZ": 615,
    "TN": 616,
    "LY": 620,
    "SD": 625,
    "SS": 626,
    "IR": 630,
    "TR": 640,
    "IQ": 645,
    "EG": 651,
    "SY": 652,
    "LB": 660,
    "JO": 663,
    "IL": 666,
    "SA": 670,
    "YE": 678,
    "KW": 690,
    "BH": 692,
    "QA": 694,
    "AE": 696,
    "OM": 698,
    "AF": 700,
    "CN": 710,
    "IN": 750,
    "PK": 770,
    "BD": 771,
    "MM": 775,
    "LK": 780,
    "PH": 840,
    "ID": 850,
}


# ACLED's country names where ISO's differ (ACLED country column)
ACLED_NAMES = {
    "PS": "Palestine", "RU": "Russia", "CD": "Democratic Republic of Congo",
    "CG": "Republic of Congo",
    "BN": "Brunei", "FM": "Micronesia", "TR": "Turkey", "CZ": "Czech Republic",
    "CI": "Ivory Coast", "SY": "Syria", "IR": "Iran", "VA": "Vatican City",
}  # fmt: skip


def main() -> None:
    region_of = {code: region for region, codes in ACLED_REGIONS.items() for code in codes.split()}
    rows = {}
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        rows[country.alpha_2] = {
            "name": ACLED_NAMES.get(country.alpha_2, getattr(country, "common_name", country.name)),
            "numeric": int(country.numeric),
            "region": region_of.get(country.alpha_2),
            "gw": GLEDITSCH_WARD.get(country.alpha_2),
        }
    note = (
        "Built by scripts/build_countries.py from pycountry (ISO 3166 names and numeric codes) "
        "plus hand tables of ACLED regions and Gleditsch-Ward numbers; do not edit by hand. "
        "JSON, not YAML: it loads in milliseconds."
    )
    out = Path(__file__).resolve().parents[1] / "src/rasd/data/countries.json"
    body = json.dumps({"note": note, "countries": rows}, ensure_ascii=False, indent=0)
    out.write_text(body + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
