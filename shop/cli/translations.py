"""`python manage.py translate extract|update|compile|fill|check`: the message catalogs.

extract  scans the code and templates into translations/messages.pot
update   extract, then merge the template into ru and en (en entries default to their msgid,
         since the source strings are English)
compile  builds the .mo files the app reads (make run and make test do this)
fill     sets ru (or en) translations from a JSON file {"msgid": "text" | ["one", "few", "many"]}
check    exits non-zero when the template is stale or any entry is missing or fuzzy

Catalog writes take a file lock, so several people (or scripts) updating at once do not lose
each other's entries.
"""

import fcntl
import json
import os
import sys
from contextlib import contextmanager
from io import BytesIO

import click
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TRANSLATIONS = os.path.join(ROOT, "translations")
POT = os.path.join(TRANSLATIONS, "messages.pot")
LANGS = ("ru", "en")
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_gettext": None,
    "_l": None,
    "lazy_ngettext": (1, 2),
    "_n": (1, 2),
    "pgettext": ((1, "c"), 2),
}


# Flask-Security-Too ships its Russian catalogue as ru_RU (never found for plain "ru") and
# about a third of it is missing: we keep a complete copy in our translations folder.
SECURITY_DOMAIN = "flask_security"


def po_path(lang: str, domain: str = "messages") -> str:
    return os.path.join(TRANSLATIONS, lang, "LC_MESSAGES", f"{domain}.po")


def _security_sources():
    import flask_security

    base = os.path.join(os.path.dirname(flask_security.__file__), "translations")
    return (
        os.path.join(base, "flask_security.pot"),
        os.path.join(base, "ru_RU", "LC_MESSAGES", "flask_security.po"),
    )


def update_security_catalog() -> None:
    """Merge Flask-Security's template into our ru catalogue, seeding from its ru_RU one."""
    pot_path, upstream_path = _security_sources()
    template = _read(pot_path)
    ours_path = po_path("ru", SECURITY_DOMAIN)
    if os.path.exists(ours_path):
        catalog = _read(ours_path, locale="ru")
    else:
        catalog = _read(upstream_path, locale="ru")
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    catalog.fuzzy = False
    _write(ours_path, _serialise(catalog, no_location=True, include_lineno=False))


