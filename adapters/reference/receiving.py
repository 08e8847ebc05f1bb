"""The reference provider receives: each tenant's webhook under the tenant's own app, and an inbox per tenant.

- The webhook is registered with the tenant's app-only bearer token (from the tenant's own keys), so X signs
  its CRC challenge and every delivery with the tenant's consumer secret, never the provider's.
- X sends CRC challenges and deliveries at any time, without the tenant at hand: while receiving is on, the
  tenant's consumer secret is the one credential kept, sealed in the vault like a scheduled post's; stopping
  wipes it. The consumer key and every token stay out of it.
- Every linked user of the tenant is subscribed (Account Activity) with the tenant's app and the user's token;
  users linked later are subscribed when they link, and unsubscribed when they unlink.
- A delivery is accepted only if `x-twitter-webhooks-signature` is the HMAC-SHA256 of the raw body under the
  tenant's secret; mentions, replies and DMs for the tenant's users land in the tenant's inbox.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from xmock.adapters.base import LinkState, Outcome, Result

if TYPE_CHECKING:
    from xmock.adapters.reference.provider import TenantKeys

WEBHOOK_PATH = "/x/webhooks/{tenant}"
INBOX_CAP = 1000  # newest items kept per tenant


def sign(secret: str, message: bytes) -> str:
    """X's `sha256=` + base64(HMAC-SHA256): the CRC response token and the delivery signature."""
    return "sha256=" + base64.b64encode(hmac.new(secret.encode(), message, hashlib.sha256).digest()).decode()


