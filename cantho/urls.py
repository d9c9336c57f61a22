from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from cantho.public_views import HomeView, MetricStatisticsView, SearchView, StatisticsView
from cantho.sitemaps import SITEMAPS
from cantho.views import healthz, robots_txt

# A lost database anywhere in the request answers the friendly 503 page (cantho/middleware.py).
handler500 = "cantho.middleware.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots"),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"}, name="sitemap"),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap-section"),
    path("api/", include("api.urls")),  # outside the language prefix: ?lang=en
]

urlpatterns += i18n_patterns(
    path("", HomeView.as_view(), name="home"),
    path("admin/", admin.site.urls),
    path("partners/", include("partners.urls")),
    path("countries/", include("partners.urls_countries")),
    path("agreements/", include("partners.urls_agreements")),
    path("events/", include("events.urls")),
    path("investments/", include("investments.urls")),
    path("aid/", include("investments.urls_aid")),
    path("news/", include("news.urls")),
    path("statistics/", StatisticsView.as_view(), name="statistics"),
    path("statistics/<slug:slug>/", MetricStatisticsView.as_view(), name="statistics-metric"),
    path("search/", SearchView.as_view(), name="search"),
    path("preview/", include("cantho.preview")),
    prefix_default_language=False,
)

if settings.BENCH_ENDPOINTS:
    urlpatterns += [path("", include("cantho.bench"))]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
