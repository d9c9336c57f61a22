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


def test_dates_are_stored_at_their_known_precision_and_shown_without_an_invented_day():
    from django.utils import translation

    from partners.models import Agreement

    agreement = Agreement.objects.create(
        title="Gia nhập 100 Resilient Cities", kind="membership", signed_on=datetime.date(2016, 9, 17), signed_precision="month"
    )
    agreement.refresh_from_db()
    assert agreement.signed_on == datetime.date(2016, 9, 1)
    with translation.override("vi"):
        assert agreement.signed_display == "09/2016"
    with translation.override("en"):
        assert agreement.signed_display == "September 2016"


def test_article_dateline_is_shown_at_its_precision_in_local_time():
    from django.utils import translation

    from news.models import Article

    moment = datetime.datetime(2019, 1, 5, 3, 53, tzinfo=datetime.UTC)  # 10:53 in Cần Thơ
    article = Article.objects.create(title="Chủ động kết nối", dateline=moment, date_precision="minute")
    undated = Article.objects.create(title="Không ngày")
    with translation.override("vi"):
        assert article.dateline_display == "10:53, 05/01/2019"
    with translation.override("en"):
        assert article.dateline_display == "5 January 2019, 10:53"
    assert undated.dateline_display == ""
