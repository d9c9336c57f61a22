"""``python manage.py publish_scheduled``: report scheduled records; nothing needs it to run.

A record published with a future ``published_at`` appears on the public site by
itself at that moment: the one publish rule compares with the current time
(:meth:`cantho.models.RecordQuerySet.published`). This command only tells staff
(or a cron mail) what is scheduled, and with ``--since`` what appeared lately.
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand
from django.utils import formats, timezone

from cantho.models import Status
from cantho.publishing import record_models


class Command(BaseCommand):
    help = "List the records scheduled to appear on the public site, and (with --since HOURS) those that appeared in the last HOURS. Changes nothing."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--since", type=int, default=0, metavar="HOURS", help="Also list records whose scheduled time passed in the last HOURS hours.")

    def handle(self, *args, since: int = 0, **options) -> None:
        now = timezone.now()
        upcoming, appeared = [], []
        for model in record_models():
            live = model._base_manager.filter(status=Status.PUBLISHED, deleted_at__isnull=True)
            upcoming += [(record.published_at, model, record) for record in live.filter(published_at__gt=now)]
            if since:
                window = live.filter(published_at__lte=now, published_at__gt=now - datetime.timedelta(hours=since))
                appeared += [(record.published_at, model, record) for record in window]
        for title, rows in (("scheduled", upcoming), (f"appeared in the last {since} hours", appeared if since else None)):
            if rows is None:
                continue
            self.stdout.write(f"{len(rows)} record(s) {title}:")
            for moment, model, record in sorted(rows, key=lambda row: row[0]):
                when = formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
                self.stdout.write(f"  {when}  {model._meta.verbose_name}: {record}")
