"""Admin of the news archive: articles with their photos, and categories."""

from __future__ import annotations

from django.contrib import admin
from django.urls import path
from django.utils import formats, timezone

from cantho.admin import COMPACT_TEXT, RecordAdmin, RelatedInUseFilter, VocabularySearchMixin, year_filter
from cantho.dates import format_partial
from cantho.uploads import PhotoInlineForm
from news import admin_import
from news.models import Article, ArticlePhoto, Category, FactSuggestion


@admin.register(Category)
class CategoryAdmin(VocabularySearchMixin, admin.ModelAdmin):
    list_display = ("name", "name_en", "slug")
    prepopulated_fields = {"slug": ("name",)}


class ArticlePhotoInline(admin.TabularInline):
    model = ArticlePhoto
    form = PhotoInlineForm
    fields = ("image", "caption", "credit", "alt_text", "position")
    extra = 0
    formfield_overrides = COMPACT_TEXT


@admin.register(Article)
class ArticleAdmin(RecordAdmin):
    list_display = ("title", "dateline_shown", "category", "source_name", "status")
    list_filter = ("status", ("category", RelatedInUseFilter), year_filter("dateline"), "date_precision")
    list_select_related = ("category",)
    # No date_hierarchy: its list of years is a DISTINCT over every article on each load (1 s at 100,000 on SQLite);
    # the year filter offers the same years, cached until content changes.
    autocomplete_fields = ("category",)
    readonly_fields = (*RecordAdmin.readonly_fields, "import_warnings", "source_file")
    inlines = (ArticlePhotoInline,)
    form_rows = (("dateline", "date_precision"), ("source_name", "source_url"))
    #: The trash's list (TrashAdminMixin) with an "Import article" button.
    change_list_template = "admin/news/article/change_list.html"

    # -- importing articles and their suggested facts (news/admin_import.py) -------------
    def get_urls(self):
        def view(view_class, **kwargs):
            return self.admin_site.admin_view(view_class.as_view(model_admin=self, **kwargs))

        suggestion = "<int:pk>/suggestions/<int:suggestion_pk>"
        return [
            path("import/", view(admin_import.ImportView), name="news_article_import"),
            path("import/create/", view(admin_import.ImportCreateView), name="news_article_import_create"),
            path("<int:pk>/suggestions/", view(admin_import.SuggestionsView), name="news_article_suggestions"),
            path("<int:pk>/suggestions/find/", view(admin_import.SuggestFactsView), name="news_article_suggest"),
            path("<int:pk>/suggestions/dismiss/", view(admin_import.DismissKindView), name="news_article_suggestions_dismiss"),
            path(f"{suggestion}/accept/", view(admin_import.AcceptView), name="news_factsuggestion_accept"),
            path(f"{suggestion}/edit/", view(admin_import.EditView), name="news_factsuggestion_edit"),
            path(f"{suggestion}/dismiss/", view(admin_import.DismissView), name="news_factsuggestion_dismiss"),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The change page shows the article's open suggested facts below the form, to accept, edit or dismiss."""
        extra_context = dict(extra_context or {})
        if object_id and object_id.isdigit() and request.user.has_perm("news.view_factsuggestion"):
            open_ones = FactSuggestion.objects.filter(article_id=int(object_id), state=FactSuggestion.State.OPEN)
            extra_context.update(
                suggestion_groups=admin_import.suggestion_groups(open_ones, may_decide=request.user.has_perm("news.change_factsuggestion")),
                may_decide=request.user.has_perm("news.change_factsuggestion"),
                next_url=request.get_full_path(),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=Article._meta.get_field("dateline").verbose_name, ordering="dateline")
    def dateline_shown(self, obj):
        """The date at its known precision: "14:05, 06/05/2024", "06/05/2024", "05/2024" or "2024"."""
        if obj.dateline is None:
            return None
        local = timezone.localtime(obj.dateline)
        if obj.date_precision in ("", Article.DatePrecision.MINUTE):
            return formats.date_format(local, "DATETIME_FORMAT")
        return format_partial(local.date(), obj.date_precision)
