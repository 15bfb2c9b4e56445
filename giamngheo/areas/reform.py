"""The 2025 reform applied to villages: a village of a commune that ended belongs to the new commune that took
its territory over, and keeps the legacy commune for history (`Village.legacy_commune`).

Which new commune takes a village: the one the succession data names as the legacy commune's default (main)
receiver. A village of a legacy commune split between several new communes that went elsewhere than the default
receiver is moved by hand afterwards (the admin, or `Village` with another `commune` among the successors;
`Village.clean` checks it is one). A legacy commune without a successor keeps its villages.

Written over model classes so that the data migration (historical models) and the loader/demo (today's models)
run the same code.
"""

from __future__ import annotations

from typing import Any


def rehome_villages(village_model: Any, succession_model: Any, unit_model: Any) -> int:
    """Move every village still attached to a commune that has ended to that commune's default successor
    commune, keeping the ended commune as `legacy_commune`. Idempotent; returns the number of villages moved."""
    legacy = set(
        unit_model.objects.filter(level="commune", valid_to__isnull=False).values_list("pk", flat=True)
    )
    receivers = dict(
        succession_model.objects.filter(
            predecessor_id__in=legacy, is_default=True, successor__level="commune"
        ).values_list("predecessor_id", "successor_id")
    )
    moved = []
    for village in village_model.objects.filter(commune_id__in=list(receivers), legacy_commune__isnull=True):
        village.legacy_commune_id = village.commune_id
        village.commune_id = receivers[village.commune_id]
        moved.append(village)
    village_model.objects.bulk_update(moved, ["commune", "legacy_commune"], batch_size=2_000)
    return len(moved)
