"""The staff side: admin building blocks every app shares, and the admin of the shared models.

Every record admin derives from :class:`RecordAdmin`, which brings

* accent-insensitive search over the record's folded ``search_text``
  (``nhat ban`` finds "Nhật Bản"), in the changelist and in autocompletes;
* the publish rule for staff: only users with the model's ``publish``
  permission (the Publisher group) may change ``status`` and ``published_at``;
  everyone else works on drafts;
* a "Publication" fieldset, ``save_on_top`` and publish/unpublish actions.

The small helpers below (:func:`year_filter`, :func:`source_inline`,
:func:`shown`, :func:`names`) keep each app's admin a short declaration.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_permission_codename
from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cantho.admin_editorial import HistoryAdminMixin, OptimisticLockAdminMixin, TrashAdminMixin
from cantho.models import Field, Indicator, IndicatorSource, Metric, Status
from cantho.text import fold
from cantho.uploads import UploadCheckingForm

admin.site.site_header = _("Cần Thơ International Cooperation Portal")
admin.site.site_title = _("Cần Thơ International Cooperation Portal")

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
            dates = model_admin.model._default_manager.dates(field, "year", order="DESC")
            return [(str(day.year), str(day.year)) for day in dates]

        def queryset(self, request, queryset):
            year = self.value()
            if year and year.isdigit():
                return queryset.filter(**{f"{field}__year": int(year)})
            return queryset

    return YearFilter


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
class RecordAdmin(TrashAdminMixin, OptimisticLockAdminMixin, FoldedSearchMixin, HistoryAdminMixin):
    """Base admin of every :class:`cantho.models.Record`."""

    form = UploadCheckingForm
    save_on_top = True
    list_per_page = 50
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # what Django 6 does; silences its warning
    readonly_fields = ("created_at", "updated_at")
    actions = ("publish", "unpublish")
    #: Many-to-many relations shown in list columns, fetched in one query each.
    list_prefetch_related: tuple[str, ...] = ()
    #: Groups of fields shown on one line of the form, e.g. a date and its precision.
    form_rows: tuple[tuple[str, ...], ...] = ()

    publication_fields = ("status", "published_at")
    bookkeeping_fields = ("created_at", "updated_at")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(*self.list_prefetch_related)

    # -- the publish rule --------------------------------------------------------
    def has_publish_permission(self, request, obj=None) -> bool:
        """Whether the user may publish or unpublish records of this model (Publisher)."""
        codename = get_permission_codename("publish", self.opts)
        return request.user.has_perm(f"{self.opts.app_label}.{codename}")

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request, obj):
            fields += self.publication_fields
        return fields

    def save_model(self, request, obj, form, change):
        # The status fields are read-only for non-publishers, so their form cannot
        # carry them; a new record they create starts as a draft whatever happens.
        if not change and not self.has_publish_permission(request, obj):
            obj.status, obj.published_at = Status.DRAFT, None
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Publish selected records"), permissions=["publish"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, Status.PUBLISHED)

    @admin.action(description=_("Unpublish selected records (back to draft)"), permissions=["publish"])
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, Status.DRAFT)

    def _set_status(self, request, queryset, status):
        """Set ``status`` on every selected record through ``save()``, so the publish rule and the history apply."""
        changed = [obj for obj in queryset if obj.status != status]
        for obj in changed:
            obj.status = status
            obj.save()
            self.log_change(request, obj, [{"changed": {"fields": ["status"]}}])
        message = ngettext("%(count)d record changed.", "%(count)d records changed.", len(changed))
        self.message_user(request, message % {"count": len(changed)}, messages.SUCCESS)

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
    list_filter = ("status", ("metric", admin.RelatedOnlyFieldListFilter), "year")
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
