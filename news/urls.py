from django.urls import path
from django.views.generic import TemplateView

from cantho.views import PublishedDetailView, PublishedListView
from news.models import Article

app_name = "news"
urlpatterns = [
    path("", PublishedListView.as_view(model=Article, filterset_fields=["category"], template_name="record_list.html"), name="list"),
    path("feed/rss/", TemplateView.as_view(template_name="record_list.html"), name="feed-rss"),
    path("feed/atom/", TemplateView.as_view(template_name="record_list.html"), name="feed-atom"),
    path("<slug:slug>/", PublishedDetailView.as_view(model=Article), name="detail"),
]
