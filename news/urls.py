from django.urls import path

from cantho.views import PublishedDetailView
from news.models import Article

app_name = "news"
urlpatterns = [
    path("<slug:slug>/", PublishedDetailView.as_view(model=Article), name="article"),
]
