"""``manage.py generate_demo_data``: archive-scale demo data for the benchmark (logic in :mod:`cantho.demo_data`)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cantho import demo_data


class Command(BaseCommand):
    help = (
        "Fill the database with realistic, linked demo records (bulk inserts), or reuse the demo data already there. "
        "Refuses a database that holds real records unless --force. With --write-article-files DIR, only writes "
        "--articles article text files for import_articles and touches no database."
    )

    def add_arguments(self, parser):
        defaults = demo_data.Sizes()
        for name in ("articles", "partners", "events", "investments", "agreements", "aid", "years"):
            parser.add_argument(f"--{name}", type=int, default=getattr(defaults, name), metavar="N")
        parser.add_argument("--seed", type=int, default=5, help="random seed: the same seed gives the same data")
        parser.add_argument("--reset", action="store_true", help="delete the existing demo data and generate it again")
        parser.add_argument("--force", action="store_true", help="add demo data even though the database holds real records")
        parser.add_argument("--write-article-files", metavar="DIR", help="write --articles article text files into DIR instead")

    def handle(self, *args, **options):
        sizes = demo_data.Sizes(**{name: options[name] for name in ("articles", "partners", "events", "investments", "agreements", "aid", "years")})
        if min(vars(sizes).values()) < 0 or sizes.years < 1:
            raise CommandError("Sizes must not be negative and --years at least 1.")
        if options["write_article_files"]:
            paths = demo_data.write_article_files(Path(options["write_article_files"]), sizes.articles, seed=options["seed"])
            self.stdout.write(f"Wrote {len(paths)} article files into {options['write_article_files']}.")
            return
        try:
            report = demo_data.generate(sizes, seed=options["seed"], reset=options["reset"], force=options["force"], log=self.stdout.write)
        except demo_data.DemoDataError as exc:
            raise CommandError(str(exc)) from exc
        verb = "Reused the existing demo data" if report.outcome == "reused" else "Generated demo data"
        self.stdout.write(self.style.SUCCESS(f"{verb} in {report.seconds:.1f} s."))
        for table, rows in report.rows.items():
            self.stdout.write(f"  {table:40} {rows:>9}")
        if report.steps:
            self.stdout.write("Then: " + ", ".join(report.steps))
