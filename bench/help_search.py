"""How fast the help centre answers a search, against the bare ranked match.

    .venv/bin/python -m bench.help_search
    .venv/bin/python -m bench.help_search --database-url postgres://postgres@127.0.0.1:5432/postgres

The benchmark starts from a fresh database (SQLite in a temporary directory, or a
throwaway database on the PostgreSQL server ``--database-url`` names, dropped at the
end), runs ``migrate`` (which builds the search index: FTS5 on SQLite, GIN expression
indexes on PostgreSQL) and imports the shipped articles with ``import_articles``, as
``dropline help import-articles`` does.

Timed: ``search(query=..., language=...)`` for every search in
``tests/support/help_queries.py`` (what customers type, in English and Spanish), round
after round: the words taken from the query, the ranked match, the snippets with the
matched words marked, the articles read back.

The **floor**, measured in the same run on the same database and queries: the ranked
match alone, the same SQL without snippets or anything after it (SQLite: the FTS5 MATCH
ordered by the same bm25 weights; PostgreSQL: the stored vectors' indexed ``@@``
ordered by ``ts_rank``), with the match expression built beforehand. The ratio says how many
times the floor a search costs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable

from bench import notify_fanout
from bench.databases import throwaway_postgres


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=20, help="times every query runs")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "")
        if os.environ.get("DATABASE_URL", "").startswith("postgres")
        else "",
        help="a PostgreSQL server URL (a throwaway database is made on it); SQLite if empty",
    )
    return parser.parse_args(argv)


def floor_query(found: list[str], language: str) -> tuple[str, list[str]]:
    """The ranked match alone, as ``search`` runs it, without snippets."""
    from django.db import connection

    from dropline.helpdesk.help import indexing, search

    if connection.vendor == "sqlite":
        table = indexing.TABLE
        title, summary, body = search.WEIGHTS
        return (
            f"SELECT article_id FROM {table} WHERE {table} MATCH %s AND language = %s"  # noqa: S608
            f" ORDER BY bm25({table}, {title}, {summary}, {body}, 0.0, 0.0) LIMIT 10",
            [search.match_expression(found, language), language],
        )
    config = search.CONFIGS[language]
    table = indexing.TABLE
    return (
        f"SELECT article_id FROM {table}, to_tsquery('{config}'::regconfig, %s) AS q"  # noqa: S608
        " WHERE language = %s AND vector @@ q ORDER BY ts_rank(vector, q) DESC, article_id"
        " LIMIT 10",
        [search.tsquery_text(found, language), language],
    )


def timed(rounds: int, one: Callable[[int], int]) -> tuple[float, int]:
    """Seconds per query (the median round's) and the hits seen in the last round."""
    per_round: list[float] = []
    hits = 0
    for _ in range(rounds):
        started = time.perf_counter()
        hits = one(0)
        per_round.append(time.perf_counter() - started)
    return statistics.median(per_round), hits


def run(args: argparse.Namespace, database: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from dropline.helpdesk.help import search, words
    from dropline.helpdesk.help.library import import_articles
    from tests.support.help_queries import QUERIES

    call_command("migrate", verbosity=0)
    result = import_articles()
    print(f"{database}: {result.total} articles, {len(QUERIES)} searches x {args.rounds} rounds")

    def searches(_: int) -> int:
        return sum(len(search.search(query=q, language=lang)) for lang, q, _slug in QUERIES)

    prepared = [floor_query(words.terms(q, lang), lang) for lang, q, _slug in QUERIES]

    def floor(_: int) -> int:
        seen = 0
        with connection.cursor() as cursor:
            for sql, params in prepared:
                cursor.execute(sql, params)
                seen += len(cursor.fetchall())
        return seen

    searches(0)  # warm: the first query of a connection pays for the index's pages
    floor(0)
    product, product_hits = timed(args.rounds, searches)
    bare, bare_hits = timed(args.rounds, floor)
    count = len(QUERIES)
    print(f"  search():          {product / count * 1000:7.3f} ms a query ({product_hits} hits)")
    print(f"  floor (match only): {bare / count * 1000:7.3f} ms a query ({bare_hits} hits)")
    print(f"  ratio: {product / bare:.1f}x the floor")


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.rounds < 1:
        raise SystemExit("--rounds must be at least 1")
    with tempfile.TemporaryDirectory(prefix="dropline-bench-") as var_dir:
        if not args.database_url:
            notify_fanout.configure(var_dir, f"sqlite:///{var_dir}/bench.sqlite3")
            run(args, "SQLite")
            return
        with throwaway_postgres(args.database_url, "dropline_bench_help") as url:
            notify_fanout.configure(var_dir, url)
            run(args, "PostgreSQL")


if __name__ == "__main__":
    main(sys.argv[1:])
