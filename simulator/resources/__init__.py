"""X resources: posts, users, engagement, and how they are rendered."""
