"""Changing the catalogue from the back-office: plans and their availability,
promotions, channels and line-ups, add-ons, equipment models and broadband facts
labels. Each write is a keyword-only function owning its transaction and its audit
event (``catalog.<thing>_created`` / ``_changed`` with the before and after of each
changed field), raising ``CatalogError`` naming the input at fault. Nothing is ever
deleted: a retired plan stays for its subscribers, a code is never handed out again
and a label keeps its identifier for good. Prices of existing plans, add-ons and
equipment change from a date under "Prices", never here.
"""
