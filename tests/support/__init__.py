"""Helpers shared by the tests: factories, servers, sign-in steps. Test modules import
from here (or use fixtures from a conftest.py), never from another test module."""
