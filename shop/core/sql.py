"""Small SQL helpers shared by the storefront and the back office."""


def like_escape(value: str) -> str:
    """Escape LIKE wildcards: `%` and `_` typed by a person match themselves (escape: `\\`)."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains_pattern(value: str) -> str:
    """A LIKE pattern matching `value` anywhere; use with `escape="\\\\"`."""
    return f"%{like_escape(value)}%"
