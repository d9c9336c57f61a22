import datetime
import unicodedata

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cantho.models import Status
from events.models import Event
from partners.models import Partner

pytestmark = pytest.mark.django_db


def test_text_is_stored_nfc_and_slug_and_search_text_are_derived():
    partner = Partner.objects.create(name=unicodedata.normalize("NFD", "Thành phố Sán Đầu"), name_en="Shantou", kind="locality", country="CN")
    partner.refresh_from_db()
    assert partner.name == unicodedata.normalize("NFC", "Thành phố Sán Đầu")
    assert partner.slug == "thanh-pho-san-dau"
    assert "thanh pho san dau" in partner.search_text and "shantou" in partner.search_text


def test_slugs_are_unique():
    a = Partner.objects.create(name="Takesho", kind="company")
    b = Partner.objects.create(name="Takesho", kind="company")
    assert a.slug == "takesho" and b.slug == "takesho-2"


def test_published_is_the_one_rule_and_hides_drafts_and_scheduled():
    draft = Partner.objects.create(name="Bản nháp", kind="ngo")
    live = Partner.objects.create(name="Công khai", kind="ngo", status=Status.PUBLISHED)
    later = Partner.objects.create(
        name="Hẹn giờ", kind="ngo", status=Status.PUBLISHED, published_at=timezone.now() + datetime.timedelta(days=1)
    )
    assert live.published_at is not None
    assert list(Partner.objects.published()) == [live]
    assert not draft.is_public and not later.is_public and live.is_public


def test_search_is_accent_insensitive_and_needs_every_word():
    Partner.objects.create(name="Tổng Lãnh sự quán Hàn Quốc tại TP Hồ Chí Minh", kind="government", country="KR")
    Partner.objects.create(name="Tỉnh Okayama", name_en="Okayama Prefecture", kind="locality", country="JP")
    assert [p.country.code for p in Partner.objects.search("han quoc")] == ["KR"]
    assert [p.country.code for p in Partner.objects.search("Okayama tinh")] == ["JP"]
    assert not Partner.objects.search("han quoc okayama").exists()


def test_database_refuses_an_event_that_ends_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(title="Sai ngày", kind="conference", start_date=datetime.date(2024, 5, 10), end_date=datetime.date(2024, 5, 6))


def test_localized_names_follow_the_active_language():
    from django.utils import translation

    p = Partner.objects.create(name="Thành phố Sán Đầu", name_en="Shantou", kind="locality")
    q = Partner.objects.create(name="Blue Dragon", kind="ngo")
    with translation.override("en"):
        assert str(p) == "Shantou" and str(q) == "Blue Dragon"
    with translation.override("vi"):
        assert str(p) == "Thành phố Sán Đầu"
