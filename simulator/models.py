"""The records the store keeps. Frozen: a change is a new record written through the store."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from xmock.simulator.redact import fingerprint

# Secrets stay out of a record's repr (a failed assertion, --showlocals, a log line): field(repr=False).
PERMISSIONS = ("read", "read-write", "read-write-directmessages")
CLIENT_TYPES = ("confidential", "public")  # X: Web App / Automated App vs Native App / SPA


@dataclass(frozen=True, slots=True)
class Account:
    """A developer account: the party X bills and holds to its policy."""

    id: str
    name: str
    created_at: float
    owner_user_id: str | None = None  # the X user who owns the account (for owned-read prices)

    def public(self) -> dict:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class App:
    id: str
    account_id: str
    name: str
    use_case: str
    callback_urls: tuple[str, ...]
    permission: str
    consumer_key: str
    consumer_secret: str = field(repr=False)
    client_id: str
    client_secret: str = field(repr=False)
    created_at: float
    website: str = ""
    suspended: bool = False
    client_type: str = "confidential"

    def public(self, *, reveal: bool = False) -> dict:
        """The app as the control API shows it; secrets only when just issued."""
        out = {
            "id": self.id,
            "account_id": self.account_id,
            "name": self.name,
            "use_case": self.use_case,
            "callback_urls": list(self.callback_urls),
            "permission": self.permission,
            "client_type": self.client_type,
            "website": self.website,
            "suspended": self.suspended,
            "created_at": self.created_at,
            "consumer_key": self.consumer_key,
            "client_id": self.client_id,
        }
        if reveal:
            out["consumer_secret"] = self.consumer_secret
            out["client_secret"] = self.client_secret
        else:
            out["consumer_secret_fingerprint"] = fingerprint(self.consumer_secret)
            out["client_secret_fingerprint"] = fingerprint(self.client_secret)
        return out


@dataclass(frozen=True, slots=True)
class User:
    id: str
    username: str
    name: str
    created_at: float
    tenant_account_id: str | None = None
    description: str = ""
    location: str = ""
    url: str = ""
    protected: bool = False
    verified: bool = False
    profile_image_url: str = ""
    # profile fields kept true by the state (simulator/profiles.py checks them)
    profile_banner_url: str = ""
    verified_type: str = "none"  # none, blue, business, government
    subscription_type: str = "None"  # None, Basic, Premium, PremiumPlus (X's spelling)
    dm_setting: str = "everyone"  # who may DM the user: everyone, or only accounts they follow
    pinned_tweet_id: str | None = None

    def public(self) -> dict:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class OAuth1Token:
    """An OAuth 1.0a access token: `<user_id>-<random>`, never expiring, dead once invalidated."""

    token: str = field(repr=False)
    secret: str = field(repr=False)
    app_id: str
    user_id: str
    access_level: str
    created_at: float
    invalidated_at: float | None = None

    def public(self, *, reveal: bool = False) -> dict:
        out = {
            "app_id": self.app_id,
            "user_id": self.user_id,
            "access_level": self.access_level,
            "created_at": self.created_at,
            "invalidated_at": self.invalidated_at,
        }
        if reveal:
            out["token"] = self.token
            out["token_secret"] = self.secret
        else:
            out["token_fingerprint"] = fingerprint(self.token)
        return out


@dataclass(frozen=True, slots=True)
class RequestToken:
    """A temporary credential of the three-legged flow."""

    token: str = field(repr=False)
    secret: str = field(repr=False)
    app_id: str
    callback: str
    access_level: str
    created_at: float
    verifier: str | None = None
    user_id: str | None = None
    denied: bool = False


@dataclass(frozen=True, slots=True)
class AuthCode:
    """An OAuth 2.0 authorization code: 30 seconds, single use, bound to its PKCE challenge."""

    code: str = field(repr=False)
    app_id: str
    user_id: str
    redirect_uri: str
    scopes: tuple[str, ...]
    challenge: str
    challenge_method: str
    expires_at: float


@dataclass(frozen=True, slots=True)
class OAuth2Token:
    """An OAuth 2.0 token: a user access token, a refresh token, or an app-only bearer token.

    Tokens issued together, and every token a refresh chain rotates into, share a `grant_id`.
    """

    token: str = field(repr=False)
    kind: str  # "access", "refresh" or "bearer"
    app_id: str
    user_id: str | None
    scopes: tuple[str, ...]
    issued_at: float
    expires_at: float | None
    grant_id: str
    rotated_at: float | None = None
    revoked_at: float | None = None
    # What expires_at said before the control API ended the token's life early (its timeline shows both).
    planned_expires_at: float | None = None

    def state(self, now: float) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.rotated_at is not None:
            return "rotated"
        if self.expires_at is not None and now >= self.expires_at:
            return "expired"
        return "active"

    def public(self, now: float) -> dict:
        return {
            "token_fingerprint": fingerprint(self.token),
            "kind": self.kind,
            "app_id": self.app_id,
            "user_id": self.user_id,
            "scopes": list(self.scopes),
            "issued_at": self.issued_at,
            "expires_at": self.expires_at,
            "rotated_at": self.rotated_at,
            "revoked_at": self.revoked_at,
            "planned_expires_at": self.planned_expires_at,
            "grant_id": self.grant_id,
            "state": self.state(now),
        }


@dataclass(frozen=True, slots=True)
class Media:
    """An upload. Only sizes and digests of its segments are kept, never the bytes."""

    id: str
    media_key: str
    owner_id: str
    app_id: str
    media_type: str
    category: str
    total_bytes: int
    created_at: float
    expires_at: float
    segments: tuple[tuple[int, int, str], ...] = ()  # (segment index, size, sha256)
    finalized_at: float | None = None
    width: int | None = None
    height: int | None = None
    alt_text: str | None = None
    processing_fails: bool = False
    additional_owners: tuple[str, ...] = ()
    # media lookup and subtitles: (language code, subtitles upload id, display name) per track of a video
    subtitles: tuple[tuple[str, str, str], ...] = ()

    @property
    def received(self) -> int:
        return sum(size for _, size, _ in self.segments)


# Not frozen, unlike the other records: a frozen dataclass sets each of its twenty fields through
# object.__setattr__, which made building a post (every write, every post read from Redis) cost
# 3.5 us instead of 0.8. Nothing assigns to a post's fields; a change is a dataclasses.replace.
@dataclass(slots=True)
class Post:
    id: str
    text: str
    author_id: str
    created_at: float
    app_id: str | None = None
    conversation_id: str = ""
    in_reply_to_post_id: str | None = None
    in_reply_to_user_id: str | None = None
    quoted_post_id: str | None = None
    reposted_post_id: str | None = None
    media_ids: tuple[str, ...] = ()
    reply_settings: str = "everyone"
    deleted: bool = False
    source: str = ""
    # post fields (resources/post_fields.py): defaults keep records written before them loadable
    lang: str = ""  # "": detected from the text when shown or matched (simulator/lang.py); else as given
    poll_id: str | None = None
    place_id: str | None = None
    edit_root: str | None = None  # the first version's id when this post is an edit of it
    possibly_sensitive: bool = False


@dataclass(frozen=True, slots=True)
class Poll:
    """A post's poll. Votes are POLL_VOTES edges (user -> "<poll id>:<position>"), not fields."""

    id: str
    post_id: str
    options: tuple[str, ...]
    duration_minutes: int
    created_at: float

    @property
    def ends_at(self) -> float:
        return self.created_at + self.duration_minutes * 60


