"""Time the classification engine alone (no database): `classify_frame` over N synthetic households.

    .venv/bin/python benchmarks/engine_only.py                       # 1,000,000 households, entered flags only
    .venv/bin/python benchmarks/engine_only.py --members             # ... and again with ~4.5 members each
    .venv/bin/python benchmarks/engine_only.py --households 200000 --standard QD59-2015 --repeat 3

The households frame has what a survey import gives: area type, income, the farming flag, the entered masks, and
every household fact column present but null. With --members, a members frame of 1 to 8 members per household
(4.5 on average) with every member fact recorded is classified too. The data is generated with Polars from fixed
seeds, so runs are comparable. Prints the best and median wall time and the median CPU time of --repeat runs after one warm-up run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import polars as pl

from giamngheo.engine.batch import classify_frame
from giamngheo.engine.facts import HOUSEHOLD_FACT_TYPES
from giamngheo.engine.standard import Standard, get_standard


def uniform(seed: int, modulus: int) -> pl.Expr:
    """A pseudo-random integer in [0, modulus) per row, reproducible for a seed."""
    return (pl.int_range(pl.len(), dtype=pl.UInt64).hash(seed) % modulus).cast(pl.Int64)


def households_frame(n: int) -> pl.DataFrame:
    every_indicator = (1 << 14) - 1
    frame = pl.select(pl.int_range(n, dtype=pl.Int64).alias("household_id")).with_columns(
        pl.when(uniform(1, 100) < 80)
        .then(pl.lit("nong_thon"))
        .otherwise(pl.lit("thanh_thi"))
        .alias("area_type"),
        (400_000 + uniform(2, 3_600_000)).alias("income_per_capita"),
        (uniform(3, 100) < 60).alias("is_agri"),
        uniform(4, 1 << 14).alias("entered_mask"),
        pl.when(uniform(5, 10) == 0)
        .then(uniform(6, 1 << 14))
        .otherwise(pl.lit(every_indicator, dtype=pl.Int64))
        .alias("entered_known_mask"),
    )
    nulls = [
        pl.lit(None, dtype=dtype).alias(name)
        for name, dtype in HOUSEHOLD_FACT_TYPES.items()
        if name != "member_count"
    ]
    return frame.with_columns(nulls)


def members_frame(n: int) -> pl.DataFrame:
    ids = (
        pl.select(pl.int_range(n, dtype=pl.Int64).alias("household_id"))
        .with_columns((1 + uniform(7, 4) + uniform(8, 5)).alias("size"))  # 1 to 8 members, 4.5 on average
        .select(pl.col("household_id").repeat_by("size").explode())
    )
    statuses = ["wage_worker", "self_employed", "unemployed", "not_in_labour_force"]
    levels = ["none", "primary", "lower_secondary", "upper_secondary", "college"]
    vocational = ["none", "none", "none", "elementary", "intermediate", "college"]
    schools = ["preschool", "primary", "lower_secondary", "upper_secondary", "vocational"]
    age = pl.col("age")
    return ids.with_columns(uniform(11, 90).cast(pl.Int32).alias("age")).with_columns(
        pl.when(uniform(12, 2) == 0).then(pl.lit("nam")).otherwise(pl.lit("nu")).alias("sex"),
        # Date facts as `engine.facts.member_facts` would give them (the retirement age taken as 61 for both sexes:
        # the engine's cost does not depend on it).
        (2026 - age).alias("birth_year"),
        age.alias("school_age"),
        ((age >= 15) & (age < 61)).alias("working_age"),
        (age >= 61).alias("past_working_age"),
        (uniform(13, 100) < 92).alias("has_health_insurance"),
        (uniform(14, 100) < 40).alias("in_education"),
        pl.lit(pl.Series(schools)).gather(uniform(22, len(schools))).alias("school_level"),
        pl.lit(pl.Series(levels)).gather(uniform(15, len(levels))).alias("education_level"),
        pl.lit(pl.Series(vocational)).gather(uniform(23, len(vocational))).alias("vocational_level"),
        (uniform(24, 100) < 2).alias("on_the_job_training_certified"),
        pl.lit(pl.Series(statuses)).gather(uniform(16, len(statuses))).alias("work_status"),
        (uniform(17, 100) < 30).alias("has_labour_contract"),
        (uniform(18, 100) < 90).alias("able_to_work"),
        (uniform(19, 100) < 3).alias("disabled"),
        (uniform(20, 100) < 5).alias("receives_social_allowance"),
        (uniform(21, 100) < 4).alias("malnourished"),
    )


def timed(
    standard: Standard, households: pl.DataFrame, members: pl.DataFrame | None, repeat: int
) -> list[tuple[float, float]]:
    """(wall, CPU) seconds of each run. CPU time adds up every thread; on a busy machine it is the steadier
    measure, and wall <= CPU means the run had the cores to itself."""
    classify_frame(standard, households, members)  # warm-up: compiles the standard's plan
    runs = []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = classify_frame(standard, households, members)
        runs.append((time.perf_counter() - wall, time.process_time() - cpu))
    assert result.height == households.height
    return runs


def report(label: str, runs: list[tuple[float, float]]) -> None:
    walls = [wall for wall, _ in runs]
    cpus = [cpu for _, cpu in runs]
    print(
        f"{label}: best {min(walls):.3f} s, median {statistics.median(walls):.3f} s wall; "
        f"median {statistics.median(cpus):.3f} s CPU ({len(runs)} runs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--standard", default="ND07-2021")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--members", action="store_true", help="also time with a members frame")
    args = parser.parse_args()
    standard = get_standard(args.standard)
    households = households_frame(args.households)
    print(f"{standard.id}, {args.households:,} households, Polars {pl.__version__}, {os.cpu_count()} CPUs")
    report("classify_frame, entered flags only (no members)", timed(standard, households, None, args.repeat))
    if args.members:
        members = members_frame(args.households)
        label = f"classify_frame with {members.height:,} members"
        report(label, timed(standard, households, members, args.repeat))


if __name__ == "__main__":
    main()
