"""OAuth 1.0a as X runs it: signature verification and the three-legged flow."""
