"""PostgreSQL: the admin list's indexes sort undated articles last, as the list now does on every database
(cantho.admin.RecordChangeList; news/indexes.py)."""

from django.db import migrations

from cantho.dbops import index_drops, vendor_sql
from news.indexes import ADMIN_LIST

BEFORE = (
    "CREATE INDEX IF NOT EXISTS news_article_status_dateline_id ON news_article (status, dateline, id)",
    "CREATE INDEX IF NOT EXISTS news_article_dateline_id ON news_article (dateline, id)",
)


class Migration(migrations.Migration):
    dependencies = [("news", "0006_lighter_indexes")]

    operations = [
        vendor_sql({"postgresql": index_drops(BEFORE)}, {"postgresql": list(BEFORE)}),
        ADMIN_LIST.operation(),
    ]
