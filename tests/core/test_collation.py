import pytest

from cantho.collation import vietnamese
from partners.models import Partner

pytestmark = pytest.mark.django_db


def test_database_sorts_names_the_vietnamese_way():
    names = ["Ơn Nghĩa", "Ô Môn", "Đà Nẵng", "Dung Quất", "An Giang", "Ăn Uống", "Âu Lạc", "Ba Vì", "Oslo", "Zurich"]
    for name in names:
        Partner.objects.create(name=name, kind="other")
    ordered = list(Partner.objects.order_by(vietnamese("name")).values_list("name", flat=True))
    assert ordered == ["An Giang", "Ăn Uống", "Âu Lạc", "Ba Vì", "Dung Quất", "Đà Nẵng", "Oslo", "Ô Môn", "Ơn Nghĩa", "Zurich"]
