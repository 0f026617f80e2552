"""The W3C Nu HTML checker (vnu.jar) for tests: many HTML documents checked in one Java run.

The checker is the official `vnu.jar`, which `make vnu` installs from the npm package `vnu-jar`
into .venv/vnu (set SHOP_VNU_JAR to use another copy), run with the system Java. It takes a few
seconds to start, so give it every page of a test at once::

    from tests.nu_checker import check_documents, errors_only, format_report, require_checker

    require_checker()                       # skips the test when there is no Java at all
    results = check_documents({"home ru": html, "cart en": other_html})
    bad = errors_only(results)
    assert not any(bad.values()), format_report(bad)

Documents are named by the caller (any string); results come back under the same names, every
name present even when it has no message. Messages are NuMessage objects: errors (the document
is invalid), warnings ("info" with subtype "warning", e.g. a missing `lang`), and plain info.
Nothing here knows about the shop, so the back-office tests use it as they are.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_JAR = ROOT / ".venv" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
#: A whole batch rarely takes more than half a minute; this only stops a hung JVM.
TIMEOUT = 600


class CheckerUnavailable(RuntimeError):
    """Java or vnu.jar is missing, or the checker did not answer with a JSON report."""


@dataclass(frozen=True)
class NuMessage:
    """One message of the checker about one document."""

    type: str  # "error", "info" or "non-document-error" (the document could not be read)
    message: str
    subtype: str | None = None  # "warning" for warnings, "fatal" for fatal errors
    line: int | None = None
    column: int | None = None
    extract: str = ""

    @property
    def is_error(self) -> bool:
        return self.type in ("error", "non-document-error")

    @property
    def is_warning(self) -> bool:
        return self.type == "info" and self.subtype == "warning"

    def __str__(self) -> str:
        where = f"{self.line}:{self.column}" if self.line is not None else "-"
        kind = "warning" if self.is_warning else self.type
        extract = " ".join(self.extract.split())
        return f"{where} {kind}: {self.message}" + (f"  [{extract}]" if extract else "")


def java_path() -> str | None:
    """The Java to run vnu with: $JAVA_HOME/bin/java, else `java` on the PATH, else None."""
    home = os.environ.get("JAVA_HOME")
    if home and os.access(os.path.join(home, "bin", "java"), os.X_OK):
        return os.path.join(home, "bin", "java")
    return shutil.which("java")


def jar_path() -> Path:
    return Path(os.environ.get("SHOP_VNU_JAR") or DEFAULT_JAR)


def require_checker() -> None:
    """For tests: skip when this machine has no Java, fail when only vnu.jar is missing.

    Java is a system package (`make vnu` installs it with apt when it can); the jar is the
    project's own dependency, so its absence is a broken setup, not a reason to skip.
    """
    import pytest

    if java_path() is None:
        pytest.skip("the Nu HTML checker needs Java: install default-jre-headless (`make vnu`)")
    if not jar_path().is_file():
        pytest.fail(f"vnu.jar is missing at {jar_path()}: run `make vnu` (npm package vnu-jar)")


def check_documents(
    documents: Mapping[str, str], *, skip_info: bool = False, no_langdetect: bool = False
) -> dict[str, list[NuMessage]]:
    """Check HTML documents in one run of the checker; return the messages of each by name.

    `skip_info` drops info messages and warnings (vnu's --skip-info-messages) for a report of
    errors only; `no_langdetect` turns off the warning that a page's text is not in its `lang`
    language (useful for pages made of product names and numbers). Raises CheckerUnavailable
    when Java or the jar is missing or the checker fails.
    """
    java = java_path()
    if java is None:
        raise CheckerUnavailable("no Java found: install default-jre-headless")
    jar = jar_path()
    if not jar.is_file():
        raise CheckerUnavailable(f"vnu.jar is missing at {jar}: run `make vnu`")
    results: dict[str, list[NuMessage]] = {name: [] for name in documents}
    if not documents:
        return results
    with tempfile.TemporaryDirectory(prefix="nu-check-") as folder:
        by_file: dict[str, str] = {}
        for index, (name, html) in enumerate(documents.items()):
            path = Path(folder) / f"doc-{index:04d}.html"
            path.write_text(html, encoding="utf-8")
            by_file[path.name] = name
        command = [
            java,
            "-Xss1m",
            "-jar",
            str(jar),
            "--format",
            "json",
            "--stdout",
            "--exit-zero-always",
            "--asciiquotes",
        ]
        if skip_info:
            command.append("--skip-info-messages")
        if no_langdetect:
            command.append("--no-langdetect")
        command += sorted(str(Path(folder) / file) for file in by_file)
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=TIMEOUT, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise CheckerUnavailable(f"the Nu checker did not run: {exc}") from exc
        try:
            report = json.loads(done.stdout)
        except json.JSONDecodeError as exc:
            raise CheckerUnavailable(
                f"the Nu checker gave no JSON report (exit {done.returncode}): "
                f"{(done.stderr or done.stdout)[-2000:]}"
            ) from exc
    for raw in report.get("messages", []):
        file = raw.get("url", "").rsplit("/", 1)[-1]
        name = by_file.get(file)
        message = NuMessage(
            type=raw.get("type", "error"),
            subtype=raw.get("subType"),
            message=raw.get("message", ""),
            line=raw.get("lastLine"),
            column=raw.get("firstColumn", raw.get("lastColumn")),
            extract=raw.get("extract", ""),
        )
        if name is None:  # a message about no document in particular: show it on every one
            for messages in results.values():
                messages.append(message)
        else:
            results[name].append(message)
    return results


def check_html(html: str, **options) -> list[NuMessage]:
    """Check one document (starts Java once for it: prefer check_documents for many)."""
    return check_documents({"document": html}, **options)["document"]


def errors_only(results: Mapping[str, Iterable[NuMessage]]) -> dict[str, list[NuMessage]]:
    return {name: [m for m in messages if m.is_error] for name, messages in results.items()}


def warnings_only(results: Mapping[str, Iterable[NuMessage]]) -> dict[str, list[NuMessage]]:
    return {name: [m for m in messages if m.is_warning] for name, messages in results.items()}


def format_report(results: Mapping[str, Iterable[NuMessage]]) -> str:
    """A readable list of the messages per document, for an assertion's message."""
    parts = []
    for name, messages in results.items():
        messages = list(messages)
        if messages:
            parts.append(f"{name}:\n" + "\n".join(f"  {m}" for m in messages))
    return "\n".join(parts) or "no messages"
