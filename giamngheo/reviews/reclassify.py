"""Set-based re-classification of stored assessments, and the per-commune aggregate.

`assessments_classify` re-runs the engine's batch classifier (`engine.batch.classify_frame`) over millions of
stored assessments: one raw SQL read into Polars (PostgreSQL: `COPY (SELECT ...) TO STDOUT`), classification,
and one set-based write-back (a temporary table filled with COPY on PostgreSQL or executemany on SQLite, then a
single `UPDATE ... FROM`). Only rows whose result changed are written.

Fast path (default): the facts are not read again. Each stored row already says, per indicator, whether the facts
allowed deriving it (`derivable_mask`) and what they gave (`derived_mask`); the effective entered flags are
`(derivable & derived) | (~derivable & entered)`, known wherever `derivable | entered_known`. Classifying those
through the engine applies the standard's indicator set, cut-off and income lines exactly as the scalar engine
would, and the conflict and missing masks are rebuilt from the stored derived/derivable masks. This is what a
corrected income line, cut-off or indicator list needs. A change to a rule's definition, or to the registry since
the assessment, needs `rederive=True`: facts are rebuilt from the registry on each assessment's date
(`reviews.frames.frames_for_assessments`) and every rule is evaluated again.

A row whose result changed loses its stored explanation (it described the old result);
`reviews.explanations.explanation_for` explains it from its masks and stored facts snapshot on demand.

`assessments_classify` reads, classifies and writes in one transaction. Its two halves are public for a background
job (`jobs.tasks.classify_area`): `assessments_prepare` reads (one short transaction) and classifies outside any
transaction, and `assessments_store` writes, after checking under lock that what was read is still what is stored
and that the rounds are still open (`StaleAssessments` otherwise), so a closed round is never rewritten even when it
closes while a job runs. With `rederive`, a change to the registry (not to the assessments) between the two halves
is not seen: the results are those of the registry as it was read.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl
from django.db import connection, transaction
from django.utils import timezone

from giamngheo.areas.models import AdminUnit
from giamngheo.engine.batch import classify_frame
from giamngheo.engine.classify import classify_household
from giamngheo.engine.standard import CatalogueIndicator, Standard, get_standard, load_catalogue
from giamngheo.registry.facts import (
    FactsRequest,
    facts_for_households,
    facts_to_json,
)
from giamngheo.registry.sqlbulk import update_rows
from giamngheo.reviews import sqlio
from giamngheo.reviews.explanations import recorded_labels
from giamngheo.reviews.frames import frames_for_assessments
from giamngheo.reviews.models import Assessment, PovertyClass, Review
from giamngheo.reviews.rounds import ClosedRoundError
from giamngheo.standards.models import PovertyStandard
from giamngheo.standards.services import ensure_standard_row


@dataclass(frozen=True)
class ClassifyReport:
    total: int  # assessments classified
    changed: int  # of which the stored result changed (and was written)
    by_class: dict[str, int]  # counts per poverty class after classification
    by_standard: dict[str, int]
    rederived: bool
    seconds_read: float
    seconds_classify: float
    seconds_store: float
    skipped_closed: int = (
        0  # assessments asked for that belong to closed rounds (or were corrected): untouched
    )

    @property
    def seconds_total(self) -> float:
        return self.seconds_read + self.seconds_classify + self.seconds_store


@dataclass(frozen=True)
class CommuneCount:
    commune_id: int
    commune_code: str
    commune_name: str
    total: int
    poor: int
    near_poor: int
    middle: int
    not_poor: int


def _unpacked(stored: pl.DataFrame, layout: sqlio.Layout) -> pl.DataFrame:
    """The stored inputs and results, unpacked from the packed words."""
    fields = ("entered", "known", "derived", "derivable", "deprivation", "conflict", "missing", "count", "class",
              "standard")  # fmt: skip
    area = layout.pl_unpack("area")
    return stored.select(
        "id",
        "income_per_capita",
        *(layout.pl_unpack(name).alias(name) for name in fields),
        pl.when(area == 0)
        .then(pl.lit("nong_thon"))
        .when(area == 1)
        .then(pl.lit("thanh_thi"))
        .alias("area_type"),
        (layout.pl_unpack("agri") == 1).alias("is_agri"),
    )


def _results(frame: pl.DataFrame, layout: sqlio.Layout, standard_index: int) -> pl.DataFrame:
    """The new results packed for storing (w0, w1, ...), their class, and whether they differ from the stored."""
    class_code = pl.col("poverty_class").replace_strict(
        list(sqlio.CLASSES),
        list(range(len(sqlio.CLASSES))),
        default=sqlio.UNKNOWN_CLASS,
        return_dtype=pl.Int64,
    )
    new = {
        "deprivation": pl.col("new_deprivation"),
        "conflict": pl.col("new_conflict"),
        "missing": pl.col("new_missing"),
        "derived": pl.col("new_derived"),
        "derivable": pl.col("new_derivable"),
        "count": pl.col("deprivation_count").cast(pl.Int64),
        "class": class_code,
        "standard": pl.lit(standard_index, dtype=pl.Int64),
    }
    differs = pl.any_horizontal([expr != pl.col(name) for name, expr in new.items()])
    extra = ["member_count"] if "member_count" in frame.columns else []
    return frame.select(
        "id",
        "poverty_class",
        pl.lit(standard_index, dtype=pl.Int64).alias("standard_index"),
        differs.alias("changed"),
        *layout.pl_pack(new),
        *extra,
    )


def _classify_fast(
    standard: Standard, stored: pl.DataFrame, standard_index: int, layout: sqlio.Layout
) -> pl.DataFrame:
    """The engine's classification from stored masks (see the module docstring)."""
    mask = standard.mask
    derivable, derived = pl.col("derivable"), pl.col("derived")
    engine_input = stored.select(
        pl.col("id").alias("household_id"),
        "area_type",
        "income_per_capita",
        "is_agri",
        ((derivable & derived) | (~derivable & pl.col("entered"))).alias("entered_mask"),
        (derivable | pl.col("known")).alias("entered_known_mask"),
    )
    classified = classify_frame(standard, engine_input)
    if not classified["household_id"].equals(
        stored["id"]
    ):  # the engine keeps rows in order; checked, cheaply
        raise AssertionError("classify_frame changed the row order")
    new_derivable = derivable & mask
    known = pl.col("known") & mask
    frame = stored.with_columns(
        classified["poverty_class"],
        classified["deprivation_count"],
        classified["deprivation_mask"].cast(pl.Int64).alias("new_deprivation"),
        new_derivable.alias("new_derivable"),
        (derived & new_derivable).alias("new_derived"),
        (new_derivable & known & (derived ^ (pl.col("entered") & mask))).alias("new_conflict"),
        (pl.lit(mask, dtype=pl.Int64) & ~new_derivable & ~known).alias("new_missing"),
    )
    return _results(frame, layout, standard_index)


