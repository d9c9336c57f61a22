"""Admin pages for bringing an article in and turning it into records.

* **Import article** (``/admin/news/article/import/``): paste the text of an
  article or upload ``.txt`` files; a review page shows what the parser read
  (title, date, author, source, captions, warnings) and nothing is written until
  "Create draft(s)". The texts wait in the session between the two steps and are
  parsed again on create.
* **Suggested facts** (``/admin/news/article/<id>/suggestions/``): the facts the
  extractor found, by kind, each with its sentence; accept, edit then accept,
  or dismiss.

The views stay thin: importing, suggesting and deciding are the plain functions
of :mod:`news.suggestions` and :mod:`news.importer`. ``ArticleAdmin.get_urls``
(``news/admin.py``) wires the views in, behind ``admin_site.admin_view`` (staff
only: everyone else gets the login page).
"""

from __future__ import annotations

import codecs
import logging
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django_countries import countries

from cantho.dates import format_partial, format_partial_range
from cantho.models import Indicator, Metric, Status
from cantho.money import format_money, format_number
from events.models import Event
from investments.models import Investment
from news import suggestions
from news.importer import MAX_FILE_BYTES, FileResult, ImportFailure, decode_article_bytes, import_text
from news.models import Article, FactSuggestion
from partners.models import Partner

logger = logging.getLogger(__name__)

#: At most this many files in one upload.
MAX_FILES = 20
#: The texts of one import, all files together, are kept in the session up to this size.
MAX_TOTAL_BYTES = 2 * MAX_FILE_BYTES
#: Session key of the imports waiting for "Create draft(s)"; only the latest few are kept.
SESSION_KEY = "news_import"
KEEP_PENDING = 3

FILE_TOO_LARGE = _("file too large (%(size)s; the limit is %(limit)s)")
NOT_UTF8 = "The file is not UTF-8; it was read in an old Vietnamese encoding (Windows-1258 or VNI). Check the Vietnamese letters."


# --------------------------------------------------------------------------
# Forms
# --------------------------------------------------------------------------


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.Field):
    """Any number of uploaded files, as a list; each file is checked on its own later (one bad file stops nothing)."""

    widget = MultipleFileInput

    def to_python(self, data) -> list:
        if not data:
            return []
        return [upload for upload in (data if isinstance(data, (list, tuple)) else [data]) if upload]

    def validate(self, value) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")


class ImportForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the article"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 18, "cols": 100, "class": "vLargeTextField"}),
        help_text=_("Paste the whole article as copied from the news site: title, date, text, photo captions, author and source."),
    )
    files = MultipleFileField(
        label=_("Or text files"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".txt,text/plain"}),
        help_text=_("One article per .txt file (UTF-8, UTF-16, Windows-1258 or VNI); up to %(count)s files, %(size)s MB each.")
        % {"count": MAX_FILES, "size": MAX_FILE_BYTES // (1024 * 1024)},
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("Choose at most %(count)s files at a time."), params={"count": MAX_FILES})
        return files

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("text") or "").strip() and not cleaned.get("files") and not self.errors:
            raise forms.ValidationError(_("Paste the text of an article or choose one or more .txt files."))
        return cleaned


def _field(model: type[models.Model], name: str, **kwargs) -> forms.Field:
    """The form field of a model field, so labels, lengths and choices stay those of the model."""
    return model._meta.get_field(name).formfield(**kwargs)


def _date_field(model: type[models.Model], name: str, **kwargs) -> forms.Field:
    return _field(model, name, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}), **kwargs)


WIDE = forms.TextInput(attrs={"class": "vTextField"})


class OrganisationForm(forms.Form):
    name = _field(Partner, "name", widget=WIDE)
    kind = _field(Partner, "kind")
    country = _field(Partner, "country")


class PartnerForm(forms.Form):
    partner = forms.ModelChoiceField(Partner.objects.filter(deleted_at__isnull=True).order_by("name", "pk"), label=_("Partner"))


class InvestmentForm(forms.Form):
    name = _field(Investment, "name", widget=WIDE)
    capital_text = _field(Investment, "capital_text", widget=WIDE)
    capital_amount = _field(Investment, "capital_amount", min_value=0)
    capital_currency = _field(Investment, "capital_currency")
    country = _field(Investment, "country")


