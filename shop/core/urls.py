"""Redirect targets must stay on our own host."""

from urllib.parse import urlsplit

from flask import request


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
