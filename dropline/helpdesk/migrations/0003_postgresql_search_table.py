"""On PostgreSQL the help centre's search index becomes a table written by publishing, as
SQLite's FTS5 table is: each published article's language, plain text and its weighted,
accent-folded text-search vector, with a GIN index on the vector. Ranking then reads the
stored vector instead of computing every candidate's from the article at query time, and
snippets come from the stored plain text. The expression indexes of 0002 go.

Articles already published are indexed here from their Markdown as it is; the next
publish or ``import-articles`` writes their plain text. The SQL is written out, as a
migration must not change with the code.
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
    if schema_editor.connection.vendor != "postgresql":
        return
    for language in LANGUAGES:
        schema_editor.execute(f"DROP INDEX IF EXISTS helpdesk_article_search_{language}")
    schema_editor.execute(
        "CREATE TABLE helpdesk_article_search ("
        "article_id integer PRIMARY KEY, language varchar(8) NOT NULL, "
        "body text NOT NULL, vector tsvector NOT NULL)"
    )
    schema_editor.execute(
        "CREATE INDEX helpdesk_article_search_vector ON helpdesk_article_search USING gin (vector)"
    )
    for language, config in LANGUAGES.items():
        schema_editor.execute(
            "INSERT INTO helpdesk_article_search (article_id, language, body, vector) "  # noqa: S608 (constants)
            f"SELECT id, language, published_body, {_vector(config)} FROM helpdesk_article "
            f"WHERE status = 'published' AND language = '{language}'"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TABLE IF EXISTS helpdesk_article_search")
    for language, config in LANGUAGES.items():
        schema_editor.execute(
            f"CREATE INDEX helpdesk_article_search_{language} ON helpdesk_article "
            f"USING gin (({_vector(config)})) WHERE language = '{language}'"
        )


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0002_help_search")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
