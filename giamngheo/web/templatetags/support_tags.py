"""The household page's "support received" section, rendered on the server from the household the page already
read through the access layer (`web.support.household_section`)."""

from __future__ import annotations

from typing import Any

from django import template

from giamngheo.registry.models import Household
from giamngheo.web.support import household_section

register = template.Library()


@register.inclusion_tag("web/_support_section.html", takes_context=True)
def support_section(context: template.Context, household: Household) -> dict[str, Any]:
    return household_section(context["request"].user, household)
