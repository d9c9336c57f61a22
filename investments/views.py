"""Public pages of investment projects (FDI) and foreign non-governmental aid projects."""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View

from cantho.money import format_money
from cantho.text import fold
from cantho.views import PublishedDetailView, PublishedListView
from investments.filters import AidProjectFilter, InvestmentFilter
from investments.iati.activities import activities_document
from investments.models import AidProject, Investment


def stated_says_more(text: str, amount: Decimal | None, currency: str) -> bool:
    """Whether the amount as the source states it (``capital_text``) adds something to the number.

    "1,3 tỉ USD" is just the number; "khoảng 47 triệu USD" (about) or "trên 34,7 tỉ
    đồng" (more than) says more, so the page shows it beside the number.
    """
    if not text:
        return False
    if amount is None:
        return True

    def squash(value: str) -> str:
        return fold(value.replace("tỷ", "tỉ").replace("Tỷ", "Tỉ")).replace(" ", "")

    return squash(text) != squash(format_money(amount, currency, "vi"))


class StatedAmountMixin:
    """Marks each record of a page with ``stated_differs``: show the amount as stated beside the number."""

    amount_fields: tuple[str, str, str] = ("", "", "")  # (stated text, amount, currency)

    def mark_stated(self, records) -> None:
        text, amount, currency = self.amount_fields
        for record in records:
            record.stated_differs = stated_says_more(getattr(record, text), getattr(record, amount), getattr(record, currency))


class InvestmentListView(StatedAmountMixin, PublishedListView):
    """/investments/: filter by country, sector, status, capital and year; sort by capital or date; the filtered total."""

    model = Investment
    filterset_class = InvestmentFilter
    template_name = "investments/investment_list.html"
    strict = False  # a bad filter value is shown as a form error and ignored
    amount_fields = ("capital_text", "capital_amount", "capital_currency")

    def get_queryset(self):
        return super().get_queryset().sorted_by(None)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.mark_stated(context["object_list"])
        context["totals"] = self.object_list.capital_totals()
        context["sort"] = getattr(self.filterset.form, "cleaned_data", {}).get("sort") or "-capital"
        context["crumbs"] = [(_("Investment projects"), None)]
        return context


class InvestmentDetailView(StatedAmountMixin, PublishedDetailView):
    model = Investment
    template_name = "investments/investment_detail.html"
    amount_fields = ("capital_text", "capital_amount", "capital_currency")

    def get_queryset(self):
        return super().get_queryset().with_sources()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.mark_stated([self.object])
        context["crumbs"] = [(_("Investment projects"), reverse("investments:list")), (str(self.object), None)]
        return context


class AidProjectListView(StatedAmountMixin, PublishedListView):
    """/aid/: filter by donor, field, status and year; the filtered total amount."""

    model = AidProject
    filterset_class = AidProjectFilter
    template_name = "investments/aidproject_list.html"
    strict = False
    amount_fields = ("amount_text", "amount", "currency")

    def get_queryset(self):
        return super().get_queryset().newest_first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.mark_stated(context["object_list"])
        context["totals"] = self.object_list.amount_totals()
        context["crumbs"] = [(_("Aid projects"), None)]
        return context


class AidProjectDetailView(StatedAmountMixin, PublishedDetailView):
    model = AidProject
    template_name = "investments/aidproject_detail.html"
    amount_fields = ("amount_text", "amount", "currency")

    def get_queryset(self):
        return super().get_queryset().with_sources()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.mark_stated([self.object])
        context["crumbs"] = [(_("Aid projects"), reverse("aid:list")), (str(self.object), None)]
        return context


class AidIatiView(View):
    """``/aid/iati.xml``: every published aid project as IATI 2.03 activity XML; ``/aid/<slug>/iati.xml``: one.

    Four queries whatever the number of projects (projects, donors, fields, source articles).
    """

    def get(self, request, slug: str | None = None, *args, **kwargs):
        projects = AidProject.objects.published().for_listing().with_sources().newest_first()
        if slug is not None:
            projects = projects.filter(slug=slug)
        projects = list(projects)
        if not projects:
            raise Http404("No published aid project.")
        list_url = reverse("aid:list")
        body = activities_document(
            projects,
            page_url=lambda project: request.build_absolute_uri(project.get_absolute_url()),
            absolute=request.build_absolute_uri,
            field_url=lambda field: request.build_absolute_uri(f"{list_url}?{urlencode({'field': field})}"),
        )
        response = HttpResponse(body, content_type="application/xml; charset=utf-8")
        name = f"iati-{slug}.xml" if slug else "iati-aid-projects.xml"
        response["Content-Disposition"] = f'inline; filename="{name}"'
        return response
