"""The reference BYO provider: a small but real provider service, built the compliant way."""
