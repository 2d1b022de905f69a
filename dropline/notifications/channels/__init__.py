"""Delivery channels. Each takes a rendered message and hands it to the outside world."""
