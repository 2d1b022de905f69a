"""What staff read instead of the codes stored in the records: audit actions, message
events, ledger books and transaction kinds in words, in the staff member's language. A
code not listed here is shown as words made from the code, never as the code itself."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dropline.ledger.models import Book, TransactionKind

AUDIT_ACTIONS: dict[str, Promise] = {
    "customer.viewed": _("Opened the account"),
    "customer_note.added": _("Added a note"),
    "account.claimed": _("Claimed the account online"),
    "invitation_code.created": _("Made an invitation code"),
    "invitation_code.revoked": _("Revoked an invitation code"),
    "invitation.sent": _("Sent an invitation"),
    "invitation.revoked": _("Revoked an invitation"),
    "member.removed": _("Removed a person from the account"),
    "member.service_changes_allowed": _("Let an authorized user change services"),
    "member.service_changes_disallowed": _("Stopped an authorized user changing services"),
    "announcement.created": _("Wrote an announcement"),
    "announcement.sent": _("Sent an announcement"),
    "announcement.resolved": _("Resolved an announcement"),
    "security_events.searched": _("Searched security events"),
    "billing.charge_entered": _("Entered a one-time charge"),
    "billing.credit_entered": _("Entered a credit"),
    "billing.invoice_voided": _("Voided an invoice"),
    "billing.invoice_reissued": _("Re-issued an invoice"),
    "billing.tax_rate_added": _("Added a tax or fee rate"),
    "billing.bill_run_started": _("Started a bill run"),
    "catalog.price_scheduled": _("Scheduled a new catalog price"),
    "catalog.price_canceled": _("Canceled a scheduled catalog price"),
    "catalog.price_took_effect": _("A scheduled catalog price took effect"),
    "catalog.price_applied": _("Applied a new price to subscribers"),
    "catalog.plan_created": _("Added a plan"),
    "catalog.plan_changed": _("Changed a plan"),
    "catalog.plan_areas_changed": _("Changed where a plan is sold"),
    "catalog.plan_line_up_changed": _("Changed the channels of a plan"),
    "catalog.add_on_line_up_changed": _("Changed the channels of an add-on"),
    "catalog.promotion_created": _("Added a promotion"),
    "catalog.promotion_changed": _("Changed a promotion"),
    "catalog.channel_created": _("Added a channel"),
    "catalog.channel_changed": _("Changed a channel"),
    "catalog.add_on_created": _("Added an add-on"),
    "catalog.add_on_changed": _("Changed an add-on"),
    "catalog.equipment_model_created": _("Added an equipment model"),
    "catalog.equipment_model_changed": _("Changed an equipment model"),
    "catalog.label_created": _("Added a broadband facts label"),
    "catalog.label_changed": _("Changed a broadband facts label"),
    "catalog.bundle_created": _("Added a bundle"),
    "catalog.bundle_changed": _("Changed a bundle"),
    "order.placed": _("Placed a plan or add-on change"),
    "order.cancelled": _("Canceled a plan or add-on change"),
    # Payments
    "payment.sent": _("Sent a payment to the gateway"),
    "payment.answered": _("The gateway answered a payment"),
    "payment.event": _("A gateway event changed a payment"),
    "payment.refund": _("Refunded a payment"),
    "payment.scheduled": _("Scheduled a payment"),
    "payment.schedule_cancelled": _("Canceled a scheduled payment"),
    "payment_method.added": _("Saved a payment method"),
    "payment_method.removed": _("Removed a payment method"),
    "payment_method.default": _("Chose the default payment method"),
    # Autopay, extensions and dunning
    "payments.autopay_enrolled": _("Turned on autopay"),
    "payments.autopay_method_changed": _("Changed the autopay method"),
    "payments.autopay_cancelled": _("Turned off autopay"),
    "payments.extension_given": _("Gave more time to pay a bill"),
    "billing.account_discount_given": _("Gave an account discount"),
    "billing.account_discount_ended": _("Ended an account discount"),
    "subscriptions.services_suspended": _("Suspended the services"),
    "subscriptions.services_restored": _("Restored the services"),
    "dispute.opened": _("Disputed a charge"),
    "dispute.message_added": _("Wrote in a dispute"),
    "dispute.note_added": _("Added an internal note to a dispute"),
    "dispute.assigned": _("Assigned a dispute"),
    "dispute.credited": _("Resolved a dispute with a credit"),
    "dispute.rejected": _("Rejected a dispute"),
    "dispute.withdrawn": _("Withdrew a dispute"),
    "ticket.replied": _("Replied to a support request"),
    "ticket.note_added": _("Added an internal note to a support request"),
    "ticket.assigned": _("Assigned a support request"),
    "ticket.merged": _("Merged a support request into another"),
    "ticket.closed": _("Closed a support request"),
    "ticket.escalated": _("Booked a technician visit for a support request"),
    "usage.data_credited": _("Credited data"),
    "usage.radius_username_set": _("Set a service's RADIUS username"),
    "usage.collector_added": _("Added a usage collector"),
    "usage.collector_revoked": _("Revoked a usage collector"),
    "announcement.rescheduled": _("Moved an announcement's end"),
    "outage.declared": _("Declared an outage or maintenance"),
    "outage.updated": _("Posted an outage update"),
    "outage.resolved": _("Resolved an outage"),
    "outage.canceled": _("Canceled a maintenance"),
    "equipment.restarted": _("Restarted a device"),
    "equipment.wifi_changed": _("Changed a device's Wi-Fi"),
    "equipment.linked": _("Linked a device to device management"),
    "saved_reply.added": _("Added a saved reply"),
    "saved_reply.changed": _("Changed a saved reply"),
    "saved_reply.retired": _("Retired a saved reply"),
    "service_level.changed": _("Changed a ticket service level"),
    "appointment.booked": _("Booked a technician visit"),
    "appointment.rescheduled": _("Rescheduled a technician visit"),
    "appointment.canceled": _("Canceled a technician visit"),
    "appointment.assigned": _("Assigned a technician visit"),
    "appointment.on_the_way": _("Marked a technician on the way"),
    "appointment.arrived": _("Marked a technician arrived"),
    "appointment.completed": _("Marked a technician visit completed"),
    "appointment.missed": _("Marked a technician visit missed"),
    "field.template_added": _("Added a weekly visit window"),
    "field.template_changed": _("Changed a weekly visit window"),
    "field.template_removed": _("Removed a weekly visit window"),
    "field.exception_added": _("Added a visit capacity exception"),
    "field.exception_removed": _("Removed a visit capacity exception"),
    "field.technician_added": _("Added a technician"),
    "field.technician_changed": _("Changed a technician"),
}

MESSAGE_EVENTS: dict[str, Promise] = {
    "account.password_reset_code": _("Password reset code"),
    "account.username_reminder": _("Username reminder"),
    "announcement.notice": _("Outage or maintenance notice"),
    "announcement.resolved": _("Outage or maintenance resolved"),
    "outage.update": _("Outage update, to those who asked"),
    "outage.resolved": _("Outage fixed, to those who asked"),
    "outage.canceled": _("Maintenance canceled, to those who asked"),
    "price_change_notice": _("Price change notice"),
    "security.email_changed": _("Security alert: email address changed"),
    "security.new_device": _("Security alert: sign-in from a new device"),
    "security.password_changed": _("Security alert: password changed"),
    "security.phone_changed": _("Security alert: mobile number changed"),
    "security.second_factor_added": _("Security alert: second factor added"),
    "security.second_factor_removed": _("Security alert: second factor removed"),
    "order_confirmed": _("Plan or add-on change confirmed"),
    "order_effective": _("Plan or add-on change took effect"),
    "order_cancelled": _("Plan or add-on change canceled"),
    # Payments
    "payment_received": _("Payment receipt"),
    "payment_failed": _("Payment did not go through"),
    "refund_issued": _("Refund issued"),
    "payment_method_added": _("Payment method added"),
    "payment_method_removed": _("Payment method removed"),
    "card_expiring": _("Card expiring soon"),
    # Autopay, extensions and dunning
    "autopay_upcoming": _("Autopay notice"),
    "autopay_failed": _("Autopay did not go through"),
    "payment_extension": _("More time to pay given"),
    "payment_reminder": _("Payment reminder"),
    "payment_overdue": _("Overdue notice"),
    "late_fee": _("Late fee added"),
    "suspension_warning": _("Suspension warning"),
    "services_suspended": _("Services suspended"),
    "services_restored": _("Services restored"),
    "dispute_opened": _("Dispute received"),
    "dispute_message": _("Reply to a dispute"),
    "dispute_resolved": _("Dispute resolved"),
    "ticket_opened": _("Support request received"),
    "ticket_reply": _("Reply to a support request"),
    "ticket_merged": _("Support requests merged"),
    "ticket_visit": _("Technician visit for a support request"),
    "ticket_customer_reply": _("Customer replied to a support request"),
    "usage_75": _("Usage alert at 75%"),
    "usage_90": _("Usage alert at 90%"),
    "usage_100": _("Usage alert: all of the data allowance used"),
    "usage_block": _("Usage alert: another block of extra data"),
    "usage_projected": _("Usage alert: on pace to go over"),
    "appointment.booked": _("Technician visit booked"),
    "appointment.rescheduled": _("Technician visit moved"),
    "appointment.canceled": _("Technician visit canceled"),
    "appointment.on_the_way": _("Technician on the way"),
    "appointment.reminder": _("Technician visit reminder"),
}


def _from_code(code: str) -> str:
    words = code.replace(".", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def audit_action(code: str) -> str:
    """``customer.viewed`` as "Opened the account"."""
    label = AUDIT_ACTIONS.get(code)
    return str(label) if label is not None else _from_code(code)


def message_event(code: str) -> str:
    """``announcement.notice`` as "Outage or maintenance notice"."""
    label = MESSAGE_EVENTS.get(code)
    return str(label) if label is not None else _from_code(code)


def ledger_book(code: str) -> str:
    """``receivable`` as "Accounts receivable"."""
    return str(dict(Book.choices).get(code) or _from_code(code))


def transaction_kind(code: str) -> str:
    """``credit_note`` as "Credit note"."""
    return str(dict(TransactionKind.choices).get(code) or _from_code(code))
