"""Admin of the news archive: articles with their photos, and categories."""

from __future__ import annotations

from django.contrib import admin
from django.utils import formats, timezone

from cantho.admin import COMPACT_TEXT, RecordAdmin, VocabularySearchMixin, year_filter
from cantho.dates import format_partial
from news.models import Article, ArticlePhoto, Category


@admin.register(Category)
class CategoryAdmin(VocabularySearchMixin, admin.ModelAdmin):
    list_display = ("name", "name_en", "slug")
    prepopulated_fields = {"slug": ("name",)}


class ArticlePhotoInline(admin.TabularInline):
    model = ArticlePhoto
    fields = ("image", "caption", "credit", "alt_text", "position")
    extra = 0
    formfield_overrides = COMPACT_TEXT


@admin.register(Article)
class ArticleAdmin(RecordAdmin):
    list_display = ("title", "dateline_shown", "category", "source_name", "status")
    list_filter = ("status", ("category", admin.RelatedOnlyFieldListFilter), year_filter("dateline"), "date_precision")
    list_select_related = ("category",)
    date_hierarchy = "dateline"
    autocomplete_fields = ("category",)
    readonly_fields = (*RecordAdmin.readonly_fields, "import_warnings", "source_file")
    inlines = (ArticlePhotoInline,)
    form_rows = (("dateline", "date_precision"), ("source_name", "source_url"))

    @admin.display(description=Article._meta.get_field("dateline").verbose_name, ordering="dateline")
    def dateline_shown(self, obj):
        """The date at its known precision: "14:05, 06/05/2024", "06/05/2024", "05/2024" or "2024"."""
        if obj.dateline is None:
            return None
        local = timezone.localtime(obj.dateline)
        if obj.date_precision in ("", Article.DatePrecision.MINUTE):
            return formats.date_format(local, "DATETIME_FORMAT")
        return format_partial(local.date(), obj.date_precision)
