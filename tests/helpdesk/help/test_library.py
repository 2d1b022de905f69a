"""The shipped articles come in published, related to each other, once; a bad file stops
the import naming the file and the line, with nothing written; an article staff edited
is never overwritten by the files."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core import management
from django.core.management import call_command
from django.core.management.base import CommandError

from dropline.cli import main
from dropline.helpdesk.help import library, publishing
from dropline.helpdesk.help.library import ArticleFileError, import_articles
from dropline.helpdesk.models import Article, ArticleStatus
from tests.support.help import FIXTURE_ARTICLES, article, editor, import_fixture_articles

pytestmark = pytest.mark.django_db

GOOD = """---
title: Pay your bill
summary: Ways to pay.
topic: payments
position: 5
---
Pay on the **Billing** page.
"""


def _folder(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_the_files_come_in_published_with_their_related_articles():
    result = import_fixture_articles()
    assert len(result.created) == 6
    restart = article("restart-your-equipment", "es")
    assert restart.status == ArticleStatus.PUBLISHED
    assert restart.published_title == "Reinicie su módem, router o receptor de TV"
    assert restart.published_at is not None
    assert restart.updated_by is None
    assert [a.slug for a in restart.related.all()] == ["slow-internet"]
    assert {a.language for a in restart.related.all()} == {"es"}


def test_importing_again_changes_nothing():
    import_fixture_articles()
    again = import_fixture_articles()
    assert again.created == []
    assert again.updated == []
    assert Article.objects.count() == 6


def test_a_staff_edit_survives_a_re_import(tmp_path):
    import_fixture_articles()
    restart = article("restart-your-equipment")
    draft = publishing.Draft(
        title="Restart everything",
        summary=restart.summary,
        topic=restart.topic,
        position=restart.position,
        body="Our own words.",
    )
    publishing.save_draft(article_id=restart.pk, draft=draft, by=editor())
    publishing.publish(article_id=restart.pk, by=editor("other"))
    again = import_fixture_articles()
    assert "restart-your-equipment.en" in again.kept
    restart.refresh_from_db()
    assert restart.published_title == "Restart everything"
    assert restart.body == "Our own words."


def test_a_changed_file_updates_an_article_nobody_edited(tmp_path):
    folder = _folder(tmp_path, {"pay-your-bill.en.md": GOOD})
    import_articles(directory=folder)
    (folder / "pay-your-bill.en.md").write_text(GOOD.replace("Ways to pay.", "Four ways."))
    result = import_articles(directory=folder)
    assert result.updated == ["pay-your-bill.en"]
    assert Article.objects.get(slug="pay-your-bill").published_summary == "Four ways."


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("title: x\n---\nBody", 1, "start with a '---'"),
        ("---\ntitle: Pay\nsummary: s\ntopic: payments\n", 4, "no closing"),
        ("---\ntitle: Pay\nsummary: s\ntopic: nowhere\n---\nBody", 4, "unknown topic 'nowhere'"),
        ("---\ntitle: Pay\nsummary: s\ntopic: payments\ncolour: red\n---\nB", 5, "unknown key"),
        ("---\ntitle: Pay\ntitle: Again\nsummary: s\ntopic: payments\n---\nB", 3, "twice"),
        ("---\ntitle: Pay\nsummary: s\ntopic: payments\nposition: ten\n---\nB", 5, "position"),
        ("---\ntitle: Pay\ntopic: payments\n---\nBody", 4, "'summary' is missing"),
        ("---\ntitle: Pay\nsummary: s\ntopic: payments\n---\n\n", 5, "no text"),
        ("---\ntitle: Pay\nsummary: s\ntopic: payments\nno colon here\n---\nB", 5, "key: value"),
        ("---\ntitle: P\nsummary: s\ntopic: payments\nrelated: gone\n---\nB", 5, "'gone'"),
    ],
)
def test_a_bad_file_names_the_file_and_line_and_writes_nothing(tmp_path, text, line, words):
    folder = _folder(tmp_path, {"a-good-one.en.md": GOOD, "pay-your-bill.en.md": text})
    with pytest.raises(ArticleFileError) as bad:
        import_articles(directory=folder)
    assert bad.value.path.name == "pay-your-bill.en.md"
    assert bad.value.line == line
    assert words in bad.value.message
    assert str(bad.value).startswith(f"pay-your-bill.en.md, line {line}: ")
    assert not Article.objects.exists()


@pytest.mark.parametrize("name", ["Pay.en.md", "pay-your-bill.fr.md", "pay-your-bill.md"])
def test_a_badly_named_file_is_refused(tmp_path, name):
    with pytest.raises(ArticleFileError):
        import_articles(directory=_folder(tmp_path, {name: GOOD}))


def test_the_command_reports_the_bad_file_and_line(tmp_path, monkeypatch):
    folder = _folder(tmp_path, {"pay-your-bill.en.md": GOOD.replace("payments", "nowhere")})
    monkeypatch.setattr(library, "ARTICLES", folder)
    with pytest.raises(CommandError) as bad:
        call_command("help-center", "import-articles")
    assert "pay-your-bill.en.md, line 4: unknown topic 'nowhere'" in str(bad.value)


def test_dropline_help_import_articles_imports(monkeypatch, capsys):
    monkeypatch.setattr(library, "ARTICLES", FIXTURE_ARTICLES)
    # The command line's own runner closes the test's connection when done: run the
    # command it is given here instead.
    monkeypatch.setattr(
        management, "execute_from_command_line", lambda argv: call_command(*argv[1:])
    )
    main(["help", "import-articles"])
    assert "6 created, 0 updated" in capsys.readouterr().out
    assert Article.objects.filter(status=ArticleStatus.PUBLISHED).count() == 6
