"""RSS 2.0 and Atom 1.0 feeds of the newest published articles, all of them or one category's."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from news.models import Article, Category

FEED_SIZE = 30


class LatestArticlesFeed(Feed):
    """The newest 30 published articles (RSS 2.0)."""

    feed_type = Rss201rev2Feed

    def title(self):
        return _("News from the Cần Thơ International Cooperation Portal")

    def description(self):
        return _("The newest articles on Cần Thơ's international cooperation.")

    def link(self):
        return reverse("news:list")

    def articles(self):
        """Published articles, newest first, without the verbatim imported text."""
        return Article.objects.published().for_listing().defer("original_text", "import_warnings").archive_order()

    def items(self):
        return self.articles()[:FEED_SIZE]

    def item_title(self, item: Article) -> str:
        return item.localized("title")

    def item_description(self, item: Article) -> str:
        return item.lead

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_guid_is_permalink(self, item: Article) -> bool:
        """The guid is the article's absolute URL (the default), a permanent link."""
        return True

    def item_pubdate(self, item: Article):
        """The dateline; the publication on the portal for an undated article."""
        return item.dateline or item.published_at

    def item_updateddate(self, item: Article):
        return item.dateline or item.published_at

    def item_author_name(self, item: Article) -> str | None:
        return item.author or None

    def item_categories(self, item: Article) -> list[str]:
        return [str(item.category)] if item.category else []


class LatestArticlesAtomFeed(LatestArticlesFeed):
    """The same articles as Atom 1.0."""

    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()


class CategoryArticlesFeed(LatestArticlesFeed):
    """The newest 30 published articles of one category (RSS 2.0); 404 for an unknown category."""

    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug)

    def title(self, obj: Category):
        return _("%(category)s · News from the Cần Thơ International Cooperation Portal") % {"category": obj}

    def description(self, obj: Category):
        return _("The newest articles in the category “%(category)s”.") % {"category": obj}

    def link(self, obj: Category):
        return obj.get_absolute_url()

    def items(self, obj: Category):
        return self.articles().filter(category=obj)[:FEED_SIZE]


class CategoryArticlesAtomFeed(CategoryArticlesFeed):
    """One category's articles as Atom 1.0."""

    feed_type = Atom1Feed

    def subtitle(self, obj: Category):
        return self.description(obj)
