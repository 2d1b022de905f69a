"""Outages and planned maintenance in service areas: declaring them and moving them on
(``declaring``), telling people (``notices``), "tell me when it's fixed" (``watching``)
and what customers, the public status page and staff read (``queries``)."""
