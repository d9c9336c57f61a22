"""/api/: the read-only JSON API, its OpenAPI schema and its documentation page (outside the language prefix)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.routers import SimpleRouter

from api import views
from api.docs import ApiDocsView

app_name = "api"

router = SimpleRouter()
router.register("partners", views.PartnerViewSet, basename="partner")
router.register("countries", views.CountryViewSet, basename="country")
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("events", views.EventViewSet, basename="event")
router.register("investments", views.InvestmentViewSet, basename="investment")
router.register("aid-projects", views.AidProjectViewSet, basename="aid-project")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("articles", views.ArticleViewSet, basename="article")

urlpatterns = [
    path("schema/", SpectacularJSONAPIView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(), name="docs"),
    path("", include(router.urls)),
]
