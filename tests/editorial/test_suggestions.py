"""Suggested facts: accepting each kind creates or links the right draft record with the article as its source."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from cantho.models import Indicator, IndicatorSource, Metric, Status
from events.models import Event, EventSource
from investments.models import Investment, InvestmentSource
from news import suggestions
from news.models import Article, FactSuggestion
from news.suggestions import SuggestionError, accept_suggestion, dismiss_open, dismiss_suggestion, guess_partner_kind
from partners.models import Partner, PartnerSource
from tests.editorial.test_import_page import english, seed_path, seed_text, text_of  # noqa: F401 (english: a fixture)

pytestmark = pytest.mark.django_db

METRICS = {
    "delegations-received": ("Đoàn khách nước ngoài đến thăm, làm việc", "đoàn"),
    "foreign-visitors": ("Lượt khách nước ngoài", "lượt"),
    "fdi-projects-new": ("Dự án FDI thu hút trong năm", "dự án"),
    "fdi-projects-total": ("Dự án FDI (lũy kế)", "dự án"),
    "japan-fdi-projects-total": ("Dự án FDI của Nhật Bản (lũy kế)", "dự án"),
    "agreements-signed": ("Thỏa thuận quốc tế ký kết trong năm", "thỏa thuận"),
}


@pytest.fixture
def metrics(db) -> dict[str, Metric]:
    return {slug: Metric.objects.create(slug=slug, name=name, unit=unit) for slug, (name, unit) in METRICS.items()}


def imported(number: int, user=None) -> Article:
    """Seed article ``number`` imported as the Import page does: a draft with its suggested facts."""
    result = suggestions.import_article(text=seed_text(number), filename=seed_path(number).name, user=user)
    assert result.outcome == "created", result.error
    return result.article


def suggestion(article: Article, kind: str, text: str) -> FactSuggestion:
    return article.suggestions.get(kind=kind, text=text)


def url(name: str, s: FactSuggestion) -> str:
    return reverse(f"admin:news_factsuggestion_{name}", args=[s.article_id, s.pk])


def assert_decided(s: FactSuggestion, state: str, user) -> None:
    s.refresh_from_db()
    assert s.state == state
    assert s.decided_by == user
    assert s.decided_at is not None


# -- what is suggested ------------------------------------------------------------------------


def test_each_fact_is_stored_with_its_words_sentence_and_values(editor):
    article = imported(0, editor)
    kinds = set(article.suggestions.values_list("kind", flat=True))
    assert {"country", "organisation", "figure", "date"} <= kinds
    read = "\n\n".join([article.lead, article.body, *article.photos.values_list("caption", flat=True)])
    for s in article.suggestions.all():
        assert s.state == FactSuggestion.State.OPEN
        assert s.sentence in read
        assert s.text in s.sentence
        assert s.data["type"] == s.kind and s.data["text"] == s.text
    consulate = suggestion(article, "organisation", "Tổng Lãnh sự quán Hàn Quốc tại TP Hồ Chí Minh")
    assert consulate.data["kind"] == "government"
    assert consulate.data["country"] == "KR"


def test_partners_on_file_are_suggested_as_partners_not_as_new_organisations(editor):
    university = Partner.objects.create(name="Trường Đại học Cần Thơ", kind=Partner.Kind.UNIVERSITY, country="VN")
    article = imported(1, editor)
    found = article.suggestions.filter(kind="partner")
    assert found.count() == 4  # three sentences of the text and a photo caption
    assert {s.data["partner_id"] for s in found} == {university.pk}
    assert not article.suggestions.filter(kind="organisation", text="Trường Đại học Cần Thơ").exists()


def test_an_investment_keeps_the_words_of_its_capital(editor):
    article = imported(1, editor)
    plant = suggestion(article, "investment", "dự án nhà máy nhiệt điện Ô Môn II (vốn đầu tư 1,3 tỉ USD)")
    assert plant.data["name"] == "nhà máy nhiệt điện Ô Môn II"
    assert plant.data["capital"] == "1300000000"
    assert plant.data["capital_text"] == "1,3 tỉ USD"


def test_looking_again_adds_only_facts_not_suggested_before(editor):
    article = imported(1, editor)
    before = article.suggestions.count()
    assert suggestions.suggest_facts(article=article) == []
    Partner.objects.create(name="Trường Đại học Cần Thơ", kind=Partner.Kind.UNIVERSITY)
    added = suggestions.suggest_facts(article=article)
    assert {s.kind for s in added} == {"partner"}
    assert article.suggestions.count() == before + len(added)


def test_an_article_imported_before_gets_suggestions_from_the_page(editor_client):
    article = Article.objects.create(title="Hợp tác", lead="Năm 2018, thành phố đã đón tiếp 482 đoàn khách nước ngoài.", status=Status.PUBLISHED)
    response = editor_client.post(reverse("admin:news_article_suggest", args=[article.pk]))
    assert response.status_code == 302
    assert article.suggestions.filter(kind="figure", text="482 đoàn khách").exists()


# -- accepting each kind -----------------------------------------------------------------------------------


def test_accepting_a_country_notes_it_and_creates_nothing(editor):
    article = imported(0, editor)
    japan = article.suggestions.filter(kind="country", data__value="JP").first()
    outcome = accept_suggestion(suggestion=japan, user=editor)
    assert outcome.record is None
    assert_decided(japan, FactSuggestion.State.ACCEPTED, editor)
    assert japan.result == "country:JP"
    assert not Partner.objects.exists()


def test_accepting_a_partner_on_file_links_the_article_with_the_sentence(editor):
    university = Partner.objects.create(name="Trường Đại học Cần Thơ", kind=Partner.Kind.UNIVERSITY, status=Status.PUBLISHED)
    article = imported(1, editor)
    mention = article.suggestions.filter(kind="partner").first()
    outcome = accept_suggestion(suggestion=mention, user=editor)
    assert outcome.record == university and not outcome.created
    link = PartnerSource.objects.get(partner=university)
    assert link.article == article
    assert link.quote == mention.sentence
    assert_decided(mention, FactSuggestion.State.ACCEPTED, editor)
    assert mention.result == f"partners.partner:{university.pk}"
    university.refresh_from_db()
    assert university.status == Status.PUBLISHED  # linking changes nothing else


def test_accepting_a_new_organisation_creates_a_draft_partner_with_its_source(editor):
    article = imported(1, editor)
    company = article.suggestions.filter(kind="organisation", text="Công ty TNHH Thực phẩm Takesho Việt Nam").first()
    outcome = accept_suggestion(suggestion=company, user=editor)
    partner = outcome.record
    assert outcome.created
    assert partner.name == "Công ty TNHH Thực phẩm Takesho Việt Nam"
    assert partner.kind == Partner.Kind.COMPANY
    assert partner.status == Status.DRAFT
    assert list(partner.source_links.values_list("article", "quote")) == [(article.pk, company.sentence)]
    assert partner.history.first().history_user == editor

    # The same name in another sentence: the partner just created gets the link, no second partner.
    again = article.suggestions.filter(kind="organisation", text="Công ty TNHH Thực phẩm Takesho Việt Nam", state="open").first()
    second = accept_suggestion(suggestion=again, user=editor)
    assert second.record == partner and not second.created
    assert Partner.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Công ty TNHH Thực phẩm Takesho Việt Nam", Partner.Kind.COMPANY),
        ("Hiệp hội Xuất nhập khẩu tỉnh Quảng Đông", Partner.Kind.ASSOCIATION),
        ("Trường Đại học Cần Thơ", Partner.Kind.UNIVERSITY),
        ("Tổng Lãnh sự quán Singapore tại TP Hồ Chí Minh", Partner.Kind.GOVERNMENT),
        ("Đại sứ quán Nhật Bản", Partner.Kind.GOVERNMENT),
        ("Liên hiệp các tổ chức hữu nghị TP Cần Thơ", Partner.Kind.OTHER),
    ],
)
def test_the_kind_of_a_new_partner_is_guessed_from_its_name(name, kind):
    assert guess_partner_kind(name) == kind


def test_an_organisation_without_a_kind_from_the_extractor_is_other(editor):
    article = imported(1, editor)
    union = article.suggestions.filter(kind="organisation", text="Liên hiệp các tổ chức hữu nghị TP Cần Thơ").first()
    assert accept_suggestion(suggestion=union, user=editor).record.kind == Partner.Kind.OTHER


def test_accepting_an_investment_creates_a_draft_project_with_its_capital_and_source(publisher):
    article = imported(1, publisher)
    plant = suggestion(article, "investment", "dự án nhà máy nhiệt điện Ô Môn II (vốn đầu tư 1,3 tỉ USD)")
    outcome = accept_suggestion(suggestion=plant, user=publisher)
    investment = outcome.record
    assert outcome.created
    assert investment.name == "Nhà máy nhiệt điện Ô Môn II"
    assert investment.capital_text == "1,3 tỉ USD"
    assert investment.capital_amount == Decimal("1300000000")
    assert investment.capital_currency == "USD"
    assert investment.status == Status.DRAFT  # even a Publisher's: every record from a suggestion is reviewed
    link = InvestmentSource.objects.get(investment=investment)
    assert (link.article, link.quote) == (article, plant.sentence)
    assert plant.__class__.objects.get(pk=plant.pk).result == f"investments.investment:{investment.pk}"


def test_an_investment_on_file_gets_the_source_instead_of_a_twin(editor):
    on_file = Investment.objects.create(name="Nhà máy nhiệt điện Ô Môn II", capital_text="1,3 tỉ USD", status=Status.PUBLISHED)
    article = imported(1, editor)
    plant = suggestion(article, "investment", "dự án nhà máy nhiệt điện Ô Môn II (vốn đầu tư 1,3 tỉ USD)")
    outcome = accept_suggestion(suggestion=plant, user=editor)
    assert outcome.record == on_file and not outcome.created
    assert Investment.objects.count() == 1
    assert on_file.source_links.get().quote == plant.sentence


def test_an_amount_of_money_needs_a_name_before_it_becomes_an_investment(editor):
    article = imported(1, editor)
    total = suggestion(article, "money", "1,317 tỉ USD")
    with pytest.raises(SuggestionError, match="name"):
        accept_suggestion(suggestion=total, user=editor)
    assert not Investment.objects.exists()
    outcome = accept_suggestion(suggestion=total, user=editor, values={"name": "Dự án FDI năm 2021"})
    investment = outcome.record
    assert (investment.name, investment.capital_text, investment.capital_amount) == ("Dự án FDI năm 2021", "1,317 tỉ USD", Decimal("1317000000"))
    assert investment.status == Status.DRAFT
    assert investment.source_links.get().quote == total.sentence


def test_accepting_a_figure_creates_a_draft_indicator_for_the_metric_of_its_unit(editor, metrics):
    article = imported(0, editor)
    delegations = suggestion(article, "figure", "482 đoàn")
    indicator = accept_suggestion(suggestion=delegations, user=editor).record
    assert indicator.metric == metrics["delegations-received"]
    assert (indicator.year, indicator.value, indicator.value_text) == (2018, Decimal(482), "482 đoàn")
    assert indicator.status == Status.DRAFT
    assert list(indicator.source_links.values_list("article", "quote")) == [(article.pk, delegations.sentence)]

    visitors = accept_suggestion(suggestion=suggestion(article, "figure", "3.274 lượt khách"), user=editor).record
    assert (visitors.metric.slug, visitors.year, visitors.value) == ("foreign-visitors", 2018, Decimal(3274))


def test_a_stock_of_japanese_projects_goes_to_its_own_series(editor, metrics):
    article = imported(0, editor)
    japan = suggestion(article, "figure", "7 dự án đầu tư trực tiếp")
    indicator = accept_suggestion(suggestion=japan, user=editor).record
    assert (indicator.metric.slug, indicator.year, indicator.value) == ("japan-fdi-projects-total", 2019, Decimal(7))


def test_a_figure_on_file_with_the_same_value_gets_the_source(editor, metrics):
    on_file = Indicator.objects.create(metric=metrics["delegations-received"], year=2018, value=482, status=Status.PUBLISHED)
    article = imported(0, editor)
    outcome = accept_suggestion(suggestion=suggestion(article, "figure", "482 đoàn"), user=editor)
    assert outcome.record == on_file and not outcome.created
    assert IndicatorSource.objects.get(indicator=on_file).article == article


def test_a_published_figure_with_another_value_is_not_changed_from_a_suggestion(editor, metrics):
    on_file = Indicator.objects.create(metric=metrics["delegations-received"], year=2018, value=400, status=Status.PUBLISHED)
    article = imported(0, editor)
    delegations = suggestion(article, "figure", "482 đoàn")
    with pytest.raises(SuggestionError, match="another value"):
        accept_suggestion(suggestion=delegations, user=editor)
    on_file.refresh_from_db()
    assert on_file.value == 400
    assert not on_file.source_links.exists()
    delegations.refresh_from_db()
    assert delegations.state == FactSuggestion.State.OPEN


def test_a_draft_figure_with_another_value_is_updated(editor, metrics):
    draft = Indicator.objects.create(metric=metrics["delegations-received"], year=2018, value=400, value_text="khoảng 400 đoàn")
    article = imported(0, editor)
    accept_suggestion(suggestion=suggestion(article, "figure", "482 đoàn"), user=editor)
    draft.refresh_from_db()
    assert (draft.value, draft.value_text, draft.status) == (Decimal(482), "482 đoàn", Status.DRAFT)
    assert draft.source_links.get().article == article


def test_a_figure_without_a_matching_metric_waits_for_the_editor_to_choose_one(editor, metrics):
    article = imported(1, editor)
    projects = suggestion(article, "figure", "12 dự án")  # aid projects: no such metric in this database
    assert suggestions.proposed_values(projects)["metric"] is None
    with pytest.raises(SuggestionError, match="metric"):
        accept_suggestion(suggestion=projects, user=editor)
    chosen = metrics["fdi-projects-new"]
    indicator = accept_suggestion(suggestion=projects, user=editor, values={"metric": chosen}).record
    assert (indicator.metric, indicator.year, indicator.value) == (chosen, 2021, Decimal(12))


def test_a_date_becomes_a_draft_event_with_the_sentence_as_description(editor):
    article = imported(1, editor)
    start = suggestion(article, "date", "tháng 4-2022")
    values = {"title": "Nhà máy Takesho Food đi vào hoạt động", "kind": Event.Kind.OTHER}
    event = accept_suggestion(suggestion=start, user=editor, values=values).record
    assert event.title == "Nhà máy Takesho Food đi vào hoạt động"
    assert (event.start_date, event.date_precision) == (datetime.date(2022, 4, 1), "month")
    assert event.description == start.sentence
    assert event.status == Status.DRAFT
    assert EventSource.objects.get(event=event).quote == start.sentence


def test_a_date_range_becomes_an_event_with_its_end(editor):
    article = Article.objects.create(title="Đoàn công tác", lead="Từ ngày 6/5/2024 đến 10/5/2024, đoàn công tác TP Cần Thơ làm việc tại Trung Quốc.")
    suggestions.suggest_facts(article=article)
    period = article.suggestions.get(kind="date_range")
    event = accept_suggestion(suggestion=period, user=editor, values={"title": "Đoàn công tác tại Trung Quốc", "kind": Event.Kind.OUTBOUND}).record
    assert (event.start_date, event.end_date, event.date_precision) == (datetime.date(2024, 5, 6), datetime.date(2024, 5, 10), "day")


def test_a_date_needs_a_title(editor):
    article = imported(1, editor)
    with pytest.raises(SuggestionError, match="title"):
        accept_suggestion(suggestion=suggestion(article, "date", "tháng 4-2022"), user=editor)
    assert not Event.objects.exists()


# -- deciding once, dismissing ----------------------------------------------------------------------------------------


def test_a_suggestion_is_decided_once(editor, publisher):
    article = imported(1, editor)
    plant = suggestion(article, "investment", "dự án nhà máy nhiệt điện Ô Môn II (vốn đầu tư 1,3 tỉ USD)")
    accept_suggestion(suggestion=plant, user=editor)
    with pytest.raises(SuggestionError, match="already"):
        accept_suggestion(suggestion=plant, user=publisher)
    with pytest.raises(SuggestionError, match="already"):
        dismiss_suggestion(suggestion=plant, user=publisher)
    assert Investment.objects.count() == 1
    assert_decided(plant, FactSuggestion.State.ACCEPTED, editor)


def test_dismissing_records_who_and_when_and_creates_nothing(editor):
    article = imported(1, editor)
    plant = suggestion(article, "investment", "dự án nhà máy nhiệt điện Ô Môn II (vốn đầu tư 1,3 tỉ USD)")
    dismiss_suggestion(suggestion=plant, user=editor)
    assert_decided(plant, FactSuggestion.State.DISMISSED, editor)
    assert plant.result == ""
    assert not Investment.objects.exists()


def test_all_open_suggestions_of_a_kind_can_be_dismissed_at_once(editor):
    article = imported(1, editor)
    japan = article.suggestions.filter(kind="country").first()
    accept_suggestion(suggestion=japan, user=editor)
    count = dismiss_open(article=article, kind="country", user=editor)
    assert count == article.suggestions.filter(kind="country").count() - 1
    assert not article.suggestions.filter(kind="country", state="open").exists()
    japan.refresh_from_db()
    assert japan.state == FactSuggestion.State.ACCEPTED  # decided ones stay as they were
    assert article.suggestions.filter(kind="investment", state="open").count() == 5


# -- the pages ----------------------------------------------------------------------------------------------


def test_the_page_groups_the_suggestions_by_kind_with_their_sentences(editor_client, editor):
    article = imported(1, editor)
    response = editor_client.get(reverse("admin:news_article_suggestions", args=[article.pk]))
    assert response.status_code == 200
    html, page = response.content.decode(), text_of(response)
    headings = re.findall(r"<h2>([^<]+)<small>", html)
    assert [h.strip() for h in headings][:3] == ["Investment projects", "Amounts of money", "Yearly figures"]
    assert "Countries" in page
    assert "<mark>dự án nhà máy nhiệt điện Ô Môn II (vốn đầu tư 1,3 tỉ USD)</mark>" in html
    assert "Nhà máy nhiệt điện Ô Môn II — 1.3 billion USD" in page
    assert f"To review: {article.suggestions.count()}" in page


def test_accept_from_the_page_then_the_page_shows_the_record(editor_client, editor):
    article = imported(1, editor)
    plant = suggestion(article, "investment", "dự án nhà máy nhiệt điện Ô Môn II (vốn đầu tư 1,3 tỉ USD)")
    page_url = reverse("admin:news_article_suggestions", args=[article.pk])
    response = editor_client.post(url("accept", plant), {"next": page_url}, follow=True)
    investment = Investment.objects.get()
    assert response.redirect_chain[-1][0] == page_url
    page = text_of(response)
    assert "Created the draft investment project “Nhà máy nhiệt điện Ô Môn II” with this article as its source." in page
    assert reverse("admin:investments_investment_change", args=[investment.pk]) in response.content.decode()
    assert "by editor" in page
    assert_decided(plant, FactSuggestion.State.ACCEPTED, editor)


def test_edit_then_accept_uses_the_edited_values(editor_client, editor):
    article = imported(1, editor)
    plant = suggestion(article, "investment", "dự án nhà máy nhiệt điện Ô Môn II (vốn đầu tư 1,3 tỉ USD)")
    form = editor_client.get(url("edit", plant))
    assert form.status_code == 200
    html = form.content.decode()
    assert 'value="Nhà máy nhiệt điện Ô Môn II"' in html
    assert 'value="1,3 tỉ USD"' in html
    assert "<mark>dự án nhà máy nhiệt điện Ô Môn II (vốn đầu tư 1,3 tỉ USD)</mark>" in html
    data = {"name": "Nhà máy điện Ô Môn II", "capital_text": "1,3 tỉ USD", "capital_amount": "1300000000", "capital_currency": "USD", "country": "JP"}
    response = editor_client.post(url("edit", plant), data)
    assert response.status_code == 302
    investment = Investment.objects.get()
    assert (investment.name, investment.country.code, investment.status) == ("Nhà máy điện Ô Môn II", "JP", Status.DRAFT)
    assert investment.source_links.get().quote == plant.sentence


def test_edit_a_figure_to_choose_its_metric_and_year(editor_client, editor, metrics):
    article = imported(1, editor)
    projects = suggestion(article, "figure", "12 dự án")
    data = {"metric": metrics["agreements-signed"].pk, "year": "2020", "value": "12", "qualifier": "exact", "value_text": "12 dự án"}
    assert editor_client.post(url("edit", projects), data).status_code == 302
    indicator = Indicator.objects.get()
    assert (indicator.metric.slug, indicator.year, indicator.value) == ("agreements-signed", 2020, Decimal(12))


def test_the_edit_form_shows_what_is_wrong(editor_client, editor):
    article = imported(1, editor)
    start = suggestion(article, "date", "tháng 1-2019")
    data = {"title": "", "kind": "other", "start_date": "2019-01-01", "end_date": "2018-12-01", "date_precision": "month"}
    response = editor_client.post(url("edit", start), data)
    assert response.status_code == 200
    page = text_of(response)
    assert "This field is required." in page or "Trường này là bắt buộc." in page
    assert "The end date cannot be before the start date." in page
    assert not Event.objects.exists()


def test_a_country_has_nothing_to_edit(editor_client, editor):
    article = imported(1, editor)
    assert editor_client.get(url("edit", article.suggestions.filter(kind="country").first())).status_code == 403


def test_dismiss_from_the_page(editor_client, editor):
    article = imported(1, editor)
    money = suggestion(article, "money", "1,317 tỉ USD")
    response = editor_client.post(url("dismiss", money))
    assert response.status_code == 302
    assert_decided(money, FactSuggestion.State.DISMISSED, editor)


def test_an_error_is_a_message_not_a_crash(editor_client, editor):
    article = imported(1, editor)
    money = suggestion(article, "money", "1,317 tỉ USD")
    dismiss_suggestion(suggestion=money, user=editor)
    response = editor_client.post(url("accept", money), follow=True)
    assert "This suggestion was already dismissed." in text_of(response)


def test_a_suggestion_is_reached_only_through_its_own_article(editor_client, editor):
    first, second = imported(0, editor), imported(1, editor)
    s = second.suggestions.first()
    response = editor_client.post(reverse("admin:news_factsuggestion_accept", args=[first.pk, s.pk]))
    assert response.status_code == 404


def test_next_must_be_a_page_of_this_site(editor_client, editor):
    article = imported(1, editor)
    money = suggestion(article, "money", "1,317 tỉ USD")
    response = editor_client.post(url("dismiss", money), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("admin:news_article_suggestions", args=[article.pk])


def test_the_change_page_of_the_article_shows_its_open_suggestions(editor_client, editor):
    article = imported(1, editor)
    plant = suggestion(article, "investment", "dự án nhà máy nhiệt điện Ô Môn II (vốn đầu tư 1,3 tỉ USD)")
    dismiss_suggestion(suggestion=suggestion(article, "money", "1,317 tỉ USD"), user=editor)
    change_url = reverse("admin:news_article_change", args=[article.pk])
    response = editor_client.get(change_url)
    html = response.content.decode()
    assert 'id="suggested-facts"' in html
    assert url("accept", plant) in html and url("edit", plant) in html and url("dismiss", plant) in html
    assert "1.317 billion USD (2021)" not in text_of(response)  # decided: no longer listed there
    assert reverse("admin:news_article_suggestions", args=[article.pk]) in html
    # Accepting from the change page comes back to it.
    back = editor_client.post(url("accept", plant), {"next": change_url})
    assert back["Location"] == change_url


# -- who may decide ------------------------------------------------------------------------------------------


def test_anonymous_visitors_and_non_staff_get_the_login_page(editor, django_user_model):
    article = imported(1, editor)
    plant = suggestion(article, "investment", "dự án nhà máy nhiệt điện Ô Môn II (vốn đầu tư 1,3 tỉ USD)")
    reader = Client()
    reader.force_login(django_user_model.objects.create_user("reader", password="not-used"))
    for client in (Client(), reader):
        for target in (reverse("admin:news_article_suggestions", args=[article.pk]), url("accept", plant), url("edit", plant)):
            response = client.post(target) if target.endswith("accept/") else client.get(target)
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("admin:login"))
    plant.refresh_from_db()
    assert plant.state == FactSuggestion.State.OPEN


def test_staff_who_may_only_look_cannot_decide(editor, django_user_model):
    article = imported(1, editor)
    plant = suggestion(article, "investment", "dự án nhà máy nhiệt điện Ô Môn II (vốn đầu tư 1,3 tỉ USD)")
    viewer = django_user_model.objects.create_user("viewer", password="not-used", is_staff=True)
    viewer.user_permissions.add(*Permission.objects.filter(codename__in=["view_article", "view_factsuggestion"]))
    client = Client()
    client.force_login(viewer)
    page = client.get(reverse("admin:news_article_suggestions", args=[article.pk]))
    assert page.status_code == 200
    assert url("accept", plant) not in page.content.decode()
    assert client.post(url("accept", plant)).status_code == 403
    assert client.post(url("dismiss", plant)).status_code == 403
    assert client.get(url("edit", plant)).status_code == 403
    plant.refresh_from_db()
    assert plant.state == FactSuggestion.State.OPEN


def test_deciding_needs_the_right_to_add_that_kind_of_record(editor, django_user_model):
    article = imported(1, editor)
    plant = suggestion(article, "investment", "dự án nhà máy nhiệt điện Ô Môn II (vốn đầu tư 1,3 tỉ USD)")
    clerk = django_user_model.objects.create_user("clerk", password="not-used", is_staff=True)
    clerk.user_permissions.add(*Permission.objects.filter(codename__in=["view_article", "view_factsuggestion", "change_factsuggestion"]))
    with pytest.raises(SuggestionError, match="may not"):
        accept_suggestion(suggestion=plant, user=clerk)
    assert not Investment.objects.exists()


# -- query counts --------------------------------------------------------------------------------------------


#: The suggestions page: session, user, the user's permissions (2), article, suggestions (with who
#: decided), metrics, the partners, investments and indicators on file for the open ones, and the
#: records the accepted ones gave (investments, partners, indicators: one query each).
PAGE_QUERIES = 13


def test_the_suggestions_page_costs_the_same_queries_however_many_suggestions(editor_client, editor, metrics, django_assert_num_queries):
    Partner.objects.create(name="Trường Đại học Cần Thơ", kind=Partner.Kind.UNIVERSITY)
    Investment.objects.create(name="Khách sạn Wink Cần Thơ")
    article = imported(1, editor)
    for kind in ("country", "organisation", "investment", "partner"):  # some of every kind decided, with their records
        for s in article.suggestions.filter(kind=kind)[:2]:
            accept_suggestion(suggestion=s, user=editor)
    accept_suggestion(suggestion=article.suggestions.get(kind="figure", text="61 đoàn khách"), user=editor)
    dismiss_suggestion(suggestion=article.suggestions.filter(state="open").first(), user=editor)
    page = reverse("admin:news_article_suggestions", args=[article.pk])
    with django_assert_num_queries(PAGE_QUERIES):
        assert editor_client.get(page).status_code == 200

    copies = [
        FactSuggestion(article=article, **{f: getattr(s, f) for f in ("kind", "text", "sentence", "data", "state", "result", "decided_by", "decided_at")})
        for s in article.suggestions.all()
        for _copy in range(2)
    ]
    FactSuggestion.objects.bulk_create(copies)
    with django_assert_num_queries(PAGE_QUERIES):
        response = editor_client.get(page)
    assert text_of(response).count("Nhà máy nhiệt điện Ô Môn II — 1.3 billion USD") == 3
