# ruff: noqa: N999 - the command is named as the product documents it
"""``dropline help-center import-articles`` (also spelled ``dropline help
import-articles``): bring the shipped help articles into the database. A bad file
stops it, naming the file and the line; nothing is written then."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dropline.helpdesk.help import library


class Command(BaseCommand):
    help = "Import the help articles shipped with Dropline."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "import-articles",
            help="create missing articles published; update ones staff never edited",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = library.import_articles()
        except library.ArticleFileError as bad:
            raise CommandError(f"{bad.path}, line {bad.line}: {bad.message}") from bad
        self.stdout.write(
            f"{len(result.created)} created, {len(result.updated)} updated, "
            f"{len(result.kept)} kept as staff edited them."
        )