class FigureForm(forms.Form):
    metric = forms.ModelChoiceField(Metric.objects.all(), label=_("Metric"))
    year = _field(Indicator, "year", min_value=1900, max_value=2100)
    value = _field(Indicator, "value", min_value=0)
    qualifier = _field(Indicator, "qualifier")
    value_text = _field(Indicator, "value_text", widget=WIDE)


class EventForm(forms.Form):
    title = _field(Event, "title", widget=WIDE)
    kind = _field(Event, "kind")
    start_date = _date_field(Event, "start_date", required=True)
    end_date = _date_field(Event, "end_date")
    date_precision = _field(Event, "date_precision")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return cleaned


#: The edit form of each kind of suggestion (a country has nothing to edit).
EDIT_FORMS: dict[str, type[forms.Form]] = {
    "organisation": OrganisationForm,
    "partner": PartnerForm,
    "investment": InvestmentForm,
    "money": InvestmentForm,
    "figure": FigureForm,
    "date": EventForm,
    "date_range": EventForm,
}


# --------------------------------------------------------------------------
# The texts of an import
# --------------------------------------------------------------------------


@dataclass
class ImportItem:
    """One text to import: pasted, or read from an uploaded file; ``error`` when it could not be read."""

    name: str
    text: str = ""
    error: str = ""
    notes: list[str] = field(default_factory=list)

    def as_session(self) -> dict:
        return {"name": self.name, "text": self.text, "error": self.error, "notes": self.notes}


def pasted_item(text: str) -> ImportItem:
    """The pasted text, with the line breaks as typed (a browser sends every line break of a text area as CR LF)."""
    return ImportItem(name="", text=text.replace("\r\n", "\n"))


def uploaded_item(upload) -> ImportItem:
    """Read and decode an uploaded file as ``import_articles`` reads a file (a one-line error when it cannot be read)."""
    name = upload.name or ""
    if upload.size > MAX_FILE_BYTES:
        return ImportItem(name, error=str(FILE_TOO_LARGE % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_FILE_BYTES)}))
    try:
        data = upload.read()
    except OSError as exc:
        return ImportItem(name, error=gettext("cannot read the file: %(error)s") % {"error": exc.strerror or exc})
    try:
        text = decode_article_bytes(data)
    except ImportFailure as exc:
        return ImportItem(name, error=str(exc))
    return ImportItem(name, text=text, notes=[] if _is_unicode(data) else [NOT_UTF8])


def _is_unicode(data: bytes) -> bool:
    """Whether ``data`` is UTF-8, or UTF-16/32 with a byte order mark (else the importer read a legacy encoding)."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)):
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@dataclass
class Row:
    """One text of an import as the review and result pages show it."""

    name: str
    outcome: str  # "would-create", "created", "unchanged" or "failed"
    error: str = ""
    parsed: Any = None
    article: Article | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def dateline(self) -> str:
        """The parsed date at its precision, as the article list shows it."""
        if self.parsed is None or self.parsed.published_at is None:
            return ""
        return Article(dateline=self.parsed.published_at, date_precision=self.parsed.date_precision or "").dateline_display


def _row(item: ImportItem, result: FileResult | None) -> Row:
    if result is None:
        return Row(item.name, "failed", error=item.error)
    warnings = list(result.parsed.warnings) if result.parsed else []
    warnings += [note for note in item.notes if note not in warnings]
    return Row(item.name or result.path, result.outcome, error=result.error, parsed=result.parsed, article=result.article, warnings=warnings)


# --------------------------------------------------------------------------
# Views
# --------------------------------------------------------------------------


class ArticleAdminView(View):
    """A page of the article admin: its ``model_admin``, the admin site's context and permission checks."""

    model_admin = None

    def admin_context(self, request, **extra) -> dict:
        return {**self.model_admin.admin_site.each_context(request), "opts": Article._meta, **extra}

    def render(self, request, template: str, **context) -> TemplateResponse:
        return TemplateResponse(request, template, self.admin_context(request, **context))


