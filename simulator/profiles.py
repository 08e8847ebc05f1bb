"""A user's profile fields: which may be set and the checks each passes, for `Simulator.create_user`,
`Simulator.update_user` and the control API alike."""

from __future__ import annotations

from typing import Any

from xmock.simulator.control.errors import InvalidInput, check_bool, check_names, check_text, shown
from xmock.simulator.models import User

NAME_LENGTH = 50
TEXT = {"description": 160, "location": 30, "url": 2048, "profile_image_url": 2048, "profile_banner_url": 2048}
BOOLS = ("protected", "verified")
# X's values for the enumerated fields (`subscription_type` is capitalised as X sends it)
VERIFIED_TYPES = ("none", "blue", "business", "government")
SUBSCRIPTION_TYPES = ("None", "Basic", "Premium", "PremiumPlus")
DM_SETTINGS = ("everyone", "following")  # who may send the user a direct message
CHOICES = {"verified_type": VERIFIED_TYPES, "subscription_type": SUBSCRIPTION_TYPES, "dm_setting": DM_SETTINGS}
FIELDS = ("name", *TEXT, *BOOLS, *CHOICES)


def check_profile(fields: dict[str, Any], current: User | None = None) -> dict[str, Any]:
    """The fields checked, with `verified` and `verified_type` kept in agreement: a user is verified
    exactly when their verified type is not `none` (`verified: true` alone means blue)."""
    check_names("user field", fields, FIELDS)
    out = dict(fields)
    if "name" in out:
        check_text("name", out["name"], max_length=NAME_LENGTH)
    for label, length in TEXT.items():
        if label in out:
            check_text(label, out[label], max_length=length)
    for label in BOOLS:
        if label in out:
            check_bool(label, out[label])
    for label, allowed in CHOICES.items():
        if label in out and out[label] not in allowed:
            raise InvalidInput(f"{label}: expected one of {', '.join(allowed)}, got {shown(out[label])}")
    for label in ("url", "profile_image_url", "profile_banner_url"):
        if out.get(label) and not out[label].startswith(("https://", "http://")):
            raise InvalidInput(f"{label}: expected an http(s) URL or an empty string, got {shown(out[label])}")
    kind, verified = out.get("verified_type"), out.get("verified")
    if kind is not None and verified is not None and verified != (kind != "none"):
        raise InvalidInput(f"verified: {verified} disagrees with verified_type {kind!r}")
    if kind is not None:
        out["verified"] = kind != "none"
    elif verified is not None:
        kept = current.verified_type if current is not None and current.verified_type != "none" else "blue"
        out["verified_type"] = kept if verified else "none"
    return out
