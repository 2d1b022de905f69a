"""Security events: recording them (``record``), alerting the person (``alerts``),
describing them in a sentence (``describe``), the person's activity page
(``activity``) and the staff search (``search``)."""
