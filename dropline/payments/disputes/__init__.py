"""Disputes of invoice lines: opening, messages both ways, attachments checked by their
content, resolution with a credit on the ledger or a rejection, and the amount held out
of autopay and late fees while a dispute is open."""
