from django.core.management.base import BaseCommand

from mpro.retention import purge_expired


class Command(BaseCommand):
    help = "Delete every kind of data older than its retention setting (also a daily beat task)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what would go, delete nothing")

    def handle(self, *args, dry_run: bool = False, **options):
        failed = False
        for result in purge_expired(dry_run=dry_run):
            rule = result.rule
            verb = "would delete" if dry_run else "deleted"
            line = f"{rule.key:<24} {rule.setting}={rule.days:<6} {verb} {result.count} older than {result.cutoff:%Y-%m-%d %H:%M}"
            if result.error:
                failed = True
                line += f"  FAILED: {result.error}"
            self.stdout.write(line)
        if failed:
            raise SystemExit(1)
