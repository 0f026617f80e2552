"""axe-core for browser tests: the accessibility rules of WCAG 2.0–2.2, levels A and AA.

`make axe` installs the npm package axe-core into .venv/axe (SHOP_AXE_JS points to another
copy of axe.min.js). The script is injected into a Playwright page, which it then checks::

    from tests.e2e.axe import axe_violations, format_violations

    page.goto(url)
    bad = axe_violations(page)
    assert not bad, format_violations(bad)

A missing axe.min.js fails the test (it does not skip): a check that silently does not run
would pass anything.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_AXE = ROOT / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js"

# Every WCAG success-criterion rule of levels A and AA, up to 2.2 (axe's "best-practice" rules,
# such as one h1 per page or every region in a landmark, are left out: they are not WCAG).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def axe_source() -> str:
    path = Path(os.environ.get("SHOP_AXE_JS") or DEFAULT_AXE)
    if not path.is_file():
        pytest.fail(f"axe-core is not installed at {path}: run `make axe`")
    return path.read_text(encoding="utf-8")


def axe_violations(page, *, tags=None, disable=()) -> list[dict]:
    """The violations axe-core finds on the page as it is now (a list of axe's result dicts).

    `disable` names rules to leave out; give the reason next to the call.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, which the shop's Content-Security-Policy
        # (no inline scripts) does not block, unlike an injected <script> element.
        page.evaluate("source => { (0, eval)(source); }", axe_source())
    options = {
        "runOnly": {"type": "tag", "values": list(tags or WCAG_TAGS)},
        "rules": {rule: {"enabled": False} for rule in disable},
        "resultTypes": ["violations"],
    }
    result = page.evaluate("options => window.axe.run(document, options)", options)
    return result["violations"]


def format_violations(violations) -> str:
    """The violations as readable lines: rule, impact, help, and up to five offending nodes."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v.get('impact')}): {v['help']}")
        for node in v["nodes"][:5]:
            target = " ".join(str(t) for t in node.get("target", []))
            lines.append(f"    {target}: {node.get('failureSummary', '').splitlines()[-1:]}")
        if len(v["nodes"]) > 5:
            lines.append(f"    ... and {len(v['nodes']) - 5} more")
    return "\n".join(lines)
