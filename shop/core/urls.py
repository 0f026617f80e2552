"""Our own URLs: redirect targets that stay on our host, and links that leave the site.

Redirects (`next=`) must be local paths. Absolute links written into emails are built from
PUBLIC_URL, never from a request: a request's host, scheme and prefix come from headers a client
writes (Host, and X-Forwarded-* when a proxy is trusted), and a password-reset link built from
them can be made to point at an attacker's server (`https://shop@evil.example/account/reset/
<token>`): whoever follows it hands over the token. So every link in an email uses the
configured public address (SHOP_PUBLIC_URL) for its scheme, host and path prefix.
"""

from urllib.parse import urlsplit

from flask import current_app, has_request_context, request


def is_safe_path(target: str | None) -> bool:
    """True only for a local path such as `/catalog/x?page=2`.

    Refuses absolute URLs, scheme-relative `//evil.com`, backslash tricks `/\\evil.com` (browsers
    read `\\` as `/`), and control characters that some browsers strip.
    """
    if not target or not isinstance(target, str):
        return False
    if any(ord(c) < 32 or c == "\\" for c in target):
        return False
    if not target.startswith("/") or target.startswith("//"):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next(default: str = "/") -> str:
    """The `next` parameter (form or query) when it is a local path, else `default`."""
    target = request.values.get("next")
    return target if is_safe_path(target) else default


def public_root() -> str:
    """PUBLIC_URL with exactly one trailing slash: `https://shop.example.com/`."""
    return str(current_app.config["PUBLIC_URL"]).rstrip("/") + "/"


def public_url_for(endpoint: str, **values) -> str:
    """`url_for(endpoint, **values, _external=True)` against PUBLIC_URL instead of the request."""
    base = urlsplit(public_root())
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    anchor = values.pop("_anchor", None)
    url = adapter.build(endpoint, values, force_external=True)
    return f"{url}#{anchor}" if anchor else url


def public_link(url: str) -> str:
    """A link to this shop made by `url_for(..., _external=True)` during the current request,
    moved onto PUBLIC_URL (other strings are returned unchanged).

    Libraries (Flask-Security's reset, confirmation and change-email links) build their links
    from the request; the part after the request's root (path and query) is the shop's own,
    and the root is replaced by the configured one.
    """
    if not isinstance(url, str) or not has_request_context():
        return url
    root = request.root_url
    if url.startswith(root):
        return public_root() + url[len(root) :]
    return url
