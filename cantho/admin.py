"""The staff side: admin building blocks every app shares, and the admin of the shared models.

Every record admin derives from :class:`RecordAdmin`, which brings

* accent-insensitive search over the record's folded ``search_text``
  (``nhat ban`` finds "Nhật Bản"), in the changelist and in autocompletes;
* the editorial states (:mod:`cantho.publishing`): the status field offers only
  the states the user may move the record to (Editors: draft and in review;
  Publishers: all), only Publishers set ``published_at`` (a future time
  schedules the record), and bulk actions submit, publish, unpublish or
  archive through a confirmation page;
* a "work queue" list filter and a status column that shows scheduled records;
* a "Publication" fieldset, ``save_on_top`` and a "Preview" link on change pages.

The small helpers below (:func:`year_filter`, :func:`source_inline`,
:func:`shown`, :func:`names`) keep each app's admin a short declaration.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import get_permission_codename
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cantho import publishing
from cantho.admin_editorial import HistoryAdminMixin, OptimisticLockAdminMixin, TrashAdminMixin, on_trash_side
from cantho.exports import admin_export
from cantho.models import Field, Indicator, IndicatorSource, Metric
from cantho.pagination import FastPaginator, cached_value
from cantho.text import fold
from cantho.uploads import UploadCheckingForm
from cantho.widgets import fast_widget_class

admin.site.site_header = _("Cần Thơ International Cooperation Portal")
admin.site.site_title = _("Cần Thơ International Cooperation Portal")

#: The changelist's row checkbox (see :meth:`RecordAdmin.action_checkbox`).
FAST_CHECKBOX = fast_widget_class(forms.CheckboxInput)

#: Short text areas for sentences and captions in tabular inlines.
COMPACT_TEXT = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 60})}}


# -- search ------------------------------------------------------------------
class FoldedSearchMixin:
    """Search a Record's folded ``search_text``: every word must match, diacritics ignored.

    ``search_fields`` only switches the search box and the autocomplete view on;
    the matching itself is :meth:`cantho.models.RecordQuerySet.search`.
    """

    search_fields = ("search_text",)

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.search(search_term), False


class VocabularySearchMixin:
    """Accent-insensitive search for the small vocabularies (fields, metrics, categories).

    They have no ``search_text`` column; they hold tens of rows, so folding
    ``search_fields`` in Python costs one small query.
    """

    search_fields = ("name", "name_en")

    def get_search_results(self, request, queryset, search_term):
        words = fold(search_term).split()
        if not words:
            return queryset, False
        fields = self.get_search_fields(request)
        matching = [pk for pk, *texts in queryset.values_list("pk", *fields) if all(word in fold(" ".join(text or "" for text in texts)) for word in words)]
        return queryset.filter(pk__in=matching), False


# -- list columns and filters -------------------------------------------------
def shown(attr: str, model: type[models.Model], field: str, description=None):
    """A list column showing ``obj.<attr>`` (e.g. a date at its known precision, or a method's result), sorted by ``field``.

    The header is ``description``, by default the verbose name of ``field``.
    """

    @admin.display(description=description or model._meta.get_field(field).verbose_name, ordering=field)
    def column(obj):
        value = getattr(obj, attr)
        return (value() if callable(value) else value) or None

    column.__name__ = attr
    return column


def names(relation: str, model: type[models.Model], fallback: str | None = None):
    """A list column naming the objects of a many-to-many ``relation`` (prefetch it), or ``fallback`` text."""

    @admin.display(description=model._meta.get_field(relation).verbose_name)
    def column(obj):
        listed = ", ".join(str(item) for item in getattr(obj, relation).all())
        return listed or (getattr(obj, fallback) if fallback else "") or None

    column.__name__ = relation
    return column


def year_filter(field: str) -> type[admin.SimpleListFilter]:
    """A list filter offering the years that occur in the date field ``field``."""

    class YearFilter(admin.SimpleListFilter):
        title = _("year")
        parameter_name = f"{field}_year"

        def lookups(self, request, model_admin):
            # A DISTINCT over every row: cached until the next change of content (cantho.pagination.cached_value).
            def years():
                return [day.year for day in model_admin.model._default_manager.dates(field, "year", order="DESC")]

            return [(str(year), str(year)) for year in cached_value(f"admin-years:{model_admin.model._meta.label}:{field}", years)]

        def queryset(self, request, queryset):
            year = self.value()
            if year and year.isdigit():
                return queryset.filter(**{f"{field}__year": int(year)})
            return queryset

    return YearFilter


class RelatedInUseFilter(admin.RelatedOnlyFieldListFilter):
    """Django's ``RelatedOnlyFieldListFilter`` (the related objects some row of the list points to),
    asked per related object with ``EXISTS`` instead of a ``DISTINCT`` over every row of the list.

    The categories of 100,000 articles took 6 ms of each changelist load on PostgreSQL;
    eight index probes take a fraction of a millisecond. Rows count only on their side of
    the trash: the list offers what its own rows use (a category whose only article is in
    the trash is not offered outside it, where choosing it would show nothing).
    """

    def field_choices(self, field, request, model_admin):
        rows = model_admin.get_queryset(request).order_by().filter(**{self.field_path: OuterRef("pk")})
        if isinstance(model_admin, TrashAdminMixin):
            rows = on_trash_side(rows, request)
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(include_blank=False, limit_choices_to=Q(Exists(rows)), ordering=ordering)


# -- inlines ------------------------------------------------------------------
class SourceInline(admin.TabularInline):
    """The articles a record comes from, with the sentence quoted; see :func:`source_inline`."""

    fields = ("article", "quote")
    autocomplete_fields = ("article",)
    extra = 0
    formfield_overrides = COMPACT_TEXT

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article")


def source_inline(through: type[models.Model]) -> type[SourceInline]:
    """The source-link inline for one ``SourceLink`` through model (PartnerSource, EventSource...)."""
    return type(f"{through.__name__}Inline", (SourceInline,), {"model": through})


# -- the record admin -----------------------------------------------------------
class WorkQueueFilter(admin.SimpleListFilter):
    """The records of one section of the work queue (in review, old drafts, scheduled...); see :mod:`cantho.publishing`."""

    title = _("work queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [(section.key, section.title) for section in publishing.QUEUE_SECTIONS if section.applies(model_admin.model)]

    def queryset(self, request, queryset):
        section = publishing.queue_section(self.value() or "")
        if section is None or not section.applies(queryset.model):
            return queryset
        return section.filter(queryset)


def status_checking_form(form: type[forms.ModelForm], user) -> type[forms.ModelForm]:
    """``form`` offering only the states ``user`` may move the record to, and refusing any other with a form error."""

    class StatusCheckingForm(form):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            allowed = publishing.allowed_statuses(user=user, record=self.instance)
            field = self.fields["status"]
            # Only the widget is narrowed: any known state passes the field, then clean_status says why it is refused.
            field.widget.choices = [(value, label) for value, label in field.choices if value in allowed]

        def clean_status(self):
            status = self.cleaned_data["status"]
            reason = publishing.check_status_change(user=user, record=self.instance, status=status)
            if reason is not None:
                raise forms.ValidationError(reason, code="status_not_allowed")
            return status

    StatusCheckingForm.__name__ = StatusCheckingForm.__qualname__ = form.__name__
    return StatusCheckingForm


class RecordChangeList(ChangeList):
    """A list of records where a record without a value sorts as the oldest and smallest, on every database.

    PostgreSQL sorts NULL as the largest value and SQLite as the smallest, so "newest first"
    put the undated articles and events at the top of the admin list on one and at the bottom
    on the other. Every sort on a nullable column of the record itself (the default order and a
    clicked column) now says where its NULLs go: last when descending, first when ascending,
    as SQLite (and the public lists, "newest first, undated last") have them. The sort arrows
    are unchanged: they are worked out from the names, before this.
    """

    def get_ordering(self, request, queryset):
        return [self._nulls_as_smallest(term) for term in super().get_ordering(request, queryset)]

    def _nulls_as_smallest(self, term):
        if not isinstance(term, str):
            return term
        name = term.removeprefix("-")
        try:
            field = self.lookup_opts.get_field(name)
        except FieldDoesNotExist:
            return term
        if not field.concrete or field.is_relation or not field.null:
            return term  # a relation's name sorts by its model's own order, which is not this column's
        return F(name).desc(nulls_last=True) if term.startswith("-") else F(name).asc(nulls_first=True)


class RecordAdmin(TrashAdminMixin, OptimisticLockAdminMixin, FoldedSearchMixin, HistoryAdminMixin):
    """Base admin of every :class:`cantho.models.Record`."""

    form = UploadCheckingForm
    save_on_top = True
    list_per_page = 50
    #: No second COUNT(*) over the whole table on each load ("50 results (show all)" is not shown).
    show_full_result_count = False
    paginator = FastPaginator
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # what Django 6 does; silences its warning
    readonly_fields = ("created_at", "updated_at")
    actions = ("submit_for_review", "publish", "unpublish", "archive", "export_csv", "export_xlsx")
    #: Many-to-many relations shown in list columns, fetched in one query each.
    list_prefetch_related: tuple[str, ...] = ()
    #: Groups of fields shown on one line of the form, e.g. a date and its precision.
    form_rows: tuple[tuple[str, ...], ...] = ()
    #: The page listing the selected records and what a bulk status change will do, before it does it.
    status_change_confirmation_template = "admin/cantho/confirm_status_change.html"

    publication_fields = ("status", "published_at")
    bookkeeping_fields = ("created_at", "updated_at")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(*self.list_prefetch_related)

    def get_changelist(self, request, **kwargs):
        return RecordChangeList

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        """Counts cached per list, filters, search and user until the next change of content; deep pages read by key.

        See :class:`cantho.pagination.FastPaginator`: 100,000 rows are not counted on every load.
        """
        params = sorted((key, value) for key, values in request.GET.lists() if key not in ("p", "o") for value in values)
        key = f"admin:{self.opts.label}:{request.user.pk}:{request.path}?{urlencode(params)}"
        return self.paginator(queryset, per_page, orphans, allow_empty_first_page, count_key=key)

    # -- the changelist ------------------------------------------------------------
    def get_list_display(self, request):
        """The "status" column says when a scheduled record will appear."""
        return tuple("publication_status" if name == "status" else name for name in super().get_list_display(request))

    def get_list_filter(self, request):
        return (*super().get_list_filter(request), WorkQueueFilter)

    def action_checkbox(self, obj):
        """Django's row checkbox, written by :mod:`cantho.widgets` (the same HTML) rather than through a
        widget template per row, which took half the time of the changelist's rows."""
        attrs = {"class": "action-select", "aria-label": format_html(_("Select this object for an action - {}"), str(obj))}
        return FAST_CHECKBOX(attrs, lambda value: False).render(helpers.ACTION_CHECKBOX_NAME, str(obj.pk))

    @admin.display(description=_("status"), ordering="status")
    def publication_status(self, obj):
        if publishing.is_scheduled(obj):
            return format_html(
                '<span title="{}">{}</span>',
                _("Not public yet: it appears by itself at this time."),
                _("Scheduled: %(moment)s") % {"moment": formats.date_format(timezone.localtime(obj.published_at), "SHORT_DATETIME_FORMAT")},
            )
        return obj.get_status_display()

    # -- the publish rule --------------------------------------------------------
    def has_publish_permission(self, request, obj=None) -> bool:
        """Whether the user may publish, unpublish, archive and un-archive records of this model (Publisher)."""
        codename = get_permission_codename("publish", self.opts)
        return request.user.has_perm(f"{self.opts.app_label}.{codename}")

    def get_readonly_fields(self, request, obj=None):
        """Only Publishers set the publication time; the status is editable when the user may move the record somewhere."""
        fields = tuple(super().get_readonly_fields(request, obj))
        if "published_at" not in fields and not self.has_publish_permission(request, obj):
            fields += ("published_at",)
        if "status" not in fields and len(publishing.allowed_statuses(user=request.user, record=obj or self.model())) < 2:
            fields += ("status",)
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return status_checking_form(form, request.user) if "status" in form.base_fields else form

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None and hasattr(obj, "get_absolute_url"):
            opts = obj._meta
            context["preview_url"] = reverse("preview", kwargs={"app_label": opts.app_label, "model_name": opts.model_name, "pk": obj.pk})
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    # -- bulk status changes, each through a confirmation page ---------------------------------
    @admin.action(description=_("Submit selected %(verbose_name_plural)s for review"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        return self.change_status(request, queryset, publishing.SUBMIT)

    @admin.action(description=_("Publish selected %(verbose_name_plural)s"), permissions=["publish"])
    def publish(self, request, queryset):
        return self.change_status(request, queryset, publishing.PUBLISH)

    @admin.action(description=_("Unpublish selected %(verbose_name_plural)s (back to draft)"), permissions=["publish"])
    def unpublish(self, request, queryset):
        return self.change_status(request, queryset, publishing.UNPUBLISH)

    @admin.action(description=_("Archive selected %(verbose_name_plural)s"), permissions=["publish"])
    def archive(self, request, queryset):
        return self.change_status(request, queryset, publishing.ARCHIVE)

    # -- downloads: the public export columns plus status and trash, whatever the status ----------
    @admin.action(description=_("Export selected as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        return admin_export(self, request, queryset, "csv")

    @admin.action(description=_("Export selected as XLSX"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        return admin_export(self, request, queryset, "xlsx")

    def change_status(self, request, queryset, transition):
        """Show what ``transition`` will do to the selected records; do it once the user confirms."""
        records = list(queryset)
        if request.POST.get("confirm") != "yes":
            plan = publishing.plan(transition, user=request.user, records=records)
            context = {
                **self.admin_site.each_context(request),
                "title": _("Are you sure?"),
                "subtitle": transition.label,
                "opts": self.opts,
                "transition": transition,
                "plan": plan,
                "action_name": request.POST.get("action", ""),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "media": self.media,
            }
            request.current_app = self.admin_site.name
            return TemplateResponse(request, self.status_change_confirmation_template, context)
        changed, refused = publishing.execute_many(transition, user=request.user, records=records)
        for record in changed:
            self.log_change(request, record, [{"changed": {"fields": ["status"]}}])
        message = ngettext("%(count)d record changed.", "%(count)d records changed.", len(changed))
        self.message_user(request, message % {"count": len(changed)}, messages.SUCCESS)
        for record, reason in refused:
            self.message_user(request, _("“%(record)s” was not changed: %(reason)s") % {"record": record, "reason": reason}, messages.WARNING)
        return None

    # -- form layout ----------------------------------------------------------------
    def get_fieldsets(self, request, obj=None):
        """The model's own fields (grouped by ``form_rows``), the inferred facts, then a "Publication" section."""
        if self.fieldsets:
            return self.fieldsets
        tail = (*self.publication_fields, *self.bookkeeping_fields)
        fields = [name for name in self.get_fields(request, obj) if name not in (*tail, "inference_note")] + ["inference_note"]
        for row in self.form_rows:
            if all(name in fields for name in row):
                fields[fields.index(row[0])] = row
                fields = [name for name in fields if name not in row[1:]]
        return [(None, {"fields": fields}), (_("Publication"), {"fields": tail})]


# -- the shared vocabularies and the yearly indicators ----------------------------------
@admin.register(Field)
class FieldAdmin(VocabularySearchMixin, admin.ModelAdmin):
    list_display = ("name", "name_en", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Metric)
class MetricAdmin(VocabularySearchMixin, admin.ModelAdmin):
    list_display = ("name", "name_en", "unit", "unit_en", "position")
    list_editable = ("position",)
    search_fields = ("name", "name_en", "unit", "unit_en")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Indicator)
class IndicatorAdmin(RecordAdmin):
    list_display = ("metric", "year", "value_shown", "status")
    list_filter = ("status", ("metric", RelatedInUseFilter), "year")
    list_select_related = ("metric",)
    autocomplete_fields = ("metric",)
    inlines = (source_inline(IndicatorSource),)
    form_rows = (("metric", "year"), ("value", "qualifier", "value_text"))

    @admin.display(description=Indicator._meta.get_field("value").verbose_name, ordering="value")
    def value_shown(self, obj):
        """The figure as the source states it, else the number with its qualifier."""
        if obj.value_text:
            return obj.value_text
        prefix = "" if obj.qualifier == Indicator.Qualifier.EXACT else f"{obj.get_qualifier_display()} "
        return f"{prefix}{formats.number_format(obj.value.normalize(), force_grouping=True)} {obj.metric.localized('unit')}"
