"""Page-number pagination whose bad values are a 400 with a message, not a silent default."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination

#: Records a page when ``page_size`` is not given, and the most a page may hold.
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def positive_int(request, name: str, default: int, maximum: int | None = None) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    valid = raw.isascii() and raw.isdigit() and len(raw) <= 9 and 1 <= int(raw) <= (maximum or 999_999_999)
    if not valid:
        message = _("Enter a whole number from 1.") if maximum is None else _("Enter a whole number from 1 to %(max)s.") % {"max": maximum}
        raise ValidationError({name: [message]})
    return int(raw)


class PagePagination(PageNumberPagination):
    """``?page=2&page_size=50``: 20 records a page by default, at most 100.

    ``page`` and ``page_size`` must be whole numbers from 1 (else 400); a page
    after the last one is a 404.
    """

    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        return positive_int(request, self.page_size_query_param, self.page_size, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        page_size = self.get_page_size(request)
        number = positive_int(request, self.page_query_param, 1)
        paginator = Paginator(queryset, page_size)
        if number > paginator.num_pages:
            raise NotFound(_("Page %(number)s does not exist; the last page is %(last)s.") % {"number": number, "last": paginator.num_pages})
        self.page = paginator.page(number)
        return list(self.page)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Page number, from 1 (a page after the last one is a 404).",
                "schema": {"type": "integer", "minimum": 1, "maximum": 999999999},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Records per page, {PAGE_SIZE} by default, at most {MAX_PAGE_SIZE}.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]