class ImportView(ArticleAdminView):
    """Step 1: paste or upload; step 2 (the POST): the review of what the parser read."""

    def dispatch(self, request, *args, **kwargs):
        if not self.model_admin.has_add_permission(request):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.form_page(request, ImportForm())

    def post(self, request):
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.form_page(request, form)
        items = ([pasted_item(form.cleaned_data["text"])] if form.cleaned_data["text"].strip() else []) + [
            uploaded_item(upload) for upload in form.cleaned_data["files"]
        ]
        if sum(len(item.text) for item in items) > MAX_TOTAL_BYTES:
            form.add_error(None, _("The texts are too long to import at once; import them in smaller groups."))
            return self.form_page(request, form)
        rows = [_row(item, None if item.error else import_text(item.text, filename=item.name, dry_run=True)) for item in items]
        token = _remember(request, items)
        return self.render(
            request,
            "admin/news/article/import_review.html",
            title=gettext("Check the articles before importing"),
            rows=rows,
            token=token,
            creatable=sum(row.outcome == "would-create" for row in rows),
        )

    def form_page(self, request, form: ImportForm) -> TemplateResponse:
        return self.render(request, "admin/news/article/import_form.html", title=gettext("Import article"), form=form)


class ImportCreateView(ArticleAdminView):
    """Step 3: create the drafts of the texts reviewed, each with its suggested facts."""

    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        if not self.model_admin.has_add_permission(request):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def post(self, request):
        items = _recall(request, request.POST.get("token", ""))
        if items is None:
            messages.warning(request, gettext("This import was done already or has expired; paste or upload the articles again."))
            return redirect("admin:news_article_import")
        rows = [self.create(request, item) for item in items]
        created = [row for row in rows if row.outcome == "created"]
        if len(rows) == 1 and created:
            article = created[0].article
            messages.success(request, gettext("The draft article “%(title)s” was created. Check the facts suggested from it.") % {"title": article})
            return redirect("admin:news_article_suggestions", article.pk)
        return self.render(request, "admin/news/article/import_done.html", title=gettext("Import finished"), rows=rows, created=len(created))

    def create(self, request, item: ImportItem) -> Row:
        if item.error:
            return _row(item, None)
        try:
            result = suggestions.import_article(text=item.text, filename=item.name, notes=item.notes, user=request.user)
        except Exception as exc:  # one broken text must not stop the others
            logger.exception("importing %s failed", item.name or "pasted text")
            return Row(item.name, "failed", error=f"unexpected error: {type(exc).__name__}: {exc}")
        if result.outcome == "created":
            self.model_admin.log_addition(request, result.article, [{"added": {}}])
        return _row(item, result)


def _remember(request, items: list[ImportItem]) -> str:
    """Keep the texts in the session until "Create draft(s)"; return the key to find them again."""
    pending = dict(request.session.get(SESSION_KEY, {}))
    token = secrets.token_urlsafe(16)
    pending[token] = [item.as_session() for item in items]
    request.session[SESSION_KEY] = dict(list(pending.items())[-KEEP_PENDING:])
    return token


def _recall(request, token: str) -> list[ImportItem] | None:
    """The texts kept under ``token``, removed from the session (an import is created once); None if gone."""
    pending = dict(request.session.get(SESSION_KEY, {}))
    stored = pending.pop(token, None)
    if stored is None:
        return None
    request.session[SESSION_KEY] = pending
    return [ImportItem(**entry) for entry in stored]


# -- suggested facts ----------------------------------------------------------------


