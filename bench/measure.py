"""In-process side of ``make bench``: resolves the benchmark URLs from the data and counts SQL per request.

Run by ``bench/run.py`` as ``python -m bench.measure`` with the same environment as
the gunicorn server (DATABASE_URL, PAGE_CACHE, CACHE_URL …); prints one JSON object.
Each URL is requested once to warm up, then once more with Django's test client
inside ``CaptureQueriesContext``: the number of SQL queries, their total time, the
response size and status.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.parse


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cantho.settings")
    import django

    django.setup()


def bench_session() -> str:
    """A session key of the bench superuser, for requesting the admin changelist with wrk."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    User = get_user_model()
    user = User.objects.filter(username="bench").first()
    if user is None:
        user = User.objects.create_superuser("bench", "bench@example.invalid", None)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client.cookies["sessionid"].value


def resolve_urls() -> list[dict]:
    """The issue's list of URLs, taken from the data in the database."""
    from django.db.models import Count
    from django.templatetags.static import static
    from django.utils import timezone

    from investments.models import Investment
    from news.models import Article
    from partners.models import Partner

    now = timezone.localtime()
    article = Article.objects.published().filter(dateline__isnull=False).archive_order()[100:101].first()
    years = sorted(y for y, _ in Article.objects.published().year_counts())
    year = years[len(years) // 2] if years else now.year
    country = Partner.objects.published().exclude(country="").values("country").annotate(n=Count("pk")).order_by("-n", "country").first()
    pair = (
        Investment.objects.published()
        .exclude(country="")
        .filter(sector__isnull=False)
        .values("country", "sector__slug")
        .annotate(n=Count("pk"))
        .order_by("-n", "country")
        .first()
    )
    month_year, month = (now.year, now.month - 1) if now.month > 1 else (now.year - 1, 12)
    q = urllib.parse.quote_plus
    urls = [
        ("home", "/"),
        ("news archive page 1", "/news/"),
        ("news archive page 2500", "/news/?page=2500"),
        ("article", f"/news/{article.slug}/" if article else "/news/"),
        ("year archive", f"/news/{year}/"),
        ("partners by country", f"/partners/?country={country['country'] if country else 'JP'}"),
        (
            "investments by country+sector, by capital",
            f"/investments/?country={pair['country']}&sector={pair['sector__slug']}&sort=-capital" if pair else "/investments/?sort=-capital",
        ),
        ("events month", f"/events/calendar/{month_year}/{month}/"),
        ("statistics", "/statistics/"),
        ("search hop tac nhat ban", "/search/?q=" + q("hop tac nhat ban")),
        ("search đầu tư", "/search/?q=" + q("đầu tư")),
        ("rss feed", "/news/feed/rss/"),
        ("admin article changelist", "/admin/news/article/"),
        ("hello world (ceiling)", "/bench/hello"),
        ("static file", static("css/site.css")),
    ]
    return [{"name": name, "path": path, "admin": path.startswith("/admin/")} for name, path in urls]


def measure(urls: list[dict]) -> list[dict]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    anonymous = Client(HTTP_HOST="127.0.0.1")
    staff = Client(HTTP_HOST="127.0.0.1")
    staff.force_login(get_user_model().objects.get(username="bench"))
    results = []
    for url in urls:
        client = staff if url["admin"] else anonymous
        client.get(url["path"])  # warm-up (and, with the page cache on, fills it)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url["path"])
            body = b"".join(response.streaming_content) if response.streaming else response.content
        results.append(
            {
                "name": url["name"],
                "path": url["path"],
                "status": response.status_code,
                "content_type": response.get("Content-Type", ""),
                "queries": len(ctx.captured_queries),
                "sql_ms": round(sum(float(q["time"]) for q in ctx.captured_queries) * 1000, 2),
                "bytes": len(body),
            }
        )
    return results


def csv_export_answers() -> bool:
    from django.test import Client

    response = Client(HTTP_HOST="127.0.0.1").head("/news/?format=csv")
    return response.status_code == 200 and response.get("Content-Type", "").startswith("text/csv")


def versions() -> dict:
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("select sqlite_version()")
        db_version = cursor.fetchone()[0]
    return {"django": django.get_version(), "database": f"{connection.vendor} {db_version}"}


def cleanup_import(prefix: str) -> int:
    """Delete the articles the import benchmark created (files named ``prefix…``), with what hangs on them."""
    from news.models import Article, ArticlePhoto, FactSuggestion

    articles = Article._base_manager.filter(source_file__startswith=prefix, seed_key__isnull=True)
    for model in (ArticlePhoto, FactSuggestion):
        qs = model._base_manager.filter(article__in=articles)
        qs._raw_delete(qs.db)
    history = Article.history.model._base_manager.filter(source_file__startswith=prefix)
    history._raw_delete(history.db)
    qs = Article._base_manager.filter(pk__in=list(articles.values_list("pk", flat=True)))
    return qs._raw_delete(qs.db) or 0


def main(argv: list[str]) -> None:
    setup()
    command = argv[0] if argv else "measure"
    if command == "cleanup-import":
        print(json.dumps({"deleted": cleanup_import(argv[1])}))
        return
    from django.conf import settings

    session = bench_session()
    urls = resolve_urls()
    result = {"session": session, "csv_export": csv_export_answers(), "versions": versions(), "page_cache": hasattr(settings, "PAGE_CACHE")}
    if command != "resolve":
        result["urls"] = measure(urls)
    else:
        result["urls"] = urls
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
