"""HTML pages a person sees on x.com: consent screens and their outcomes."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from xmock.simulator.xrequest import Reply

_env = Environment(loader=PackageLoader("xmock.simulator", "templates"), autoescape=select_autoescape(["html"]))
HTML = "text/html; charset=utf-8"


def page(template: str, status: int = 200, **context: Any) -> Reply:
    return Reply(status, _env.get_template(template).render(**context), content_type=HTML)


def message(title: str, text: str, status: int = 200, pin: str | None = None) -> Reply:
    return page("message.html", status, title=title, message=text, pin=pin)


def redirect(location: str) -> Reply:
    return Reply(302, "", {"location": location}, content_type=HTML)


def no_user_to_sign_in() -> Reply:
    return message(
        "No such account",
        "There is no user to sign in as. Create one through the control API "
        "(POST /_xmock/users) or pick an existing username.",
        400,
    )


def unknown_username() -> Reply:
    return message("No such account", "That username is not known to the simulator.", 400)