@dataclass(frozen=True, slots=True)
class Place:
    """A place posts can be tagged with (`geo.place_id`)."""

    id: str
    full_name: str
    name: str
    country: str
    country_code: str
    place_type: str = "city"
    bbox: tuple[float, ...] = ()  # [west longitude, south latitude, east longitude, north latitude]
    contained_within: tuple[str, ...] = ()


# lists and bookmarks ------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class XList:
    """A list. Its owner, members, followers and pins are edges (simulator.relations), not fields."""

    id: str
    name: str
    owner_id: str
    created_at: float
    description: str = ""
    private: bool = False


@dataclass(frozen=True, slots=True)
class BookmarkFolder:
    """A user's bookmark folder. The posts in it are FOLDER_POSTS edges; each is also a bookmark."""

    id: str
    name: str
    owner_id: str
    created_at: float


# direct messages ---------------------------------------------------------------------------------------------------
DM_EVENT_TYPES = ("MessageCreate", "ParticipantsJoin", "ParticipantsLeave")


@dataclass(frozen=True, slots=True)
class DmEvent:
    """One event of a DM conversation. Who is in a conversation, and which events it holds, are edges
    (DM_PARTICIPANTS, DM_EVENTS); `participant_ids` is who joined or left (Join/Leave events only)."""

    id: str
    event_type: str
    dm_conversation_id: str
    sender_id: str
    created_at: float
    text: str = ""
    participant_ids: tuple[str, ...] = ()
    media_ids: tuple[str, ...] = ()
    referenced_post_ids: tuple[str, ...] = ()
    app_id: str | None = None