class SuggestionsView(ArticleAdminView):
    """The facts suggested for one article, grouped by kind."""

    def dispatch(self, request, *args, pk, **kwargs):
        self.article = get_object_or_404(Article, pk=pk)
        if not (request.user.has_perm("news.view_factsuggestion") and self.model_admin.has_view_or_change_permission(request, self.article)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        groups = suggestion_groups(self.article.suggestions.all(), may_decide=request.user.has_perm("news.change_factsuggestion"))
        counts = {state: 0 for state in FactSuggestion.State.values}
        for group in groups:
            for row in group.rows:
                counts[row.suggestion.state] += 1
        return self.render(
            request,
            "admin/news/article/suggestions.html",
            title=gettext("Suggested facts: %(title)s") % {"title": self.article},
            article=self.article,
            groups=groups,
            counts=counts,
            may_decide=request.user.has_perm("news.change_factsuggestion"),
            may_suggest=request.user.has_perm("news.add_factsuggestion"),
            next_url=request.get_full_path(),
        )


class SuggestFactsView(ArticleAdminView):
    """Look for facts in an article again (an article imported before suggestions existed, or partners added since)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        article = get_object_or_404(Article, pk=pk)
        if not (request.user.has_perm("news.add_factsuggestion") and self.model_admin.has_view_or_change_permission(request, article)):
            raise PermissionDenied
        found = suggestions.suggest_facts(article=article)
        messages.success(request, ngettext("%(count)d new fact suggested.", "%(count)d new facts suggested.", len(found)) % {"count": len(found)})
        return redirect("admin:news_article_suggestions", article.pk)


class DecideView(ArticleAdminView):
    """Base of the views that decide one suggestion: the suggestion of the article in the URL, for those who may decide."""

    def dispatch(self, request, *args, pk, suggestion_pk, **kwargs):
        self.suggestion = get_object_or_404(FactSuggestion.objects.select_related("article"), pk=suggestion_pk, article_id=pk)
        if not request.user.has_perm("news.change_factsuggestion"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def back(self, request) -> HttpResponseRedirect:
        """Where the editor came from (the suggestions page or the article's change page), else the suggestions page."""
        return HttpResponseRedirect(safe_next(request) or reverse("admin:news_article_suggestions", args=[self.suggestion.article_id]))

    def accepted(self, request, outcome: suggestions.Outcome) -> None:
        record = outcome.record
        if record is None:
            text = gettext("Noted: %(fact)s.") % {"fact": summary(outcome.suggestion)}
        elif outcome.created:
            self.model_admin.log_addition(request, record, [{"added": {}}])
            text = gettext("Created the draft %(kind)s “%(record)s” with this article as its source.")
        else:
            text = gettext("Added this article as a source of the %(kind)s “%(record)s”.")
        if record is not None:
            text %= {"kind": record._meta.verbose_name, "record": record}
        messages.success(request, text)


class AcceptView(DecideView):
    http_method_names = ["post"]

    def post(self, request):
        try:
            outcome = suggestions.accept_suggestion(suggestion=self.suggestion, user=request.user)
        except suggestions.SuggestionError as exc:
            messages.error(request, str(exc))
        else:
            self.accepted(request, outcome)
        return self.back(request)


class DismissView(DecideView):
    http_method_names = ["post"]

    def post(self, request):
        try:
            suggestions.dismiss_suggestion(suggestion=self.suggestion, user=request.user)
        except suggestions.SuggestionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, gettext("Dismissed: %(fact)s.") % {"fact": summary(self.suggestion)})
        return self.back(request)


class EditView(DecideView):
    """The values accepting would record, for the editor to change before accepting."""

    def form_class(self):
        form_class = EDIT_FORMS.get(self.suggestion.kind)
        if form_class is None:
            raise PermissionDenied  # nothing to edit: accept or dismiss it
        return form_class

    def get(self, request):
        initial = suggestions.proposed_values(self.suggestion)
        return self.page(request, self.form_class()(initial=initial))

    def post(self, request):
        form = self.form_class()(request.POST)
        if form.is_valid():
            try:
                outcome = suggestions.accept_suggestion(suggestion=self.suggestion, user=request.user, values=form.cleaned_data)
            except suggestions.SuggestionError as exc:
                form.add_error(None, str(exc))
            else:
                self.accepted(request, outcome)
                return self.back(request)
        return self.page(request, form)

    def page(self, request, form) -> TemplateResponse:
        suggestion = self.suggestion
        return self.render(
            request,
            "admin/news/article/suggestion_edit.html",
            title=gettext("Edit and accept: %(fact)s") % {"fact": summary(suggestion)},
            article=suggestion.article,
            suggestion=suggestion,
            row=SuggestionRow(suggestion, *_highlight(suggestion.sentence, suggestion.text)),
            form=form,
            decided=suggestion.state != FactSuggestion.State.OPEN,
            next_url=safe_next(request),
        )


class DismissKindView(ArticleAdminView):
    """Dismiss every open suggestion of one kind (e.g. the countries) at once."""

    http_method_names = ["post"]

    def post(self, request, pk):
        article = get_object_or_404(Article, pk=pk)
        if not request.user.has_perm("news.change_factsuggestion"):
            raise PermissionDenied
        kind = request.POST.get("kind", "")
        if kind in suggestions.KINDS:
            count = suggestions.dismiss_open(article=article, kind=kind, user=request.user)
            messages.success(request, ngettext("%(count)d suggestion dismissed.", "%(count)d suggestions dismissed.", count) % {"count": count})
        return HttpResponseRedirect(safe_next(request) or reverse("admin:news_article_suggestions", args=[article.pk]))


def safe_next(request) -> str:
    """The ``next`` address of the request when it is a page of this site, else ""."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return ""


# --------------------------------------------------------------------------
# The suggestions as the pages show them
# --------------------------------------------------------------------------


@dataclass
class SuggestionRow:
    suggestion: FactSuggestion
    before: str
    match: str
    after: str
    summary: str = ""
    plan: str = ""
    on_file: models.Model | None = None
    on_file_url: str = ""
    needs_input: bool = False
    result: models.Model | None = None
    result_url: str = ""
    editable: bool = False


@dataclass
class Group:
    kind: str
    heading: str
    rows: list[SuggestionRow]

    @property
    def open_count(self) -> int:
        return sum(row.suggestion.state == FactSuggestion.State.OPEN for row in self.rows)


def suggestion_groups(queryset, *, may_decide: bool = True) -> list[Group]:
    """The suggestions of ``queryset`` grouped by kind (in :data:`news.suggestions.KINDS` order), ready to show.

    A fixed number of queries whatever the number of suggestions: the suggestions
    with who decided them, the metrics, the partners, investments and indicators
    already on file for the open ones, and one per kind of record accepted ones gave.
    """
    rows = [SuggestionRow(s, *_highlight(s.sentence, s.text)) for s in queryset.select_related("decided_by").order_by("id")]
    metrics = suggestions.metrics_by_slug() if any(row.suggestion.kind == "figure" for row in rows) else {}
    open_rows = [row for row in rows if row.suggestion.state == FactSuggestion.State.OPEN]
    values = {row.suggestion.pk: suggestions.proposed_values(row.suggestion, metrics=metrics) for row in open_rows}
    on_file = _on_file(open_rows, values)
    results = _results(row.suggestion.result for row in rows if row.suggestion.state == FactSuggestion.State.ACCEPTED)
    grouped: dict[str, list[SuggestionRow]] = defaultdict(list)
    for row in rows:
        suggestion = row.suggestion
        row.summary = summary(suggestion)
        row.editable = may_decide and suggestion.kind in EDIT_FORMS
        if suggestion.pk in values:
            proposed = values[suggestion.pk]
            row.needs_input = bool(suggestions.missing_values(suggestion, proposed))
            row.on_file = on_file.get(suggestion.pk)
            row.plan = _plan(suggestion, proposed, row.on_file)
        elif suggestion.state == FactSuggestion.State.ACCEPTED:
            row.result = results.get(suggestion.result)
        if row.on_file is not None:
            row.on_file_url = _admin_url(row.on_file)
        if row.result is not None:
            row.result_url = _admin_url(row.result)
        grouped[suggestion.kind].append(row)
    order = list(suggestions.KINDS)
    kinds = sorted(grouped, key=lambda kind: order.index(kind) if kind in order else len(order))
    return [Group(kind, str(suggestions.KINDS.get(kind, kind)), grouped[kind]) for kind in kinds]


def _highlight(sentence: str, words: str) -> tuple[str, str, str]:
    """(before, matched words, after) of ``sentence``; the words are left unmarked when they are not in it."""
    at = sentence.find(words) if words else -1
    if at < 0:
        return sentence, "", ""
    return sentence[:at], words, sentence[at + len(words) :]


def summary(suggestion: FactSuggestion) -> str:
    """The fact in a few words, in the language of the page: "Japan (JP)", "1.3 billion USD", "482 (2018)"..."""
    data, kind = suggestion.data or {}, suggestion.kind
    value = data.get("value", "")
    if kind == "country":
        return f"{countries.name(value) or value} ({value})"
    if kind in ("partner", "organisation"):
        return str(value)
    if kind == "investment":
        capital = suggestions.decimal_or_none(data.get("capital"))
        name = suggestions.sentence_case(str(data.get("name", "")))
        return f"{name} — {format_money(capital, data.get('currency', 'USD'))}" if capital is not None else name
    if kind == "money":
        amount = format_money(suggestions.decimal_or_none(value), data.get("currency", "USD"))
        return f"{amount} ({data['date'][:4]})" if data.get("date") else amount
    if kind == "figure":
        number = format_number(suggestions.decimal_or_none(value))
        return f"{number} ({data['date'][:4]})" if data.get("date") else number
    if kind in ("date", "date_range"):
        start, precision = suggestions.partial_date(str(value))
        if start is None:
            return suggestion.text
        end, _precision = suggestions.partial_date(str(data.get("end", "")))
        return format_partial_range(start, end, precision) if end else format_partial(start, precision)
    return suggestion.text


def _plan(suggestion: FactSuggestion, values: dict, on_file: models.Model | None) -> str:
    """What "Accept" will do, in a sentence."""
    kind = suggestion.kind
    if kind == "country":
        return gettext("Note the country; nothing is created.")
    if kind == "partner":
        return gettext("Add this article as a source of the partner.")
    if kind == "figure" and values.get("metric") is None:
        return gettext("No metric matches this unit: choose one in “Edit”.")
    if kind == "figure" and values.get("year") is None:
        return gettext("The year is not known: give it in “Edit”.")
    if kind == "figure" and on_file is not None and on_file.value != values.get("value"):
        if on_file.status != Status.DRAFT:
            return gettext("On file with another value: check it, or choose another metric or year in “Edit”.")
        return gettext("Change the value of the draft yearly indicator on file and add this article as its source.")
    if on_file is not None:
        return gettext("Add this article as a source of the %(kind)s on file.") % {"kind": on_file._meta.verbose_name}
    if kind == "organisation":
        return gettext("Create a draft partner (%(kind)s).") % {"kind": dict(Partner.Kind.choices).get(values["kind"], values["kind"])}
    if kind in ("investment", "money"):
        if not values.get("name"):
            return gettext("Give the project a name in “Edit” to create a draft investment project.")
        return gettext("Create a draft investment project.")
    if kind == "figure":
        return gettext("Create a draft yearly indicator: %(metric)s, %(year)s.") % {"metric": values["metric"], "year": values["year"]}
    if kind in ("date", "date_range"):
        return gettext("Give the event a title in “Edit” to create a draft event on this date.")
    return ""


def _on_file(rows: list[SuggestionRow], values: dict[int, dict]) -> dict[int, models.Model]:
    """Suggestion id -> the record accepting it would link to instead of creating: one query per kind of record."""
    found: dict[int, models.Model] = {}
    by_model = {"organisation": (Partner, ("name", "name_en", "short_name", "aliases")), "investment": (Investment, ("name", "name_en"))}
    for kind, (model, fields) in by_model.items():
        wanted = {row.suggestion.pk: values[row.suggestion.pk].get("name", "") for row in rows if row.suggestion.kind == kind}
        records = suggestions.records_on_file(model, wanted.values(), fields)
        found.update({pk: records[key] for pk, name in wanted.items() if (key := suggestions.name_key(name)) in records})
    figures = {pk: v for pk, v in values.items() if v.get("metric") is not None and v.get("year")}
    if figures:
        query = models.Q()
        for v in figures.values():
            query |= models.Q(metric=v["metric"], year=v["year"])
        indicators = {(i.metric_id, i.year): i for i in Indicator.objects.filter(query).select_related("metric")}
        found.update({pk: indicators[key] for pk, v in figures.items() if (key := (v["metric"].pk, v["year"])) in indicators})
    return found


def _results(references) -> dict[str, models.Model]:
    """Reference ("investments.investment:12") -> record: one query per model."""
    wanted: dict[type[models.Model], set[str]] = defaultdict(set)
    for reference in references:
        model, key = suggestions.parse_reference(reference)
        if model is not None:
            wanted[model].add(key)
    found = {}
    for model, keys in wanted.items():
        queryset = model._default_manager.filter(pk__in=keys)
        if model is Indicator:
            queryset = queryset.select_related("metric")
        found.update({suggestions.result_reference(record): record for record in queryset})
    return found


def _admin_url(record: models.Model) -> str:
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
