"""The help centre's search index, one per database:

- SQLite: an FTS5 table of each published article's title, summary and plain text, with
  its language and id unindexed; ``helpdesk.help.indexing`` writes it when an article is
  published or withdrawn (no trigger).
- PostgreSQL: a GIN expression index per language over the published columns, with the
  language's text-search configuration and accents folded; ``helpdesk.help.search``
  queries the same expression word for word.

The expressions are written out here, as a migration must not change with the code.
"""

from django.db import migrations

ACCENTED = "ÁÉÍÓÚÜáéíóúü"
PLAIN = "AEIOUUaeiouu"
LANGUAGES = {"en": "english", "es": "spanish"}


def _vector(config: str) -> str:
    def folded(column: str) -> str:
        return f"translate(coalesce({column}, ''), '{ACCENTED}', '{PLAIN}')"

    return " || ".join(
        f"setweight(to_tsvector('{config}'::regconfig, {folded(column)}), '{weight}')"
        for column, weight in (
            ("published_title", "A"),
            ("published_summary", "B"),
            ("published_body", "D"),
        )
    )


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE helpdesk_article_search USING fts5("
            "title, summary, body, language UNINDEXED, article_id UNINDEXED, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
    elif vendor == "postgresql":
        for language, config in LANGUAGES.items():
            schema_editor.execute(
                f"CREATE INDEX helpdesk_article_search_{language} ON helpdesk_article "
                f"USING gin (({_vector(config)})) WHERE language = '{language}'"
            )


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS helpdesk_article_search")
    elif vendor == "postgresql":
        for language in LANGUAGES:
            schema_editor.execute(f"DROP INDEX IF EXISTS helpdesk_article_search_{language}")


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
