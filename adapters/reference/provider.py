"""The reference provider's logic: how a compliant BYO provider treats X.

- The tenant's app key and secret come with every request and are never stored.
- Posting uses OAuth 1.0a (the tenant's app + the user's token), which does not expire,
  so scheduled posts fire correctly long after the user authorised.
- Scheduled posts carry the tenant's credentials, sealed, only until they fire; when the tenant rotates or
  withdraws its keys, pending posts are re-sealed with the new ones (or none), so a post fires with the keys
  current at firing time.
- 5xx: retried with backoff, but never posted twice: after a lost answer the user's
  timeline is checked first. 429: nothing is sent for that user and endpoint before the
  reset (posting, reading and deleting alike). 402: stop and report. Duplicate: final, never retried.
- Identical or substantially similar text is not pushed to several accounts of one tenant (X's automation rules).
- RSS-to-X is refused: with credentials per request there is nothing to post with later.
- Receiving (mentions, replies, DMs): each tenant's webhook under the tenant's own app (see receiving.py).
"""

from __future__ import annotations

import difflib
import html
import re
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from xmock.adapters.base import LinkState, Outcome, Result
from xmock.adapters.reference.receiving import Receiving
from xmock.adapters.reference.vault import Vault
from xmock.adapters.xclient import OAuth1Keys, XClient

RSS_REFUSAL = (
    "RSS auto-posting to X is refused under Bring Your Own App: the tenant's X credentials come "
    "with each request and are never stored, so an unattended feed poller would have nothing to "
    "post with. Post each feed item through the API, with the tenant's credentials, instead."
)
DUPLICATE_WINDOW = 3600
SIMILAR = 0.8  # below X's own threshold, so a near copy is stopped before X sees it
_URL = re.compile(r"https?://\S+")


def _gist(text: str) -> str:
    """What similar posts share: lowercase, links dropped, punctuation and spacing ignored."""
    return " ".join(re.sub(r"[^\w\s]", " ", _URL.sub("", text.lower())).split())


@dataclass(frozen=True)
class TenantKeys:
    """The tenant's app credentials for one request; never stored."""

    consumer_key: str
    consumer_secret: str

    def __repr__(self) -> str:
        return f"TenantKeys(consumer_key={self.consumer_key!r}, ***)"


