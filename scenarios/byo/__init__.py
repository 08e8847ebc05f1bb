"""The x-byo-2026 suite: X's Bring Your Own App checklist, one module per theme."""
