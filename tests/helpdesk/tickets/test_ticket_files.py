"""A ticket's files follow the dispute rules (by content, 10 MB, a limit per message and
per ticket); a refused file leaves no ticket, no message, no row and no file."""

import pytest

from dropline.helpdesk.errors import SupportError
from dropline.helpdesk.models import Ticket, TicketAttachment, TicketMessage
from dropline.helpdesk.tickets.files import MAX_FILES_PER_MESSAGE, MAX_FILES_PER_TICKET
from dropline.helpdesk.tickets.replying import customer_reply, staff_reply
from tests.support.disputes import a_pdf, a_png, files_under, png_bytes, upload
from tests.support.tickets import a_ticket, agent, customer

pytestmark = pytest.mark.django_db


def test_a_file_refused_by_content_leaves_nothing(uploads):
    who = customer()
    with pytest.raises(SupportError) as refused:
        a_ticket(who, files=[a_pdf("fine.pdf"), upload("invoice.pdf", b"MZ\x90\x00 not a pdf")])
    assert refused.value.code == "file_type"
    assert refused.value.field == "files"
    assert "invoice.pdf" in refused.value.message
    assert not Ticket.objects.exists()
    assert not TicketAttachment.objects.exists()
    assert files_under(uploads) == []


def test_a_reply_with_a_bad_file_is_not_written(uploads):
    who = customer()
    ticket = a_ticket(who, files=[a_png()])
    with pytest.raises(SupportError):
        customer_reply(
            account=who.account,
            person=who.user,
            ticket_id=ticket.pk,
            body="Here is a photo",
            files=[upload("photo.jpg", png_bytes(), "image/jpeg")],
        )
    assert TicketMessage.objects.filter(ticket=ticket).count() == 1
    assert len(files_under(uploads)) == 1


def test_limits_per_message_and_per_ticket(uploads):
    who = customer()
    staff = agent()
    with pytest.raises(SupportError) as one_message:
        a_ticket(who, files=[a_pdf(f"{n}.pdf") for n in range(MAX_FILES_PER_MESSAGE + 1)])
    assert one_message.value.code == "too_many_files"
    ticket = a_ticket(who, files=[a_pdf(f"{n}.pdf") for n in range(MAX_FILES_PER_MESSAGE)])
    staff_reply(
        ticket_id=ticket.pk,
        by=staff,
        body="Our photos",
        files=[a_png(f"{n}.png") for n in range(MAX_FILES_PER_TICKET - MAX_FILES_PER_MESSAGE)],
    )
    with pytest.raises(SupportError) as full:
        customer_reply(
            account=who.account,
            person=who.user,
            ticket_id=ticket.pk,
            body="One more",
            files=[a_pdf()],
        )
    assert full.value.code == "too_many_files"
    assert "at most 10 files" in full.value.message
    assert TicketAttachment.objects.count() == MAX_FILES_PER_TICKET
    assert len(files_under(uploads)) == MAX_FILES_PER_TICKET