class ReferenceProvider(Receiving):
    def __init__(
        self,
        x_base_url: str,
        callback_url: str,
        vault: Vault | None = None,
        max_attempts: int = 3,
        backoff: float = 0.05,
        public_url: str | None = None,
        data_dir: str | None = None,
    ) -> None:
        self.x = XClient(x_base_url)
        self.public_url = public_url
        self.callback_url = callback_url
        self.vault = vault or Vault(data_dir=data_dir)
        self.max_attempts = max_attempts
        self.backoff = backoff
        self._user_locks: dict[str, threading.Lock] = {}

    # linking users ---------------------------------------------------------------------
    def start_link(self, tenant: str, keys: TenantKeys, end_user: str) -> Result:
        r = self.x.request(
            "POST",
            "/oauth/request_token",
            form={"oauth_callback": self.callback_url},
            oauth1=OAuth1Keys(keys.consumer_key, keys.consumer_secret),
        )
        if r.status_code != 200:
            return Result(Outcome.REFUSED, "X did not accept the tenant's app credentials")
        answer = {k: v[0] for k, v in parse_qs(r.text).items()}
        link_id = secrets.token_hex(8)
        with self.vault.lock:
            self.vault.links[link_id] = {
                "tenant": tenant,
                "end_user": end_user,
                "request_token": answer["oauth_token"],
                "sealed": self.vault.seal({"secret": answer["oauth_token_secret"]}),
            }
        # The user authorises the tenant's own app, on X's consent screen.
        url = "https://api.x.com/oauth/authorize?" + urlencode({"oauth_token": answer["oauth_token"]})
        return Result(Outcome.OK, data={"link_id": link_id, "url": url})

    def complete_link(self, tenant: str, keys: TenantKeys, link_id: str, callback_url: str) -> Result:
        with self.vault.lock:
            link = self.vault.links.pop(link_id, None)
        if link is None or link["tenant"] != tenant:
            return Result(Outcome.NOT_FOUND, "unknown or finished connect link")
        query = {k: v[0] for k, v in parse_qs(urlsplit(callback_url).query).items()}
        if "denied" in query or query.get("oauth_token") != link["request_token"]:
            return Result(Outcome.REFUSED, "the user did not authorise the app")
        secret = self.vault.unseal(link["sealed"])["secret"]
        r = self.x.request(
            "POST",
            "/oauth/access_token",
            form={"oauth_verifier": query.get("oauth_verifier", "")},
            oauth1=OAuth1Keys(keys.consumer_key, keys.consumer_secret, link["request_token"], secret),
        )
        if r.status_code != 200:
            return self.x.outcome(r)
        answer = {k: v[0] for k, v in parse_qs(r.text).items()}
        with self.vault.lock:
            self.vault.users[f"{tenant}|{link['end_user']}"] = {
                "x_user_id": answer["user_id"],
                "screen_name": answer["screen_name"],
                "state": LinkState.LINKED,
                "sealed": self.vault.seal({"token": answer["oauth_token"], "secret": answer["oauth_token_secret"]}),
            }
        self.vault.record("linked", tenant=tenant, end_user=link["end_user"], x_user_id=answer["user_id"])
        if tenant in self.vault.receivers:  # receiving is on: the new user's events come too
            self._subscribe(tenant, keys, link["end_user"])
        # The tenant gets the user's tokens: with its own app keys they work without us (portability).
        return Result(
            Outcome.OK,
            data={
                "x_user_id": answer["user_id"],
                "screen_name": answer["screen_name"],
                "oauth_token": answer["oauth_token"],
                "oauth_token_secret": answer["oauth_token_secret"],
            },
        )

    def state(self, tenant: str, end_user: str) -> LinkState:
        user = self.vault.users.get(f"{tenant}|{end_user}")
        return LinkState(user["state"]) if user else LinkState.NOT_LINKED

    def _user(self, tenant: str, end_user: str) -> tuple[dict[str, Any] | None, Result | None]:
        user = self.vault.users.get(f"{tenant}|{end_user}")
        if user is None:
            return None, Result(Outcome.REFUSED, "this end user has not linked an X account")
        if user["state"] != LinkState.LINKED:
            return None, Result(Outcome.RELINK_REQUIRED, "this end user must link their X account again")
        return user, None

    def _keys(self, keys: TenantKeys, user: dict[str, Any]) -> OAuth1Keys:
        token = self.vault.unseal(user["sealed"])
        return OAuth1Keys(keys.consumer_key, keys.consumer_secret, token["token"], token["secret"])

    def _relink(self, tenant: str, end_user: str) -> None:
        with self.vault.lock:
            user = self.vault.users.get(f"{tenant}|{end_user}")
            if user is not None:
                user["state"] = LinkState.RELINK_REQUIRED

    # posting ------------------------------------------------------------------------
    def post(self, tenant: str, keys: TenantKeys, end_user: str, text: str) -> Result:
        user, refusal = self._user(tenant, end_user)
        if refusal is not None:
            return refusal
        # One post at a time per user: a second request must see the 429 the first one met.
        with self._lock_for(tenant, end_user):
            return self._post_serialised(tenant, keys, end_user, text, user)

    def _lock_for(self, tenant: str, end_user: str) -> threading.Lock:
        with self.vault.lock:
            return self._user_locks.setdefault(f"{tenant}|{end_user}", threading.Lock())

    def _post_serialised(self, tenant: str, keys: TenantKeys, end_user: str, text: str, user: dict[str, Any]) -> Result:
        blocked = self._blocked(tenant, end_user, "post")
        if blocked is not None:
            return blocked
        gist = _gist(text)
        now = self.x.now()
        with self.vault.lock:
            recent = [r for r in self.vault.recent.get(tenant, []) if r[0] > now - DUPLICATE_WINDOW]
            if any(u != end_user and self._alike(g, gist) for _, g, u in recent):
                return Result(
                    Outcome.REFUSED,
                    "identical or substantially similar text was already posted to another account of this "
                    "tenant; X's automation rules forbid it",
                )
        result = self._create(tenant, end_user, user, self._keys(keys, user), text)
        if result.ok:
            with self.vault.lock:
                self.vault.recent[tenant] = [*recent, (now, gist, end_user)]
        return result

    def _alike(self, a: str, b: str) -> bool:
        """Identical or substantially similar (X's automation rules forbid both across accounts)."""
        if a == b:
            return True
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        return matcher.quick_ratio() >= SIMILAR and matcher.ratio() >= SIMILAR

    def _create(self, tenant: str, end_user: str, user: dict[str, Any], oauth: OAuth1Keys, text: str) -> Result:
        started = self.x.now()
        for attempt in range(self.max_attempts):
            try:
                r = self.x.request("POST", "/2/tweets", oauth1=oauth, json={"text": text})
            except httpx.TransportError:
                # The answer was lost: the post may exist. Look before trying again.
                found = self._find_recent(user, oauth, text, started)
                if found is not None:
                    self.vault.record("recovered-lost-answer", tenant=tenant, end_user=end_user, post_id=found)
                    return Result(
                        Outcome.OK, "posted (answer was lost; found on the timeline)", data={"post_id": found}
                    )
                time.sleep(self.backoff * 2**attempt)
                continue
            result = self.x.outcome(r)
            if result.ok:
                return Result(Outcome.OK, data={"post_id": result.data["data"]["id"]})
            if result.outcome == Outcome.TRANSIENT_FAILURE and attempt + 1 < self.max_attempts:
                time.sleep(self.backoff * 2**attempt)
                continue
            return self._settle_failure(tenant, end_user, "post", r, result)
        return Result(Outcome.TRANSIENT_FAILURE, "X did not answer after retries")

    def _settle_failure(
        self, tenant: str, end_user: str, endpoint: str, response: httpx.Response, result: Result
    ) -> Result:
        if result.outcome == Outcome.RATE_LIMITED:
            reset = float(response.headers.get("x-rate-limit-reset", "0") or 0)
            with self.vault.lock:
                self.vault.blocked[f"{tenant}|{end_user}|{endpoint}"] = reset
        elif result.outcome == Outcome.RELINK_REQUIRED:
            self._relink(tenant, end_user)
        return result

    def _blocked(self, tenant: str, end_user: str, endpoint: str) -> Result | None:
        reset = self.vault.blocked.get(f"{tenant}|{end_user}|{endpoint}")
        if reset is None:
            return None
        wait = reset - self.x.now()
        if wait <= 0:
            return None
        return Result(Outcome.RATE_LIMITED, "waiting for X's rate-limit reset", retry_after=wait)

    def _find_recent(self, user: dict[str, Any], oauth: OAuth1Keys, text: str, since: float) -> str | None:
        try:
            r = self.x.request(
                "GET",
                f"/2/users/{user['x_user_id']}/tweets",
                oauth1=oauth,
                params={"max_results": 5, "tweet.fields": "created_at"},
            )
        except httpx.TransportError:
            return None
        for post in (r.json().get("data") or []) if r.status_code == 200 else []:
            if html.unescape(post.get("text") or "") == text:  # X escapes &, < and >
                return post["id"]
        return None

    # scheduling ----------------------------------------------------------------------
    def schedule(self, tenant: str, keys: TenantKeys, end_user: str, text: str, at: float) -> Result:
        _, refusal = self._user(tenant, end_user)
        if refusal is not None:
            return refusal
        job_id = secrets.token_hex(8)
        with self.vault.lock:
            self.vault.jobs[job_id] = {
                "tenant": tenant,
                "end_user": end_user,
                "at": at,
                "status": "scheduled",
                "sealed": self.vault.seal(
                    {"text": text, "consumer_key": keys.consumer_key, "consumer_secret": keys.consumer_secret}
                ),
            }
        self.vault.record("scheduled", job_id=job_id, tenant=tenant, end_user=end_user, at=at)
        return Result(Outcome.OK, data={"job_id": job_id})

    def rekey(self, tenant: str, keys: TenantKeys | None) -> Result:
        """The tenant's current keys (or none): pending posts fire with the keys of firing time, never old ones."""
        with self.vault.lock:
            pending = [j for j in self.vault.jobs.values() if j["tenant"] == tenant and j["status"] == "scheduled"]
            for job in pending:
                sealed = {"text": self.vault.unseal(job["sealed"])["text"]}
                if keys is not None:
                    sealed |= {"consumer_key": keys.consumer_key, "consumer_secret": keys.consumer_secret}
                job["sealed"] = self.vault.seal(sealed)
        self.vault.record("rekeyed" if keys else "credentials-withdrawn", tenant=tenant, pending=len(pending))
        return Result(Outcome.OK, data={"pending": len(pending)})

    def run_due(self) -> list[Result]:
        now = self.x.now()
        with self.vault.lock:
            due = [
                (job_id, job)
                for job_id, job in self.vault.jobs.items()
                if job["status"] == "scheduled" and job["at"] <= now
            ]
            for _, job in due:
                job["status"] = "firing"
        results = []
        for job_id, job in due:
            sealed = self.vault.unseal(job["sealed"])
            if "consumer_key" in sealed:  # the keys the tenant offers now (re-sealed when it rotated them)
                keys = TenantKeys(sealed["consumer_key"], sealed["consumer_secret"])
                result = self.post(job["tenant"], keys, job["end_user"], sealed["text"])
            else:
                result = Result(Outcome.REFUSED, "the tenant withdrew its X credentials before the post was due")
            with self.vault.lock:
                job["status"] = "posted" if result.ok else f"failed: {result.outcome}"
                job["sealed"] = None  # the tenant's credentials go as soon as the post has fired
                job["post_id"] = result.data.get("post_id")
            self.vault.record("fired", job_id=job_id, outcome=str(result.outcome), credentials_wiped=True)
            results.append(Result(result.outcome, result.detail, {**result.data, "job_id": job_id}))
        return results

    # reading, rendering, deleting ------------------------------------------------------
    def read(self, tenant: str, keys: TenantKeys, end_user: str, post_id: str) -> Result:
        user, refusal = self._user(tenant, end_user)
        if refusal is not None:
            return refusal
        blocked = self._blocked(tenant, end_user, "read")
        if blocked is not None:
            return blocked
        r = self.x.request(
            "GET",
            f"/2/tweets/{post_id}",
            oauth1=self._keys(keys, user),
            params={"tweet.fields": "created_at,public_metrics,author_id", "expansions": "author_id"},
        )
        result = self.x.outcome(r)
        if not result.ok:
            return self._settle_failure(tenant, end_user, "read", r, result)
        if "data" not in result.data:
            return Result(Outcome.NOT_FOUND, "no such post")
        post = result.data["data"]
        author = (result.data.get("includes", {}).get("users") or [{}])[0]
        return Result(
            Outcome.OK,
            data={
                "post_id": post["id"],
                "text": html.unescape(post["text"]),  # as posted: X hands it out HTML-escaped
                "created_at": post.get("created_at"),
                "metrics": post.get("public_metrics"),
                "author": {"id": author.get("id"), "name": author.get("name"), "username": author.get("username")},
            },
        )

    def render(self, tenant: str, keys: TenantKeys, end_user: str, post_id: str) -> Result:
        read = self.read(tenant, keys, end_user, post_id)
        if not read.ok:
            return read
        d, author = read.data, read.data["author"]
        link = f"https://x.com/{author['username']}/status/{d['post_id']}"
        markup = (
            f'<blockquote class="x-post"><p>{html.escape(d["text"])}</p>'
            f"&mdash; {html.escape(author['name'] or '')} (@{html.escape(author['username'] or '')}) "
            f'<a href="{link}">{html.escape(d.get("created_at") or "")}</a> on X</blockquote>'
        )
        return Result(Outcome.OK, data={"html": markup, "url": link})

    def delete(self, tenant: str, keys: TenantKeys, end_user: str, post_id: str) -> Result:
        user, refusal = self._user(tenant, end_user)
        if refusal is not None:
            return refusal
        blocked = self._blocked(tenant, end_user, "delete")
        if blocked is not None:
            return blocked
        r = self.x.request("DELETE", f"/2/tweets/{post_id}", oauth1=self._keys(keys, user))
        result = self.x.outcome(r)
        if result.ok:
            return Result(Outcome.OK, data={"post_id": post_id, "deleted": True})
        return self._settle_failure(tenant, end_user, "delete", r, result)

    # unlinking --------------------------------------------------------------------------
    def unlink(self, tenant: str, keys: TenantKeys, end_user: str) -> Result:
        self._unsubscribe(tenant, keys, end_user)
        with self.vault.lock:
            user = self.vault.users.pop(f"{tenant}|{end_user}", None)
        if user is None:
            return Result(Outcome.NOT_FOUND, "this end user is not linked")
        # Revoke at X too, so the token cannot be used by anyone any more.
        self.x.request("POST", "/1.1/oauth/invalidate_token", oauth1=self._keys(keys, user))
        self.vault.record("unlinked", tenant=tenant, end_user=end_user)
        return Result(Outcome.OK)

    def offboard(self, tenant: str) -> Result:
        """The tenant leaves: everything kept for it goes; its users' tokens are the tenant's and stay valid at X."""
        with self.vault.lock:
            gone = [key for key in self.vault.users if key.startswith(f"{tenant}|")]
            for key in gone:
                del self.vault.users[key]
            for job_id in [j for j, job in self.vault.jobs.items() if job["tenant"] == tenant]:
                del self.vault.jobs[job_id]
            for table in (self.vault.recent, self.vault.inbox, self.vault.receivers):
                table.pop(tenant, None)
            for key in [k for k in self.vault.blocked if k.startswith(f"{tenant}|")]:
                del self.vault.blocked[key]
        self.vault.record("offboarded", tenant=tenant, users=len(gone))
        return Result(Outcome.OK, data={"users": len(gone)})

    def force_relogin(self, tenant: str, end_user: str) -> Result:
        if f"{tenant}|{end_user}" not in self.vault.users:
            return Result(Outcome.NOT_FOUND, "this end user is not linked")
        self._relink(tenant, end_user)
        self.vault.record("relogin-required", tenant=tenant, end_user=end_user)
        return Result(Outcome.OK)
