from __future__ import annotations

from django import template

from giamngheo.lib.formatting import format_vnd, group_thousands

register = template.Library()


@register.filter
def vnd(value: int | None) -> str:
    return "—" if value is None else format_vnd(int(value))


@register.filter
def thousands(value: int | None) -> str:
    return "—" if value is None else group_thousands(int(value))


@register.filter
def change_pair(value: object) -> tuple[object, object]:
    """An event's [old, new] pair (tolerates malformed rows written by older code)."""
    if isinstance(value, list | tuple) and len(value) == 2:
        return value[0], value[1]
    return None, value
