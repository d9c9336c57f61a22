from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from cantho.views import HomeView, healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
]

urlpatterns += i18n_patterns(
    path("", HomeView.as_view(), name="home"),
    path("admin/", admin.site.urls),
    path("partners/", include("partners.urls")),
    path("events/", include("events.urls")),
    path("investments/", include("investments.urls")),
    path("news/", include("news.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
