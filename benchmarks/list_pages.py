"""Benchmark: the household list page with 100,000+ households, through HTTP.

    python benchmarks/list_pages.py [--households N] [--repeat K] [--json] [--reuse] [--no-analyze]

Runs on SQLite by default (a fresh file var/giamngheo_bench_list.sqlite3), or on PostgreSQL when DATABASE_URL names one (the
script drops and creates its own database `giamngheo_bench_list` on that server, so the named database is never
touched). `--reuse` keeps the database of an earlier run with the same number of households.

Steps:
1. set-up (not timed): migrate, load the administrative units and ethnicities, and write N households set-based
   over the legacy communes of old Gia Lai (64), each with 1-7 members (names of Kinh, Ba Na and Jrai people,
   citizen IDs for adults), a head, and one assessment in each of the periodic reviews of 2022 and 2023 (a facts
   snapshot and an explanation of realistic size, about a third of the households poor);
2. timed: GET of the household list (`web:household-list`) with Django's test Client in an administrator's
   session (the whole country in scope, the worst case) — no filter, a name search (a common and a rare name,
   without diacritics), a household code, a citizen ID, a class filter, a commune filter, a commune + village +
   class filter and a deep page; then some of them in a province staff session (new Gia Lai, 52: the area
   rules resolve its legacy communes), and the dashboard of that province for both sessions (for scale; the
   target is the list's). Each request runs `--repeat` times after one warm-up; the table shows the median and
   the slowest, the number of SQL queries of one request and the rows shown.

Target (issue 3): every request under 300 ms with 100,000+ households, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.dbsetup import configure_database, insert_rows  # noqa: E402  (needs ROOT on the path)

BENCH_DB_NAME = "giamngheo_bench_list"
TARGET_MS = 300.0


def _facts_snapshot(rng: random.Random, members: list[dict[str, Any]]) -> dict[str, Any]:
    """A facts snapshot of the size `assessment_record` stores (household fields and one dict per member)."""
    return {
        "format": 1,
        "area_type": "nong_thon",
        "income_per_capita": rng.randrange(600_000, 3_000_000, 1000),
        "is_agri": True,
        "entered": {"bao_hiem_y_te": rng.random() < 0.3, "nguon_nuoc_sinh_hoat": rng.random() < 0.4},
        "wall_material": "earth",
        "roof_material": "leaf_straw",
        "floor_area_m2": "24.00",
        "water_source": "surface",
        "latrine_type": "pit",
        "uses_internet": False,
        "members": [
            {
                "age": rng.randint(1, 80),
                "sex": member["sex"],
                "has_health_insurance": True,
                "in_education": None,
                "education_level": "primary",
                "work_status": "self_employed",
                "has_labour_contract": False,
                "able_to_work": True,
                "disabled": False,
                "receives_social_allowance": False,
                "malnourished": None,
                "has_meritorious_service": False,
            }
            for member in members
        ],
    }


EXPLANATION = (
    "Thu nhập bình quân 1.350.000đ ≤ chuẩn 1.500.000đ (nông thôn); thiếu hụt 3/12 chỉ số dịch vụ xã hội cơ bản: "
    "bảo hiểm y tế, nguồn nước sinh hoạt, dịch vụ viễn thông. Theo Nghị định 07/2021/NĐ-CP, hộ có thu nhập bình "
    "quân đầu người/tháng từ chuẩn nghèo trở xuống và thiếu hụt từ 3 chỉ số trở lên là hộ nghèo."
)
CLASSES = (("ngheo", 0.34), ("can_ngheo", 0.11), ("muc_song_trung_binh", 0.03), ("khong_ngheo", 0.52))


def generate(households: int, seed: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from giamngheo.areas.models import AdminUnit, Village
    from giamngheo.demo import names
    from giamngheo.engine.standard import get_standard
    from giamngheo.lib.text import fold
    from giamngheo.registry.ethnicities import ethnicities_sync
    from giamngheo.registry.models import Ethnicity, Household, Membership, Person
    from giamngheo.reviews.models import Assessment, Review
    from giamngheo.standards.services import ensure_standard_row

    rng = random.Random(seed)
    ethnicities_sync()
    ethnicity_ids = dict(Ethnicity.objects.filter(code_list="A").values_list("code", "id"))
    standard = get_standard("ND07-2021")
    ensure_standard_row(standard)
    province = AdminUnit.objects.provinces().get(code="64", valid_to__isnull=False)
    communes = list(
        AdminUnit.objects.communes()
        .filter(parent__parent=province)
        .order_by("code")
        .values_list("id", "code")
    )
    villages: dict[int, list[int]] = {}
    with transaction.atomic():
        Village.objects.bulk_create(
            Village(commune_id=commune_id, local_code=f"{n:02d}", name=f"Thôn {n}")
            for commune_id, _code in communes
            for n in range(1, 9)
        )
    for village_id, commune_id in Village.objects.values_list("id", "commune_id"):
        villages.setdefault(commune_id, []).append(village_id)
    now = datetime(2023, 12, 14, tzinfo=UTC)

    household_rows: list[dict[str, Any]] = []
    person_rows: list[dict[str, Any]] = []
    membership_rows: list[dict[str, Any]] = []
    facts: list[dict[str, Any]] = []
    person_id = 0
    ethnicity_mix = ((names.KINH, 0.4), (names.BA_NA, 0.35), (names.JRAI, 0.25))
    for i in range(households):
        commune_id, commune_code = communes[i % len(communes)]
        household_id = i + 1
        ethnicity = rng.choices([e for e, _ in ethnicity_mix], weights=[w for _, w in ethnicity_mix])[0]
        size = rng.choice((1, 2, 3, 3, 4, 4, 4, 5, 5, 6, 7))
        surname = names.surname_for(rng, ethnicity)
        members: list[dict[str, Any]] = []
        for index in range(size):
            person_id += 1
            sex = names.MALE if (index == 0) == (rng.random() < 0.8) else names.FEMALE
            full_name = names.full_name(rng, ethnicity, sex, surname if index != 1 else None)
            adult = index < 2 or rng.random() < 0.3
            birth_year = rng.randint(1950, 2000) if adult else rng.randint(2005, 2022)
            members.append({"sex": sex})
            person_rows.append(
                {
                    "id": person_id,
                    "full_name": full_name,
                    "search_name": fold(full_name),
                    "sex": sex,
                    "birth_date": date(birth_year, rng.randint(1, 12), rng.randint(1, 28)),
                    "citizen_id": f"064{person_id:09d}" if adult else None,
                    "ethnicity_id": ethnicity_ids.get(ethnicity),
                    "has_health_insurance": True,
                    "able_to_work": True,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            membership_rows.append(
                {
                    "household_id": household_id,
                    "person_id": person_id,
                    "relationship": "head" if index == 0 else ("spouse" if index == 1 else "child"),
                    "start_date": date(2015, 1, 1),
                }
            )
        closed = rng.random() < 0.03
        household_rows.append(
            {
                "id": household_id,
                "code": f"{commune_code}-{i:06d}",
                "commune_id": commune_id,
                "village_id": rng.choice(villages[commune_id]),
                "area_type": "nong_thon",
                "head_id": person_id - size + 1,
                "is_agri": rng.random() < 0.6,
                "has_meritorious_member": rng.random() < 0.02,
                "no_working_capacity": rng.random() < 0.04,
                "status": "closed" if closed else "active",
                "closed_on": date(2023, 6, 1) if closed else None,
                "closed_reason": "moved_away" if closed else "",
                "registered_on": date(2015, 1, 1),
                "created_at": now,
                "updated_at": now,
            }
        )
        facts.append(_facts_snapshot(rng, members))

    with transaction.atomic():
        insert_rows(Person, person_rows)
        insert_rows(Household, household_rows)
        insert_rows(Membership, membership_rows)
    del person_rows, membership_rows

    classes, weights = zip(*CLASSES, strict=True)
    for year in (2022, 2023):
        review = Review.objects.create(
            name=f"Rà soát định kỳ năm {year} — benchmark", year=year, area=province, standard_id=standard.id,
            lists_effective_year=year + 1, reference_date=date(year, 12, 14),
        )  # fmt: skip
        assessment_rows = []
        for row, snapshot in zip(household_rows, facts, strict=True):
            assessment_rows.append(
                {
                    "review_id": review.id,
                    "household_id": row["id"],
                    "commune_id": row["commune_id"],
                    "village_id": row["village_id"],
                    "assessed_on": date(year, 11, rng.randint(1, 28)),
                    "area_type": "nong_thon",
                    "is_agri": row["is_agri"],
                    "income_per_capita": snapshot["income_per_capita"],
                    "member_count": len(snapshot["members"]),
                    "facts": snapshot,
                    "standard_id": standard.id,
                    "poverty_class": rng.choices(classes, weights=weights)[0],
                    "deprivation_count": rng.randint(0, 6),
                    "explanation": EXPLANATION,
                    "classified_at": now,
                }
            )
        with transaction.atomic():
            insert_rows(Assessment, assessment_rows)
    get_user_model().objects.create_superuser("bench", password="bench-list-2026")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return {"communes": len(communes), "persons": person_id}


def scenarios() -> list[tuple[str, dict[str, str]]]:
    """The requests to time (label, query parameters), picked from the data so each one finds something."""
    from giamngheo.registry.models import Household, Person

    some = Household.objects.order_by("id")
    count = some.count()
    by_code = some[count * 54 // 100]
    rare = Person.objects.get(pk=Household.objects.filter(pk=count * 77 // 100 + 1).values("head_id")[:1])
    with_id = Person.objects.filter(citizen_id__isnull=False).order_by("id")[count * 2]
    commune_id = by_code.commune_id
    village_id = by_code.village_id
    return [
        ("no filter", {}),
        ("name, common (nguyen van)", {"q": "nguyen van"}),
        ("name, very common (van)", {"q": "van"}),
        ("name, rare (full name)", {"q": rare.full_name}),
        ("name, part of a word (hla)", {"q": "hla"}),
        ("name, no match", {"q": "khong co ai"}),
        ("household code", {"q": by_code.code}),
        ("citizen ID", {"q": str(with_id.citizen_id)}),
        ("class: poor", {"phan_loai": "ngheo"}),
        ("class: middle (rare)", {"phan_loai": "muc_song_trung_binh"}),
        ("commune", {"xa": str(commune_id)}),
        ("commune + village + class", {"xa": str(commune_id), "thon": str(village_id), "phan_loai": "ngheo"}),
        ("name + class", {"q": "dinh thi", "phan_loai": "can_ngheo"}),
        ("name + commune", {"q": "van", "xa": str(commune_id)}),
        ("ethnicity + flags", {"dan_toc": "10", "nong_nghiep": "1", "tinh_trang": "active"}),
        ("page 500", {"trang": "500"}),
    ]


PROVINCE_SCENARIOS = ("no filter", "name, common (nguyen van)", "class: poor", "commune", "page 500")


def province_user() -> Any:
    """A province staff account of new Gia Lai (52), which took old Gia Lai: every benchmark household in scope."""
    from django.contrib.auth import get_user_model

    from giamngheo.accounts.models import Role
    from giamngheo.accounts.services import area_role_assign
    from giamngheo.areas.models import AdminUnit

    user, created = get_user_model().objects.get_or_create(username="bench.tinh")
    if created:
        area_role_assign(
            user=user, role=Role.PROVINCE, area=AdminUnit.objects.provinces().get(code="52", valid_to=None)
        )
    return user


def time_requests(repeat: int) -> list[dict[str, Any]]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from giamngheo.areas.models import AdminUnit

    sessions = [
        ("admin", get_user_model().objects.get(username="bench"), None),
        ("province", province_user(), PROVINCE_SCENARIOS),
    ]
    pages = [("list", reverse("web:household-list"), scenarios())]
    # The dashboard of the province that holds every household (not part of the list target; shown for scale).
    province = str(AdminUnit.objects.provinces().get(code="52", valid_to=None).pk)
    pages.append(("dashboard", reverse("web:dashboard"), [("dashboard, 2 years", {"area": province})]))
    results = []
    for session, user, wanted in sessions:
        client = Client()
        client.force_login(user)
        for page, url, requests in pages:
            for label, params in requests:
                if page == "list" and wanted is not None and label not in wanted:
                    continue
                response = client.get(url, params)  # warm-up
                if response.status_code != 200:
                    raise SystemExit(f"{session}, {label}: HTTP {response.status_code}")
                with CaptureQueriesContext(connection) as queries:
                    client.get(url, params)
                query_count = len(queries)  # now: later requests clear the connection's query log
                timings = []
                for _ in range(repeat):
                    started = time.perf_counter()
                    client.get(url, params)
                    timings.append((time.perf_counter() - started) * 1000)
                results.append(
                    {
                        "page": page,
                        "session": session,
                        "request": label,
                        "params": params,
                        "median_ms": round(statistics.median(timings), 1),
                        "max_ms": round(max(timings), 1),
                        "queries": query_count,
                        "rows_shown": response.content.decode().count('class="household-row"')
                        + response.content.decode().count('class="commune-row"'),
                    }
                )
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print one line of JSON")
    parser.add_argument("--reuse", action="store_true", help="keep a database built by an earlier run")
    parser.add_argument(
        "--no-analyze", action="store_true", help="SQLite: time without planner statistics (no ANALYZE)"
    )
    args = parser.parse_args()

    database = configure_database(BENCH_DB_NAME, reuse=args.reuse)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "giamngheo.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from giamngheo.areas.loader import load_units
    from giamngheo.registry.models import Household

    log = (lambda *a: None) if args.json else (lambda *a: print(*a, flush=True))
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    existing = Household.objects.count()
    if existing and existing != args.households:
        raise SystemExit(f"--reuse: the database holds {existing:,} households, not {args.households:,}")
    if not existing:
        load_units()
        generate(args.households, args.seed)
        log(f"set-up ({database}): {args.households:,} households in {time.perf_counter() - started:.1f} s")
    if database == "sqlite":
        with connection.cursor() as cursor:
            if args.no_analyze:
                cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
            else:
                cursor.execute("ANALYZE")
    connection.close()

    results = time_requests(args.repeat)
    slowest = max(row["max_ms"] for row in results if row["page"] == "list")
    summary = {
        "households": args.households,
        "database": database,
        "analyzed": not args.no_analyze or database != "sqlite",
        "repeat": args.repeat,
        "requests": results,
        "slowest_ms": slowest,
        "target_ms": TARGET_MS,
        "met": slowest < TARGET_MS,
        "cpu_count": os.cpu_count(),
        "machine": platform.machine(),
        "python": platform.python_version(),
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        header = f"{'page':<10} {'session':<9} {'request':<30} {'median ms':>10} {'max ms':>8} {'queries':>8}"
        print(f"\n{header} {'rows':>5}")
        for row in results:
            print(
                f"{row['page']:<10} {row['session']:<9} {row['request']:<30} {row['median_ms']:>10.1f} "
                f"{row['max_ms']:>8.1f} {row['queries']:>8} {row['rows_shown']:>5}"
            )
        verdict = "met" if summary["met"] else "NOT met"
        print(f"\n{args.households:,} households on {database}: slowest list request {slowest:.1f} ms, target "
              f"{TARGET_MS:.0f} ms {verdict}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