@contextmanager
def catalog_lock():
    os.makedirs(TRANSLATIONS, exist_ok=True)
    with open(os.path.join(TRANSLATIONS, ".lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_template() -> Catalog:
    from babel.messages.frontend import parse_mapping_cfg

    with open(os.path.join(TRANSLATIONS, "babel.cfg")) as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    catalog = Catalog(project="shop", charset="utf-8", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        ROOT,
        method_map,
        options_map,
        keywords=KEYWORDS,
        comment_tags=("NOTE:",),
        strip_comment_tags=True,
    ):
        if any(part in filename for part in (".venv", "node_modules", "tests/")):
            continue
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def _serialise(catalog: Catalog, **kwargs) -> bytes:
    buf = BytesIO()
    write_po(buf, catalog, omit_header=False, sort_output=True, width=100, **kwargs)
    return buf.getvalue()


def _read(path: str, locale: str | None = None) -> Catalog:
    with open(path, "rb") as handle:
        return read_po(handle, locale=locale)


def _write(path: str, data: bytes) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def _template_bytes(catalog: Catalog) -> bytes:
    # No locations and no dates: the template then only changes when a message changes.
    return _serialise(catalog, no_location=True, include_lineno=False)


def _strip_dates(data: bytes) -> bytes:
    return b"\n".join(
        line
        for line in data.splitlines()
        if not line.startswith((b'"POT-Creation-Date', b'"PO-Revision-Date'))
    )


def do_extract() -> Catalog:
    template = build_template()
    _write(POT, _template_bytes(template))
    return template


def _fill_english(catalog: Catalog) -> None:
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            if not message.string or not all(message.string):
                message.string = (message.id[0], message.id[1])
        elif not message.string:
            message.string = message.id
        message.flags.discard("fuzzy")


def do_update() -> None:
    template = do_extract()
    for lang in LANGS:
        path = po_path(lang)
        if os.path.exists(path):
            catalog = _read(path, locale=lang)
        else:
            catalog = Catalog(locale=lang, project="shop", charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.fuzzy = False
        catalog.obsolete.clear()
        if lang == "en":
            _fill_english(catalog)
        _write(path, _serialise(catalog, no_location=True, include_lineno=False))
    update_security_catalog()


def do_compile() -> None:
    import glob

    for path in sorted(glob.glob(os.path.join(TRANSLATIONS, "*", "LC_MESSAGES", "*.po"))):
        lang = path.split(os.sep)[-3]
        catalog = _read(path, locale=lang)
        buf = BytesIO()
        write_mo(buf, catalog, use_fuzzy=False)
        _write(path[:-3] + ".mo", buf.getvalue())


def missing_entries(lang: str, domain: str = "messages") -> list[str]:
    path = po_path(lang, domain)
    if domain != "messages" and not os.path.exists(path):
        return ["<catalog missing>"]
    catalog = _read(path, locale=lang)
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not strings or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def template_is_current() -> bool:
    if not os.path.exists(POT):
        return False
    with open(POT, "rb") as handle:
        on_disk = handle.read()
    return _strip_dates(on_disk) == _strip_dates(_template_bytes(build_template()))


@click.group("translate")
def translate():
    """Extract, update, compile and check the ru/en message catalogs."""


@translate.command("extract")
def extract_cmd():
    """Write translations/messages.pot from the code and templates."""
    with catalog_lock():
        catalog = do_extract()
    click.echo(f"{len(catalog)} messages in {os.path.relpath(POT, ROOT)}")


@translate.command("update")
def update_cmd():
    """Extract, then merge into ru and en (en defaults to the English source)."""
    with catalog_lock():
        do_update()
    for lang in LANGS:
        click.echo(f"{lang}: {len(missing_entries(lang))} untranslated")


@translate.command("compile")
def compile_cmd():
    """Build the .mo files the app reads."""
    do_compile()
    click.echo("compiled: " + ", ".join(LANGS))


@translate.command("fill")
@click.argument("lang", type=click.Choice(LANGS))
@click.argument("json_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--domain", default="messages", type=click.Choice(["messages", SECURITY_DOMAIN]))
def fill_cmd(lang, json_file, domain):
    """Set translations from a JSON object {msgid: text or [plural forms]}."""
    try:
        with open(json_file, encoding="utf-8") as handle:
            entries = json.load(handle)
    except (OSError, ValueError) as exc:
        raise click.ClickException(f"cannot read {json_file}: {exc}") from exc
    if not isinstance(entries, dict):
        raise click.ClickException("the JSON file must hold an object {msgid: translation}")
    with catalog_lock():
        path = po_path(lang, domain)
        catalog = _read(path, locale=lang)
        unknown = []
        for msgid, text in entries.items():
            message = catalog.get(msgid)
            if message is None:
                # plural entries are keyed by their singular msgid
                message = next(
                    (m for m in catalog if isinstance(m.id, tuple) and m.id[0] == msgid), None
                )
            if message is None:
                unknown.append(msgid)
                continue
            message.string = tuple(text) if isinstance(text, list) else text
            message.flags.discard("fuzzy")
        _write(path, _serialise(catalog, no_location=True, include_lineno=False))
    if unknown:
        click.echo(f"{len(unknown)} msgids not in the catalog (run update first):", err=True)
        for msgid in unknown[:20]:
            click.echo(f"  {msgid}", err=True)
    click.echo(f"{lang} {domain}: {len(missing_entries(lang, domain))} untranslated")


@translate.command("check")
def check_cmd():
    """Fail when the template is stale or a translation is missing."""
    problems = []
    if not template_is_current():
        problems.append("messages.pot is out of date: run `python manage.py translate update`")
    for lang in LANGS:
        missing = missing_entries(lang)
        if missing:
            problems.append(f"{lang}: {len(missing)} untranslated, e.g. {missing[:5]}")
    missing = missing_entries("ru", SECURITY_DOMAIN)
    if missing:
        problems.append(f"ru flask_security: {len(missing)} untranslated, e.g. {missing[:5]}")
    if problems:
        click.echo("\n".join(problems), err=True)
        sys.exit(1)
    click.echo("catalogs complete and current")
