"""Benchmark: classify N households stored in the database, store the results, aggregate per commune.

    python benchmarks/classify.py [--households N] [--json] [--naive-sample K] [--keep]

Runs on SQLite by default (a fresh file under var/), or on PostgreSQL when DATABASE_URL names one (the script
creates and drops its own database `giamngheo_bench` on that server, so the named database is never touched).

Steps:
1. set-up (not timed in the targets): migrate a fresh database, load the administrative units, and insert N
   synthetic households spread over every pre-2025 commune, each with one assessment of a 2023 review
   (income per person around the poverty lines, entered deprivation flags, some farm households);
2. timed: `assessments_classify` — read every assessment, classify them all with the vectorised engine, store each
   result in place — and `aggregate_by_commune` — poor / near-poor counts per commune in one query;
3. the naive comparison: a plain per-household ORM loop (load, classify with the scalar engine, save) over a
   sample, scaled to N, reported as the ratio naive / vectorised.

Targets (issue 2): on 2 cores, for 1,000,000 households, classification alone <= 1 s, classify + store + aggregate
<= 10 s, peak memory <= 2 GB; SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.dbsetup import configure_database, insert_rows  # noqa: E402  (needs ROOT on the path)

BENCH_DB_NAME = "giamngheo_bench"


def generate(households: int, seed: int) -> dict[str, object]:
    from django.db import connection, transaction

    from giamngheo.areas.models import AdminUnit
    from giamngheo.engine.standard import get_standard
    from giamngheo.registry.models import Household
    from giamngheo.reviews.models import Assessment, Review
    from giamngheo.standards.services import ensure_standard_row

    rng = random.Random(seed)
    standard = get_standard("ND07-2021")
    ensure_standard_row(standard)
    communes = list(AdminUnit.objects.communes().filter(valid_to__isnull=False).values_list("id", flat=True))
    province = AdminUnit.objects.provinces().filter(valid_to__isnull=False).first()
    assert province is not None
    # An open round (its cut-off date still ahead): only open rounds are re-classified, closed ones stay as decided.
    cutoff = date.today() + timedelta(days=30)
    review = Review.objects.create(
        name="Rà soát benchmark (đợt đang mở)", year=cutoff.year, area=province, standard_id=standard.id,
        lists_effective_year=cutoff.year + 1, reference_date=cutoff,
    )  # fmt: skip
    now = datetime(2023, 12, 14, tzinfo=UTC)
    indicator_mask = standard.mask
    household_rows = []
    for i in range(households):
        household_rows.append(
            {
                "code": f"B{i:08d}",
                "commune_id": communes[i % len(communes)],
                "area_type": "nong_thon" if rng.random() < 0.8 else "thanh_thi",
                "is_agri": rng.random() < 0.6,
                "registered_on": date(2020, 1, 1),
                "created_at": now,
                "updated_at": now,
            }
        )
    with transaction.atomic():
        insert_rows(Household, household_rows)
    ids = dict(Household.objects.values_list("code", "id").iterator(chunk_size=50_000))
    assessment_rows = []
    for row in household_rows:
        urban = row["area_type"] == "thanh_thi"
        line = 2_000_000 if urban else 1_500_000
        income = max(0, int(rng.gauss(line * 1.25, line * 0.5)) // 1000 * 1000)
        known = indicator_mask
        deprived = 0
        for bit in range(14):
            if indicator_mask >> bit & 1 and rng.random() < 0.22:
                deprived |= 1 << bit
        assessment_rows.append(
            {
                "review_id": review.id,
                "household_id": ids[row["code"]],
                "commune_id": row["commune_id"],
                "assessed_on": date(2023, 11, 20),
                "area_type": row["area_type"],
                "is_agri": row["is_agri"],
                "income_per_capita": income,
                "income_method": "estimated",
                "entered_mask": deprived,
                "entered_known_mask": known,
                "member_count": rng.randint(1, 8),
                "facts": {},
                "standard_id": standard.id,
                "poverty_class": "khong_ngheo",
                "deprivation_count": 0,
                "classified_at": now,
            }
        )
    with transaction.atomic():
        insert_rows(Assessment, assessment_rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"review_id": review.id, "communes": len(communes)}


def naive_loop(sample: int) -> float:
    """Seconds per household for a plain per-household ORM loop: load, classify (scalar engine), save."""
    from django.db import transaction

    from giamngheo.engine.classify import classify_household
    from giamngheo.engine.facts import AreaType, HouseholdFacts
    from giamngheo.engine.standard import get_standard
    from giamngheo.reviews.models import Assessment

    standard = get_standard("ND07-2021")
    ids = list(Assessment.objects.order_by("id").values_list("id", flat=True)[:sample])
    started = time.perf_counter()
    with transaction.atomic():
        for pk in ids:
            assessment = Assessment.objects.get(pk=pk)
            entered = {
                code: bool(assessment.entered_mask >> standard.bit(code) & 1)
                for code in standard.indicator_codes
                if assessment.entered_known_mask >> standard.bit(code) & 1
            }
            result = classify_household(
                standard,
                HouseholdFacts(
                    area_type=AreaType(assessment.area_type),
                    income_per_capita=assessment.income_per_capita,
                    is_agri=assessment.is_agri,
                    entered=entered,
                ),
            )
            assessment.poverty_class = result.poverty_class.value
            assessment.deprivation_count = result.deprivation_count
            assessment.deprivation_mask = result.deprivation_mask
            assessment.conflict_mask = result.conflict_mask
            assessment.missing_mask = result.missing_mask
            assessment.explanation = result.explanation
            assessment.save()
    return (time.perf_counter() - started) / max(1, len(ids))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--naive-sample", type=int, default=2_000)
    parser.add_argument("--json", action="store_true", help="print one line of JSON")
    args = parser.parse_args()

    database = configure_database(BENCH_DB_NAME)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "giamngheo.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from giamngheo.areas.loader import load_units
    from giamngheo.reviews.models import Review
    from giamngheo.reviews.reclassify import aggregate_by_commune, assessments_classify

    log = (lambda *a: None) if args.json else (lambda *a: print(*a, flush=True))
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_units()
    info = generate(args.households, args.seed)
    log(f"set-up ({database}): {args.households:,} households in {time.perf_counter() - t0:.1f} s")

    review = Review.objects.get(pk=info["review_id"])
    started = time.perf_counter()
    report = assessments_classify(review=review)
    aggregate_started = time.perf_counter()
    per_commune = aggregate_by_commune(review=review)
    finished = time.perf_counter()

    naive_per_household = naive_loop(min(args.naive_sample, args.households))
    seconds_total = finished - started
    result = {
        "households": args.households,
        "database": database,
        "seconds_read": round(report.seconds_read, 3),
        "seconds_classify": round(report.seconds_classify, 3),
        "seconds_store": round(report.seconds_store, 3),
        "seconds_aggregate": round(finished - aggregate_started, 3),
        "seconds_total": round(seconds_total, 3),
        "naive_seconds_per_household": round(naive_per_household, 6),
        "naive_seconds_estimated": round(naive_per_household * args.households, 1),
        "naive_ratio": round(naive_per_household * args.households / seconds_total, 1),
        "communes": len(per_commune),
        "classes": report.by_class,
        "changed": report.changed,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "cpu_count": os.cpu_count(),
        "machine": platform.machine(),
        "python": platform.python_version(),
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for key, value in result.items():
            print(f"{key:>30}: {value}")
    if database == "postgresql" and not os.environ.get("BENCH_KEEP"):
        from django.db import connections

        connections.close_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