def _classify_rederived(
    standard: Standard, stored: pl.DataFrame, standard_index: int, layout: sqlio.Layout
) -> pl.DataFrame:
    households, members = frames_for_assessments(stored["id"].to_list(), on=None)
    result = classify_frame(standard, households, members)
    counts = members.group_by("household_id").agg(pl.len().cast(pl.Int32).alias("member_count"))
    result = result.join(counts, on="household_id", how="left").select(
        pl.col("household_id").alias("id"),
        "poverty_class",
        "deprivation_count",
        pl.col("deprivation_mask").cast(pl.Int64).alias("new_deprivation"),
        pl.col("derived_mask").cast(pl.Int64).alias("new_derived"),
        pl.col("derivable_mask").cast(pl.Int64).alias("new_derivable"),
        pl.col("conflict_mask").cast(pl.Int64).alias("new_conflict"),
        pl.col("missing_mask").cast(pl.Int64).alias("new_missing"),
        pl.col("member_count").fill_null(0),
    )
    return _results(stored.join(result, on="id", how="inner"), layout, standard_index)


def _snapshots(ids: list[int], forced: Standard | None, chunk_size: int = 2_000) -> list[Assessment]:
    """After re-deriving: the facts snapshot each new result came from, with the scalar engine's explanation
    (Python speed: this is the slow part of `rederive`, done only for rows whose result changed). The rows are
    returned with `facts` and `explanation` set, not yet stored."""
    catalogue = load_catalogue()
    labels = recorded_labels()
    done: list[Assessment] = []
    for start in range(0, len(ids), chunk_size):
        rows = list(
            Assessment.objects.filter(pk__in=ids[start : start + chunk_size]).select_related("household")
        )
        requests = [
            FactsRequest(household=a.household, on=a.assessed_on, income_per_capita=a.income_per_capita,
                         entered=_entered(a, catalogue), is_agri=a.is_agri)
            for a in rows
        ]  # fmt: skip
        for assessment, facts in zip(rows, facts_for_households(requests), strict=True):
            assessment.facts = facts_to_json(facts)
            standard = forced if forced is not None else get_standard(assessment.standard_id)
            assessment.explanation = classify_household(standard, facts, value_labels=labels).explanation
        done.extend(rows)
    return done


