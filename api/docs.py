"""The interactive API documentation (Swagger UI), served from this site only: no CDN, no cookie."""

from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocsView(SpectacularSwaggerSplitView):
    """/api/docs/: Swagger UI from drf-spectacular-sidecar's vendored files, reading /api/schema/.

    The split view loads its start-up script from ``?script`` rather than inline;
    that script (``api/swagger_ui.js``) sends no CSRF token, so the page sets no
    cookie and can be cached like any public page.
    """

    url_name = "api:schema"
    template_name_js = "api/swagger_ui.js"
    authentication_classes: list = []