class Receiving:
    """Mixed into ReferenceProvider (which gives `x`, `vault`, `_keys`)."""

    public_url: str | None = None  # where X reaches the provider; else the base URL the tenant called

    def webhook_url(self, tenant: str, base_url: str) -> str:
        return (self.public_url or base_url).rstrip("/") + WEBHOOK_PATH.format(tenant=quote(tenant, safe=""))

    def _bearer(self, keys: TenantKeys) -> str | None:
        r = self.x.request(
            "POST",
            "/oauth2/token",
            form={"grant_type": "client_credentials"},
            basic=(keys.consumer_key, keys.consumer_secret),
        )
        return r.json().get("access_token") if r.status_code == 200 else None

    def start_receiving(self, tenant: str, keys: TenantKeys, base_url: str) -> Result:
        url = self.webhook_url(tenant, base_url)
        bearer = self._bearer(keys)
        if bearer is None:
            return Result(Outcome.REFUSED, "X did not accept the tenant's app credentials")
        # Sealed before registering: X's CRC challenge arrives while the registration is under way.
        with self.vault.lock:
            previous = self.vault.receivers.get(tenant, {})
            self.vault.receivers[tenant] = {
                "url": url,
                "webhook_id": previous.get("webhook_id"),
                "sealed": self.vault.seal({"consumer_secret": keys.consumer_secret}),
                "subscribed": previous.get("subscribed", {}),
            }
        hook, failure = self._webhook(bearer, url)
        if hook is None:
            with self.vault.lock:
                self.vault.receivers.pop(tenant, None)
            return failure or Result(Outcome.ERROR, "X did not register the webhook")
        with self.vault.lock:
            self.vault.receivers[tenant]["webhook_id"] = hook
        self.vault.record("receiving", tenant=tenant, webhook_id=hook)
        failed = []
        for end_user in self._linked(tenant):
            outcome = self._subscribe(tenant, keys, end_user)
            if not outcome.ok:
                failed.append(f"{end_user}: {outcome.outcome}")
        subscribed = sorted(self.vault.receivers[tenant]["subscribed"])
        data = {"webhook_id": hook, "url": url, "subscribed": subscribed}
        if failed:
            return Result(Outcome.ERROR, "X refused to subscribe " + ", ".join(failed), data)
        return Result(Outcome.OK, data=data)

    def _webhook(self, bearer: str, url: str) -> tuple[str | None, Result | None]:
        """The tenant app's webhook for `url`: the one X already has (checked again), or a new one."""
        listed = self.x.request("GET", "/2/webhooks", bearer=bearer)
        for hook in (listed.json().get("data") or []) if listed.status_code == 200 else []:
            if hook.get("url") == url:  # set up before (or keys rotated): X checks it again with the secret now kept
                checked = self.x.request("PUT", f"/2/webhooks/{hook['id']}", bearer=bearer)
                if checked.status_code != 200 or not checked.json().get("data", {}).get("valid"):
                    return None, Result(Outcome.ERROR, "X's CRC check of the tenant's webhook failed")
                return hook["id"], None
        r = self.x.request("POST", "/2/webhooks", bearer=bearer, json={"url": url})
        if r.status_code == 200:
            return r.json()["data"]["id"], None
        return None, self.x.outcome(r)

    def _linked(self, tenant: str) -> list[str]:
        prefix = f"{tenant}|"
        with self.vault.lock:
            return [
                key[len(prefix) :]
                for key, user in self.vault.users.items()
                if key.startswith(prefix) and user["state"] == LinkState.LINKED
            ]

    def _subscribe(self, tenant: str, keys: TenantKeys, end_user: str) -> Result:
        receiver = self.vault.receivers.get(tenant)
        user = self.vault.users.get(f"{tenant}|{end_user}")
        if receiver is None or user is None or not receiver.get("webhook_id"):
            return Result(Outcome.NOT_FOUND, "not receiving for this tenant")
        path = f"/2/account_activity/webhooks/{receiver['webhook_id']}/subscriptions/all"
        r = self.x.request("POST", path, oauth1=self._keys(keys, user), json={})
        already = r.status_code == 409 and "DuplicateSubscription" in r.text
        if r.status_code != 200 and not already:
            return self.x.outcome(r)
        with self.vault.lock:
            receiver["subscribed"][end_user] = user["x_user_id"]
        self.vault.record("subscribed", tenant=tenant, end_user=end_user, webhook_id=receiver["webhook_id"])
        return Result(Outcome.OK)

    def _unsubscribe(self, tenant: str, keys: TenantKeys, end_user: str) -> None:
        receiver = self.vault.receivers.get(tenant)
        if receiver is None or end_user not in receiver["subscribed"]:
            return
        with self.vault.lock:
            x_user_id = receiver["subscribed"].pop(end_user)
        bearer = self._bearer(keys)
        if bearer is not None:
            path = f"/2/account_activity/webhooks/{receiver['webhook_id']}/subscriptions/{x_user_id}/all"
            self.x.request("DELETE", path, bearer=bearer)

    def stop_receiving(self, tenant: str, keys: TenantKeys) -> Result:
        with self.vault.lock:
            receiver = self.vault.receivers.pop(tenant, None)
        if receiver is None:
            return Result(Outcome.NOT_FOUND, "not receiving for this tenant")
        bearer = self._bearer(keys)
        if bearer is not None and receiver.get("webhook_id"):
            self.x.request("DELETE", f"/2/webhooks/{receiver['webhook_id']}", bearer=bearer)  # its subscriptions go too
        self.vault.record("stopped-receiving", tenant=tenant, credentials_wiped=True)
        return Result(Outcome.OK)

    # what X sends --------------------------------------------------------------------------
    def _secret(self, tenant: str) -> str | None:
        receiver = self.vault.receivers.get(tenant)
        return None if receiver is None else self.vault.unseal(receiver["sealed"])["consumer_secret"]

    def crc(self, tenant: str, token: str) -> dict[str, str] | None:
        """The answer to X's CRC challenge, or None when not receiving for this tenant."""
        secret = self._secret(tenant)
        return None if secret is None else {"response_token": sign(secret, token.encode())}

    def accept(self, tenant: str, body: bytes, signature: str | None) -> int:
        """Take a delivery: 404 when not receiving for the tenant, 401 on a bad signature, else 200."""
        secret = self._secret(tenant)
        if secret is None:
            return 404
        if not signature or not hmac.compare_digest(signature, sign(secret, body)):
            self.vault.record("bad-signature", tenant=tenant)
            return 401
        try:
            event = json.loads(body)
        except ValueError:
            return 400
        items = _items(event) if isinstance(event, dict) else []
        with self.vault.lock:
            owners = {u["x_user_id"]: k.split("|", 1)[1] for k, u in self.vault.users.items()
                      if k.startswith(f"{tenant}|")}
            inbox = self.vault.inbox.setdefault(tenant, [])
            seen = {(i["kind"], i["id"], i["x_user_id"]) for i in inbox}
            for item in items:
                end_user = owners.get(item["x_user_id"])
                if end_user is None or (item["kind"], item["id"], item["x_user_id"]) in seen:
                    continue  # not this tenant's user (any more), or delivered again (retry, replay)
                inbox.append({**item, "end_user_id": end_user})
            del inbox[:-INBOX_CAP]
        return 200

    def inbox(self, tenant: str, end_user: str | None = None) -> Result:
        with self.vault.lock:
            items = [dict(i) for i in self.vault.inbox.get(tenant, []) if end_user in (None, i["end_user_id"])]
        return Result(Outcome.OK, data={"items": items, "receiving": tenant in self.vault.receivers})


def _items(event: dict[str, Any]) -> list[dict[str, Any]]:
    """Mentions, replies and DMs addressed to the delivery's `for_user_id`, in the inbox's terms."""
    me = str(event.get("for_user_id") or "")
    out = []
    for tweet in event.get("tweet_create_events") or []:
        author = (tweet.get("user") if isinstance(tweet, dict) else None) or {}
        if not author or str(author.get("id_str")) == me:
            continue  # the user's own post
        kind = "reply" if str(tweet.get("in_reply_to_user_id_str")) == me else "mention"
        out.append({
            "kind": kind, "id": str(tweet.get("id_str")), "x_user_id": me, "at": tweet.get("created_at"),
            "from": {"id": str(author.get("id_str")), "username": author.get("screen_name")},
            "text": html.unescape(tweet.get("text") or ""),  # X escapes &, < and >
        })
    users = event.get("users") if isinstance(event.get("users"), dict) else {}
    for message in event.get("direct_message_events") or []:
        if not isinstance(message, dict) or message.get("type") != "message_create":
            continue
        create = message.get("message_create") or {}
        sender = str(create.get("sender_id") or "")
        if not sender or sender == me:
            continue  # the user's own DM
        out.append({
            "kind": "dm", "id": str(message.get("id")), "x_user_id": me, "at": message.get("created_timestamp"),
            "from": {"id": sender, "username": (users.get(sender) or {}).get("screen_name")},
            "text": (create.get("message_data") or {}).get("text") or "",
        })
    return out