def _entered(assessment: Assessment, catalogue: dict[str, CatalogueIndicator]) -> dict[str, bool]:
    return {
        code: bool(assessment.entered_mask >> item.bit & 1)
        for code, item in catalogue.items()
        if assessment.entered_known_mask >> item.bit & 1
    }


# Public --------------------------------------------------------------------------------------------------------


class StaleAssessments(Exception):
    """The assessments changed (or their round closed) between their classification and the storing of it."""


@dataclass(frozen=True)
class PendingClassification:
    """New results computed by `assessments_prepare` and not yet stored: `assessments_store` writes them."""

    ids: list[int] | None
    review_ids: list[int]
    review: Review | None
    codes: list[str]
    forced: Standard | None
    rederive: bool
    write_layout: sqlio.Layout
    packed: (
        pl.DataFrame
    )  # the stored inputs and results read, ordered by id (what the results were computed from)
    result: pl.DataFrame
    changed: pl.DataFrame
    snapshots: list[Assessment]  # rederive: changed rows with their new facts snapshot and explanation
    seconds_read: float
    seconds_classify: float


def _open_review_ids(review: Review | None, today: date) -> list[int]:
    open_reviews = Review.objects.open_on(today)
    if review is not None:
        open_reviews = open_reviews.filter(pk=review.pk)
    return sorted(open_reviews.values_list("pk", flat=True))


def _read(
    layout: sqlio.Layout, codes: list[str], *, ids: list[int] | None, review_ids: list[int]
) -> pl.DataFrame:
    if ids is not None:
        sqlio.load_ids(ids)
    packed = sqlio.read_packed(layout, codes, review_ids=review_ids, with_ids=ids is not None)
    if ids is not None:
        sqlio.drop_ids()
    return packed.sort("id")


def assessments_prepare(
    *,
    assessment_ids: Iterable[int] | None = None,
    review: Review | None = None,
    standard_code: str | None = None,
    rederive: bool = False,
    today: date | None = None,
) -> PendingClassification:
    """The reading and classifying half of `assessments_classify` (same arguments and rules): nothing is
    written. The read is one short transaction; the classification, the expensive part, runs outside any, so that
    a background job holds no write lock while it classifies (SQLite has a single writer)."""
    width = sqlio.mask_bits()
    read_layout, write_layout = sqlio.read_layout(width), sqlio.write_layout(width)
    forced = get_standard(standard_code) if standard_code else None
    today = today or timezone.localdate()
    if review is not None and review.is_closed_on(today):
        raise ClosedRoundError(review)
    started = time.perf_counter()
    with transaction.atomic():
        if forced is not None:
            ensure_standard_row(forced)
        codes = list(PovertyStandard.objects.order_by("code").values_list("code", flat=True))
        review_ids = _open_review_ids(review, today)
        ids = sorted(set(assessment_ids)) if assessment_ids is not None else None
        packed = _read(read_layout, codes, ids=ids, review_ids=review_ids)
    read_done = time.perf_counter()
    stored = _unpacked(packed, read_layout)
    if forced is not None:
        groups = [(codes.index(forced.id), stored)]
    else:
        present = stored["standard"].unique().sort().to_list()
        groups = [
            (i, stored if len(present) == 1 else stored.filter(pl.col("standard") == i)) for i in present
        ]
    classify = _classify_rederived if rederive else _classify_fast
    parts = [classify(get_standard(codes[index]), group, index, write_layout) for index, group in groups]
    result = pl.concat(parts, how="vertical_relaxed") if parts else pl.DataFrame()
    changed = result.filter("changed") if parts else result
    snapshots = _snapshots(changed["id"].to_list(), forced) if rederive and changed.height else []
    return PendingClassification(
        ids=ids, review_ids=review_ids, review=review, codes=codes, forced=forced, rederive=rederive,
        write_layout=write_layout, packed=packed, result=result, changed=changed, snapshots=snapshots,
        seconds_read=read_done - started, seconds_classify=time.perf_counter() - read_done,
    )  # fmt: skip


