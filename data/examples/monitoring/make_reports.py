"""Generate the example quarterly reports of the ten phase-1 centres (criteria/monitoring-phase1.yaml).

Writes, next to this file, byte-identical on every run (UTF-8, comma separated, LF):
- ``reports-2020.csv``: 2020-Q1 to 2020-Q4, English headers (the indicator ids);
- ``rapports-2021.csv``: 2021-Q1 to 2021-Q3, French headers (the programme's French labels,
  "période", "date du rapport", "commentaire").

The figures are invented, except two that ITU published and the example reproduces: the Ghana
centre trained 22,192 people in phase 1 (68 % women), and the network 106,388. Run the example as
of 2021-11-15 (every report due; 2021-Q3's was due on 30 October 2021):

    dtc-select monitor --programme criteria/monitoring-phase1.yaml \\
        --reports data/examples/monitoring --as-of 2021-11-15 --out reports/monitoring-example

Deliberate cases (EXPECTED.md lists them with their rows; tests check them):
- missing: PNG 2021-Q3 and PRY 2021-Q2 never reported;
- late: ZMB 2020-Q2 (sent 2020-08-20, due 2020-07-30) and BRA 2021-Q1 (2021-05-10, due 2021-04-30);
- quarantined, counted nowhere: an unknown centre (KEN), an impossible period (2020-Q5), a
  negative count, more women trained than people trained, a second report for GHA 2020-Q3, and a
  report sent after the as-of date.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

HERE = Path(__file__).resolve().parent
CENTRES = ("CIV", "GHA", "RWA", "ZMB", "BRA", "DOM", "PRY", "PHL", "IDN", "PNG")
QUARTERS = ("2020-Q1", "2020-Q2", "2020-Q3", "2020-Q4", "2021-Q1", "2021-Q2", "2021-Q3")
DUE = {"2020-Q1": "2020-04-30", "2020-Q2": "2020-07-30", "2020-Q3": "2020-10-30", "2020-Q4": "2021-01-30",
       "2021-Q1": "2021-04-30", "2021-Q2": "2021-07-30", "2021-Q3": "2021-10-30"}
SENT = {"2020-Q1": "2020-04-20", "2020-Q2": "2020-07-21", "2020-Q3": "2020-10-20", "2020-Q4": "2021-01-22",
        "2021-Q1": "2021-04-21", "2021-Q2": "2021-07-20", "2021-Q3": "2021-10-21"}
MISSING = {("PNG", "2021-Q3"), ("PRY", "2021-Q2")}
LATE = {("ZMB", "2020-Q2"): "2020-08-20", ("BRA", "2021-Q1"): "2021-05-10"}
# Ghana's quarters (basic, intermediate, women): 22,192 trained, 15,091 women (68.0 %).
GHANA = [(900, 100, 690), (1500, 300, 1230), (2100, 400, 1700), (2800, 500, 2240),
         (3300, 700, 2720), (3600, 800, 2990), (5192, 0, 3521)]
INDICATORS = ("trained_basic", "trained_intermediate", "trained_women", "trainers_trained", "trainers_women",
              "policy_workshops", "policy_participants")
FRENCH = {"dtc_id": "Centre", "period": "Période", "trained_basic": "Formés, niveau de base",
          "trained_intermediate": "Formés, niveau intermédiaire", "trained_women": "Femmes formées",
          "trainers_trained": "Formateurs formés", "trainers_women": "Formatrices formées",
          "policy_workshops": "Ateliers pour décideurs", "policy_participants": "Participants aux ateliers",
          "reported_on": "Date du rapport", "comment": "Commentaire"}
NETWORK_TRAINED = 106_388


def figures(centre: int, quarter: int) -> list[int]:
    """An ordinary centre's quarter: training grows over the phase; about 65 % women."""
    basic = 420 + 60 * centre + 160 * quarter
    intermediate = 50 + 10 * centre + 20 * quarter
    women = (basic + intermediate) * 65 // 100
    trainers = 10 + 2 * quarter + centre
    return [basic, intermediate, women, trainers, trainers // 2, 1 + quarter % 3, 20 + 5 * quarter]


def rows() -> list[dict]:
    table = []
    for q, quarter in enumerate(QUARTERS):
        for c, centre in enumerate(CENTRES):
            if (centre, quarter) in MISSING:
                continue
            values = figures(c, q)
            if centre == "GHA":
                basic, intermediate, women = GHANA[q]
                values[:3] = [basic, intermediate, women]
            table.append({"dtc_id": centre, "period": quarter, **dict(zip(INDICATORS, values)),
                          "reported_on": LATE.get((centre, quarter), SENT[quarter]), "comment": ""})
    # Make the network's trained total the published 106,388: the last counted row of IDN absorbs it.
    total = sum(r["trained_basic"] + r["trained_intermediate"] for r in table)
    last = next(r for r in reversed(table) if r["dtc_id"] == "IDN")
    last["trained_basic"] += NETWORK_TRAINED - total
    last["trained_women"] = (last["trained_basic"] + last["trained_intermediate"]) * 65 // 100
    return table


def planted(year: str) -> list[dict]:
    """Rows that must be quarantined, whatever else the file holds."""
    blank = {i: 10 for i in INDICATORS} | {"comment": "planted: must be quarantined"}
    if year == "2020":
        return [
            {**blank, "dtc_id": "KEN", "period": "2020-Q2", "reported_on": "2020-07-10"},  # not a centre
            {**blank, "dtc_id": "RWA", "period": "2020-Q5", "reported_on": "2020-07-10"},  # not a period
            {**blank, "dtc_id": "CIV", "period": "2020-Q3", "trained_basic": -40, "reported_on": "2020-10-15"},
            {**blank, "dtc_id": "GHA", "period": "2020-Q3", "trained_basic": 999, "reported_on": "2020-10-25"},
        ]
    return [
        {**blank, "dtc_id": "DOM", "period": "2021-Q2", "trained_basic": 50, "trained_intermediate": 10,
         "trained_women": 75, "reported_on": "2021-07-15"},  # more women than trained
        {**blank, "dtc_id": "PNG", "period": "2021-Q2", "reported_on": "2021-12-01"},  # after the as-of date
    ]


def write(path: Path, table: list[dict], headers: dict[str, str] | None = None) -> None:
    columns = ["dtc_id", "period", *INDICATORS, "reported_on", "comment"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([(headers or {}).get(c, c) for c in columns])
    for row in table:
        writer.writerow([row[c] for c in columns])
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")


def main() -> None:
    table = rows()
    first = [r for r in table if r["period"].startswith("2020")]
    second = [r for r in table if r["period"].startswith("2021")]
    # Planted rows sit among the others, not at the end.
    write(HERE / "reports-2020.csv", first[:12] + planted("2020")[:2] + first[12:25] + planted("2020")[2:] + first[25:])
    write(HERE / "rapports-2021.csv", second[:8] + planted("2021") + second[8:], FRENCH)


if __name__ == "__main__":
    main()
