"""Compliance scenarios: X's Bring Your Own App checklist as executable checks, and certification runs."""