def _lock(pending: PendingClassification) -> None:
    """PostgreSQL: lock the rows about to be checked and written, so that nothing changes them in between
    (SQLite: the transaction already holds the database's only write lock)."""
    if not connection.features.has_select_for_update:
        return
    if pending.ids is None:
        rows = Assessment.objects.filter(review_id__in=pending.review_ids, superseded=False)
        list(rows.select_for_update().values_list("pk", flat=True))
        return
    for start in range(0, len(pending.ids), 10_000):
        rows = Assessment.objects.filter(pk__in=pending.ids[start : start + 10_000])
        list(rows.select_for_update().values_list("pk", flat=True))


def assessments_store(pending: PendingClassification, *, verify: bool = True) -> None:
    """Write the results of `assessments_prepare`. With `verify`, first check (rows locked) that the assessments
    read are still exactly as they were and their rounds still open, and raise `StaleAssessments` if not: then
    nothing is written. Runs in the caller's transaction when there is one (so that several pending results are
    stored all or none), else in its own."""
    with transaction.atomic():
        if verify:
            _lock(pending)
            if _open_review_ids(pending.review, timezone.localdate()) != pending.review_ids:
                raise StaleAssessments("a round closed while its assessments were being classified")
            read_layout = sqlio.read_layout(sqlio.mask_bits())
            codes = list(PovertyStandard.objects.order_by("code").values_list("code", flat=True))
            if codes != pending.codes:
                raise StaleAssessments("the poverty standards changed")
            again = _read(read_layout, codes, ids=pending.ids, review_ids=pending.review_ids)
            if not again.equals(pending.packed):
                raise StaleAssessments("assessments changed while they were being classified")
        changed = pending.changed
        if changed.height:
            columns = ["id", *pending.write_layout.words] + (["member_count"] if pending.rederive else [])
            sqlio.store_packed(changed.select(columns), pending.write_layout, pending.codes,
                               classified_at=timezone.now(), set_standard=pending.forced is not None)  # fmt: skip
            if pending.snapshots:
                update_rows(Assessment, pending.snapshots, ["facts", "explanation"])


def pending_report(pending: PendingClassification, *, seconds_store: float = 0.0) -> ClassifyReport:
    """What `assessments_classify` reports, for results prepared (and stored)."""
    ids, result, codes = pending.ids, pending.result, pending.codes
    if ids is not None:
        skipped = len(ids) - pending.packed.height
    elif pending.review is None:
        skipped = Assessment.objects.exclude(review_id__in=pending.review_ids, superseded=False).count()
    else:
        skipped = 0
    by_class: dict[str, int] = {}
    by_standard: dict[str, int] = {}
    if result.height:
        by_class = {str(k): int(v) for k, v in result.group_by("poverty_class").len().iter_rows()}
        indexes = result.group_by("standard_index").len().iter_rows()
        by_standard = {codes[int(k)]: int(v) for k, v in indexes}
    return ClassifyReport(
        total=result.height,
        changed=pending.changed.height,
        by_class=by_class,
        by_standard=by_standard,
        rederived=pending.rederive,
        seconds_read=pending.seconds_read,
        seconds_classify=pending.seconds_classify,
        seconds_store=seconds_store,
        skipped_closed=skipped,
    )


