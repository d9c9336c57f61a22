"""What every public FilterSet shares: query strings cleaned before they are validated."""

from __future__ import annotations

import re

from django.http import QueryDict

#: Control characters are dropped from query values (PostgreSQL refuses NUL in text).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: No filter value is longer than this; longer input is a broken or hostile link, cut before validation.
MAX_VALUE_LENGTH = 200


def clean_query_dict(data: QueryDict | None) -> QueryDict | None:
    """A copy of the query string without control characters and with over-long values cut.

    The rest of validation is the filter form's job.
    """
    if data is None:
        return None
    cleaned = QueryDict(mutable=True)
    for key, values in data.lists():
        cleaned.setlist(key, [_CONTROL.sub("", value)[:MAX_VALUE_LENGTH] for value in values])
    return cleaned
