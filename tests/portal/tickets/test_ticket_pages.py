"""The customer's support request pages: asking for help (pre-filled from a link), the
list with open requests first, the thread without staff's internal notes, replies with
files checked by content, closing, rating once, and downloads only of their own files."""

import re

import pytest
from django.urls import reverse

from dropline.helpdesk.models import Ticket, TicketAttachment, TicketStatus
from dropline.helpdesk.tickets.closing import staff_close
from dropline.helpdesk.tickets.desk import merge
from dropline.helpdesk.tickets.replying import add_note, staff_reply
from tests.support.disputes import a_pdf, files_under, png_bytes, upload
from tests.support.tickets import SECRET_NOTE, a_ticket, agent, answered_with_note, customer

pytestmark = pytest.mark.django_db


def text(response) -> str:
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


@pytest.fixture
def who(client):
    found = customer()
    client.force_login(found.user)
    return found


def test_the_new_request_form_is_prefilled_from_the_link(client, who):
    page = client.get(reverse("tickets:new") + "?category=tv&subject=No+picture+on+TV")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<option value="tv" selected>' in html
    assert 'value="No picture on TV"' in html
    ignored = client.get(reverse("tickets:new") + "?category=plumbing").content.decode()
    assert '<option value="" selected>' in ignored


def test_asking_for_help_with_a_file(client, who, uploads):
    response = client.post(
        reverse("tickets:new"),
        {
            "category": "internet",
            "subject": "Slow in the evening",
            "description": "Speed drops to 5 Mbps after 7 p.m.",
            "attachments": [a_pdf("speed.pdf")],
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:detail", args=[ticket.pk])
    page = text(client.get(response["Location"]))
    assert ticket.number in page
    assert "Waiting for us" in page
    assert "We answer by" in page
    assert "speed.pdf" in page
    assert len(files_under(uploads)) == 1


def test_a_refused_request_names_the_field_and_keeps_nothing(client, who, uploads):
    response = client.post(
        reverse("tickets:new"),
        {
            "category": "internet",
            "subject": "Here is my bill",
            "description": "See the file",
            "attachments": [upload("bill.pdf", png_bytes()[:20] + b"junk", "application/pdf")],
        },
    )
    assert response.status_code == 400
    assert "bill.pdf is not a PDF, PNG or JPEG file" in text(response)
    assert not Ticket.objects.exists()
    assert files_under(uploads) == []
    empty = client.post(reverse("tickets:new"), {"category": "", "subject": "", "description": ""})
    assert empty.status_code == 400
    assert 'id="id_category_error"' in empty.content.decode()
    assert 'id="id_subject_error"' in empty.content.decode()
    assert not Ticket.objects.exists()


def test_the_list_puts_open_requests_first_with_their_status_in_words(client, who):
    done = a_ticket(who, subject="Old bill question", category="billing")
    staff = agent()
    staff_close(ticket_id=done.pk, by=staff)
    waiting = a_ticket(who, subject="Modem blinking orange")
    page = text(client.get(reverse("tickets:index")))
    assert page.index("Modem blinking orange") < page.index("Old bill question")
    assert (
        page.index("Open requests") < page.index("Modem blinking") < page.index("Closed requests")
    )
    assert "Waiting for us" in page
    assert "Closed" in page
    assert waiting.number in page


def test_the_thread_never_shows_an_internal_note(client, who):
    ticket = answered_with_note(who, agent())
    page = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
    assert "We reset your line" in page
    assert "Waiting for you" in page
    assert "firmware" not in page
    assert SECRET_NOTE not in page


def test_replying_closing_and_rating(client, who):
    ticket = answered_with_note(who, agent())
    url = reverse("tickets:detail", args=[ticket.pk])
    reply = client.post(reverse("tickets:reply", args=[ticket.pk]), {"body": "Works now, thanks"})
    assert reply.status_code == 302
    assert "Works now, thanks" in text(client.get(url))
    empty = client.post(reverse("tickets:reply", args=[ticket.pk]), {"body": "  "})
    assert empty.status_code == 400
    assert ticket.messages.filter(internal=False).count() == 3
    assert "Rate our help" not in text(client.get(url))
    client.post(reverse("tickets:close", args=[ticket.pk]))
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED
    page = text(client.get(url))
    assert "Rate our help" in page
    assert "Close this request" not in page
    bad = client.post(reverse("tickets:rate", args=[ticket.pk]), {"rating": "9"})
    assert bad.status_code == 400
    client.post(reverse("tickets:rate", args=[ticket.pk]), {"rating": "5", "comment": "Fast"})
    ticket.refresh_from_db()
    assert (ticket.rating, ticket.rating_comment) == (5, "Fast")
    page = text(client.get(url))
    assert "You rated our help 5 stars out of 5" in page
    assert "Rate our help" not in page


def test_files_download_only_for_their_account(client, who, uploads):
    ours = a_ticket(who, files=[a_pdf("ours.pdf")])
    other = customer("chen")
    theirs = a_ticket(other, files=[a_pdf("theirs.pdf")])
    mine = TicketAttachment.objects.get(ticket=ours)
    download = client.get(reverse("tickets:attachment", args=[ours.pk, mine.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    their_file = TicketAttachment.objects.get(ticket=theirs)
    assert (
        client.get(reverse("tickets:attachment", args=[theirs.pk, their_file.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("tickets:attachment", args=[ours.pk, their_file.pk])).status_code == 404
    )
    assert client.get(reverse("tickets:detail", args=[theirs.pk])).status_code == 404
    assert (
        client.post(reverse("tickets:reply", args=[theirs.pk]), {"body": "hi"}).status_code == 404
    )
    assert theirs.messages.count() == 1


def test_the_page_polls_for_news_and_works_without_the_script(client, who):
    ticket = a_ticket(who)
    page = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
    updates = reverse("tickets:updates", args=[ticket.pk])
    assert f'data-updates-url="{updates}"' in page
    assert 'data-messages="1"' in page
    assert "Check for new messages" in page
    assert client.get(updates).json() == {
        "messages": 1,
        "status": "open",
        "status_label": "Waiting for us",
    }
    staff = agent()
    add_note(ticket_id=ticket.pk, by=staff, body="Internal only")
    assert client.get(updates).json()["messages"] == 1, "a note is no news to the customer"
    staff_reply(ticket_id=ticket.pk, by=staff, body="Answered")
    assert client.get(updates).json()["messages"] == 2
    other = customer("chen")
    assert client.get(reverse("tickets:updates", args=[a_ticket(other).pk])).status_code == 404


def test_a_merged_request_stays_readable_and_points_at_its_target(client, who):
    target = a_ticket(who, subject="No internet")
    duplicate = a_ticket(who, subject="Internet down again")
    merge(ticket_id=duplicate.pk, into_ticket_id=target.pk, by=agent())
    page = text(client.get(reverse("tickets:detail", args=[duplicate.pk])))
    assert "Merged" in page
    assert f"We answer this request together with {target.number}" in page
    assert "Since Monday the connection drops around 8 p.m." in page
    assert "Write to us" not in page
    assert "Close this request" not in page
    html = client.get(reverse("tickets:detail", args=[duplicate.pk])).content.decode()
    assert reverse("tickets:detail", args=[target.pk]) in html
    into = text(client.get(reverse("tickets:detail", args=[target.pk])))
    assert f"We merged your request {duplicate.number}" in into
