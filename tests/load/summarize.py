"""Print the figures of a locust run from its CSV files; exit 1 if p95 >= 500 ms or any error.

python tests/load/summarize.py OUT/locust_stats.csv OUT/locust_failures.csv
"""

import csv
import sys
from pathlib import Path

P95_TARGET_MS = 500


def main(stats_path: str, failures_path: str) -> int:
    rows = list(csv.DictReader(Path(stats_path).read_text(encoding="utf-8").splitlines()))
    width = max(len(r["Name"]) for r in rows) + 2
    print(f"{'request':<{width}}{'count':>8}{'errors':>8}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}")
    total = None
    for row in rows:
        name = row["Name"] or "Aggregated"
        line = (
            f"{name:<{width}}{int(row['Request Count']):>8}{int(row['Failure Count']):>8}"
            f"{float(row['Requests/s']):>8.1f}{row['50%']:>8}{row['95%']:>8}"
        )
        print(line)
        if row["Name"] == "Aggregated":
            total = row
    failures = list(csv.DictReader(Path(failures_path).read_text(encoding="utf-8").splitlines()))
    for failure in failures:
        print(
            f"  error: {failure['Method']} {failure['Name']}: {failure['Error']} "
            f"x{failure['Occurrences']}"
        )
    if total is None:
        print("no aggregated row")
        return 1
    p95 = float(total["95%"])
    errors = int(total["Failure Count"])
    print(
        f"\nRESULT: {float(total['Requests/s']):.1f} requests/s, p50 {total['50%']} ms, "
        f"p95 {total['95%']} ms, {errors} errors of {total['Request Count']} requests "
        f"(target: p95 < {P95_TARGET_MS} ms, no errors)"
    )
    return 0 if p95 < P95_TARGET_MS and errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
