"""X's OAuth 2.0 scopes, with what the consent screen says about each."""

SCOPES: dict[str, str] = {
    "tweet.read": "See posts from your timeline (including protected posts)",
    "tweet.write": "Post and repost for you",
    "tweet.moderate.write": "Hide and unhide replies to your posts",
    "users.read": "See your profile information",
    "users.email": "See your email address",
    "follows.read": "See who you follow and who follows you",
    "follows.write": "Follow and unfollow people for you",
    "offline.access": "Stay connected to your account until you revoke access",
    "space.read": "See all the Spaces you can view",
    "mute.read": "See the accounts you muted",
    "mute.write": "Mute and unmute accounts for you",
    "like.read": "See posts you liked and likes you can view",
    "like.write": "Like and un-like posts for you",
    "list.read": "See lists, their members and followers",
    "list.write": "Create and manage lists for you",
    "block.read": "See the accounts you blocked",
    "block.write": "Block and unblock accounts for you",
    "bookmark.read": "See your bookmarks",
    "bookmark.write": "Bookmark and remove bookmarks for you",
    "dm.read": "See all your Direct Messages",
    "dm.write": "Send and manage Direct Messages for you",
    "media.write": "Upload media for you",
    "timeline.read": "See your home timeline",
    "broadcast.read": "See your broadcasts",
    "broadcast.write": "Manage your broadcasts",
}
OFFLINE = "offline.access"


def parse_scopes(raw: str | None) -> list[str]:
    """Space-separated scopes (a `+` already decoded), in the order given, without repeats."""
    out: list[str] = []
    for scope in (raw or "").split():
        if scope not in out:
            out.append(scope)
    return out
