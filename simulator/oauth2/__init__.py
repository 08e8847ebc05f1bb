"""OAuth 2.0 as X runs it: PKCE authorization code, two-hour access tokens, rotating refresh tokens,
revocation, and the app-only bearer token."""
