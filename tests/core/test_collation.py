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


def test_partners_keep_their_sort_keys_and_sort_by_them_in_both_languages():
    from django.utils import timezone

    from cantho.models import Status

    names = [("Ơn Nghĩa", ""), ("Ô Môn", "Zeta city"), ("Đà Nẵng", "Da Nang"), ("Dung Quất", ""), ("An Giang", "Ba province"), ("Ăn Uống", "")]
    for name, english in names:
        Partner.objects.create(name=name, name_en=english, kind="other", status=Status.PUBLISHED, published_at=timezone.now())
    vi = [p.name for p in Partner.objects.published().alphabetical("vi")]
    assert vi == ["An Giang", "Ăn Uống", "Dung Quất", "Đà Nẵng", "Ô Môn", "Ơn Nghĩa"]
    en = [p.name_en or p.name for p in Partner.objects.published().alphabetical("en")]
    assert en == ["Ăn Uống", "Ba province", "Da Nang", "Dung Quất", "Ơn Nghĩa", "Zeta city"]  # the English name when there is one
    # a rename moves the partner
    partner = Partner.objects.get(name="Ăn Uống")
    partner.name = "Yên Bái"
    partner.save()
    assert [p.name for p in Partner.objects.published().alphabetical("vi")][-1] == "Yên Bái"
    assert [p.name_en or p.name for p in Partner.objects.published().alphabetical("en")][-2:] == ["Yên Bái", "Zeta city"]


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_sort_keys_of_existing_partners():
    from django.core.management import call_command
    from django.db import connection

    from cantho.text import stored_sort_key

    Partner.objects.create(name="Đà Nẵng", name_en="Da Nang", kind="other")
    Partner.objects.create(name="Ô Môn", kind="other")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE partners_partner SET sort_name = '', sort_name_en = ''")  # as before the column existed
    try:
        call_command("migrate", "partners", "0006", verbosity=0)
        call_command("migrate", "partners", "0007", verbosity=0)
    finally:
        call_command("migrate", verbosity=0)
    keys = {p.name: (p.sort_name, p.sort_name_en) for p in Partner.objects.all()}
    assert keys == {"Đà Nẵng": (stored_sort_key("Đà Nẵng"), stored_sort_key("Da Nang")), "Ô Môn": (stored_sort_key("Ô Môn"),) * 2}
