from django.urls import path, register_converter

from news.feeds import CategoryArticlesAtomFeed, CategoryArticlesFeed, LatestArticlesAtomFeed, LatestArticlesFeed
from news.views import ArticleDetailView, ArticleListView


class YearConverter:
    """Four digits: /news/2019/."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{int(value):04d}"


class MonthConverter:
    """Two digits: /news/2019/01/ (the view answers 404 outside 01–12)."""

    regex = "[0-9]{2}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{int(value):02d}"


register_converter(YearConverter, "news_year")
register_converter(MonthConverter, "news_month")

app_name = "news"
urlpatterns = [
    path("", ArticleListView.as_view(), name="list"),
    path("feed/rss/", LatestArticlesFeed(), name="feed-rss"),
    path("feed/atom/", LatestArticlesAtomFeed(), name="feed-atom"),
    path("category/<slug:slug>/", ArticleListView.as_view(), name="category"),
    path("category/<slug:slug>/feed/rss/", CategoryArticlesFeed(), name="category-feed-rss"),
    path("category/<slug:slug>/feed/atom/", CategoryArticlesAtomFeed(), name="category-feed-atom"),
    path("<news_year:year>/", ArticleListView.as_view(), name="year"),
    path("<news_year:year>/<news_month:month>/", ArticleListView.as_view(), name="month"),
    path("<slug:slug>/", ArticleDetailView.as_view(), name="detail"),
]
