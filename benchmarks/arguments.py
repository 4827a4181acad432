"""The arguments the benchmark commands share, declared once.

`run_arguments`: the size of the synthetic data every benchmark shapes (`--units`), its random
seed and how many times each measure is taken (`--repeat`). `database_arguments`: those of the
benchmarks that build the synthetic federation of `benchmarks.dashboard_data` in a database of
their own (bench_dashboard, bench_restructure), and `database_scale` checks them (PostgreSQL
only, a database name with "bench" in it: the command drops and refills it).
"""

from __future__ import annotations

from django.core.management.base import CommandError
from django.db import connections

from benchmarks import dashboard_data as bench

MAX_MEMBERS = 10_000_000  # the synthetic CCCD numbers are unique up to there


def run_arguments(parser, *, units: int, seed: int, repeat: int | None = None) -> None:
    parser.add_argument("--units", type=int, default=units)
    parser.add_argument("--seed", type=int, default=seed)
    if repeat is not None:
        parser.add_argument("--repeat", type=int, default=repeat)


def database_arguments(
    parser,
    *,
    members: int,
    grassroots: int,
    units: int,
    years: int,
    db_name: str,
    repeat: int | None = None,
    seed: int = 20241,
) -> None:
    run_arguments(parser, units=units, seed=seed, repeat=repeat)
    parser.add_argument("--members", type=int, default=members)
    parser.add_argument("--grassroots", type=int, default=grassroots)
    parser.add_argument("--years", type=int, default=years)
    parser.add_argument("--db-name", default=db_name)
    parser.add_argument(
        "--rebuild", action="store_true", help="Build again even if the data has this scale."
    )
    parser.add_argument(
        "--drop-after", action="store_true", help="Drop the benchmark database at the end."
    )


def database_scale(options: dict, command: str) -> bench.Scale:
    """The scale of `database_arguments`, refused in Vietnamese when it cannot be built."""
    if connections["default"].vendor != "postgresql":
        raise CommandError(
            f"{command} chỉ chạy trên PostgreSQL: đặt DATABASE_URL=postgres://... "
            "(SQLite không đo được điều cần đo)."
        )
    name = options["db_name"]
    if "bench" not in name:
        raise CommandError(
            f"Cơ sở dữ liệu «{name}» không có chữ 'bench' trong tên: lệnh này xoá và ghi đè"
            " dữ liệu, chỉ chạy trên cơ sở dữ liệu dành riêng cho benchmark."
        )
    if options["members"] < 1 or options["units"] < 1 or options["grassroots"] < 1:
        raise CommandError("--members, --units và --grassroots phải lớn hơn 0.")
    if options["members"] > MAX_MEMBERS:
        raise CommandError("--members tối đa 10.000.000 (số CCCD giả lập là duy nhất đến đó).")
    return bench.Scale(
        members=options["members"],
        units=options["units"],
        grassroots=options["grassroots"],
        years=options["years"],
        seed=options["seed"],
    )
