"""URLs of /investments/ (and /en/investments/)."""

from django.urls import path

from investments import views

app_name = "investments"
urlpatterns = [
    path("", views.InvestmentListView.as_view(), name="list"),
    path("<slug:slug>/", views.InvestmentDetailView.as_view(), name="detail"),
]
