"""The account overview: one read across customers, subscriptions and network.

Portal pages and the API both show it, so it lives below them and above the
domain apps it reads. It has no models.
"""