def assessments_classify(
    *,
    assessment_ids: Iterable[int] | None = None,
    review: Review | None = None,
    standard_code: str | None = None,
    rederive: bool = False,
    today: date | None = None,
) -> ClassifyReport:
    """Re-classify stored assessments (those of `review`, those in `assessment_ids`, both, or all when neither
    is given) under their own standard, or under `standard_code` for all of them; store the results in place.
    See the module docstring for the fast path and `rederive`.

    Results stay as decided: only assessments in force of rounds still open on `today` (default: today) are
    re-classified. Asking for a closed `review` raises `ClosedRoundError`; assessments of closed rounds among
    `assessment_ids`, or among all, are left untouched and counted in `skipped_closed`.

    One transaction reads, classifies and writes (`assessments_prepare` then `assessments_store`); a background
    job calls the two halves itself, so as to classify outside the write transaction."""
    with transaction.atomic():
        pending = assessments_prepare(assessment_ids=assessment_ids, review=review, standard_code=standard_code,
                                      rederive=rederive, today=today)  # fmt: skip
        stored = time.perf_counter()
        assessments_store(pending, verify=False)
    return pending_report(pending, seconds_store=time.perf_counter() - stored)  # after the commit


def aggregate_by_commune(
    review: Review | None = None,
    year: int | None = None,
    commune_ids: Iterable[int] | None = None,
    *,
    kind: str | None = None,
) -> list[CommuneCount]:
    """Households per class per commune (the commune where each was assessed), with one GROUP BY statement over
    the assessments in force joined afterwards to the communes' codes and names. Filters: a review, the reviews
    of a year (and `kind`), a set of commune ids."""
    table = Assessment._meta.db_table
    conditions: list[str] = ["NOT a.superseded"]  # a corrected assessment is no longer counted
    params: list[Any] = []
    review_ids: list[int] | None = None
    if review is not None or year is not None or kind is not None:
        reviews = Review.objects.all()
        if review is not None:
            reviews = reviews.filter(pk=review.pk)
        if year is not None:
            reviews = reviews.filter(year=year)
        if kind is not None:
            reviews = reviews.filter(kind=kind)
        review_ids = sorted(reviews.values_list("pk", flat=True))
        if not review_ids:
            return []
        conditions.append(f"a.review_id IN ({', '.join(['%s'] * len(review_ids))})")
        params.extend(review_ids)
    if commune_ids is not None:
        ids = sorted(set(commune_ids))
        if not ids:
            return []
        conditions.append(f"a.commune_id IN ({', '.join(['%s'] * len(ids))})")
        params.extend(ids)
    where = f" WHERE {' AND '.join(conditions)}"
    counts = ", ".join(
        f"COUNT(*) FILTER (WHERE a.poverty_class = '{value}') AS c{index}"
        for index, value in enumerate(_CLASS_ORDER)
    )
    hint = " NOT INDEXED" if review_ids is not None and _most_of_the_table(review_ids) else ""
    sql = (
        f"SELECT g.commune_id, u.code, u.name, g.total, g.c0, g.c1, g.c2, g.c3 FROM ("
        f"SELECT a.commune_id, COUNT(*) AS total, {counts} FROM {table} a{hint}{where} "
        f"GROUP BY a.commune_id) g JOIN {AdminUnit._meta.db_table} u ON u.id = g.commune_id "
        f"ORDER BY u.code, g.commune_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        CommuneCount(commune_id=row[0], commune_code=row[1], commune_name=row[2], total=int(row[3]),
                     poor=int(row[4]), near_poor=int(row[5]), middle=int(row[6]), not_poor=int(row[7]))
        for row in rows
    ]  # fmt: skip


def _most_of_the_table(review_ids: list[int]) -> bool:
    """SQLite only: whether the reviews hold most assessments, so that one pass over the table beats the
    (review, commune) index (SQLite's planner takes the index even when it selects most rows)."""
    if connection.vendor != "sqlite":
        return False
    table = Assessment._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE review_id IN ({', '.join(['%s'] * len(review_ids))})",
                       review_ids)  # fmt: skip
        matching = cursor.fetchone()[0]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        highest = cursor.fetchone()[0]
    return matching * 3 >= highest


_CLASS_ORDER = tuple(str(c) for c in (PovertyClass.POOR, PovertyClass.NEAR_POOR, PovertyClass.MIDDLE,
                                       PovertyClass.NOT_POOR))  # fmt: skip
