"""The API's filter and ordering backends.

Filters are the public pages' own FilterSets (``partners/filters.py``,
``events/filters.py``, ``investments/filters.py``, ``news/filters.py``, based on
``cantho/filters.py``) run by django-filter's DRF backend: an invalid value is a
400 naming the parameter, where the page shows it as a form error.

``?ordering=`` takes a comma-separated list of the names a view offers, each
optionally prefixed with ``-`` for descending order; an unknown name is a 400.
Empty values sort last either way; the record id breaks ties.
"""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend


class StrictOrderingFilter(BaseFilterBackend):
    """``?ordering=name,-id`` over the view's ``ordering_fields``: a dict of public name → model expressions."""

    ordering_param = "ordering"

    def get_ordering(self, request, view) -> list[str]:
        raw = request.query_params.get(self.ordering_param, "")
        terms = [term.strip() for term in raw.split(",") if term.strip()]
        allowed = view.ordering_fields
        unknown = [term for term in terms if term.removeprefix("-") not in allowed]
        if unknown:
            raise ValidationError(
                {
                    self.ordering_param: [
                        _("Unknown ordering %(terms)s; choose from %(allowed)s, each optionally prefixed with “-”.")
                        % {"terms": ", ".join(unknown), "allowed": ", ".join(allowed)}
                    ]
                }
            )
        return terms

    def filter_queryset(self, request, queryset, view):
        terms = self.get_ordering(request, view)
        if not terms:
            return queryset  # the view's own order, that of the public page
        expressions = []
        for term in terms:
            descending = term.startswith("-")
            for expression in view.ordering_fields[term.removeprefix("-")]:
                expression = F(expression) if isinstance(expression, str) else expression
                expressions.append(expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True))
        return queryset.order_by(*expressions, "pk")

    def get_schema_operation_parameters(self, view):
        names = list(view.ordering_fields)
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": (
                    "Sort order: comma-separated names, each optionally prefixed with `-` for descending; "
                    f"without it, the public page's order ({view.default_order})."
                ),
                "style": "form",
                "explode": False,
                "schema": {"type": "array", "items": {"type": "string", "enum": [*names, *(f"-{name}" for name in names)]}},
            }
        ]
