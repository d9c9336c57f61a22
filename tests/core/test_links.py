"""cantho.links: record links made without the resolver give what reverse() gives."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from cantho.links import int_url, slug_url

VIEWS = ["news:detail", "news:category", "partners:detail", "agreements:detail", "events:detail", "investments:detail", "aid:detail", "statistics-metric"]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("viewname", VIEWS)
def test_slug_url_is_reverse(viewname, language):
    with translation.override(language):
        for slug in ("hop-tac-nhat-ban", "a", "x_1-2"):
            assert slug_url(viewname, slug) == reverse(viewname, kwargs={"slug": slug})
        assert slug_url(viewname, "abc").startswith("/en/") == (language == "en")


def test_slug_url_takes_reverse_for_what_is_not_a_plain_slug():
    with pytest.raises(NoReverseMatch):
        slug_url("news:detail", "")
    with pytest.raises(NoReverseMatch):
        slug_url("news:detail", "có dấu/và gạch")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_int_url_writes_the_digits_the_pattern_wants(language):
    with translation.override(language):
        for year in (2019, 1999, 5):
            assert int_url("news:year", year, "year", digits=4) == reverse("news:year", kwargs={"year": year})
        assert int_url("news:year", 2019, "year", digits=4) == ("/en" if language == "en" else "") + "/news/2019/"
    with pytest.raises(NoReverseMatch):
        int_url("news:year", 12345, "year", digits=4)
    with pytest.raises(NoReverseMatch):
        int_url("news:year", -1, "year", digits=4)
