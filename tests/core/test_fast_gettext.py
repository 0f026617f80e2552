"""Templates' `_()` looks translations up once per locale, and still follows locale switches."""

from flask_babel import force_locale, refresh

from shop.core.templating import _translations

TEMPLATE = "{{ _('In stock') }} | {{ ngettext('%(num)d item', '%(num)d items', 5) }}"


def render(app):
    return app.jinja_env.from_string(TEMPLATE).render()


def test_templates_translate_to_the_request_language(app):
    with app.app_context(), app.test_request_context("/", headers={"Accept-Language": "ru"}):
        assert render(app) == "В наличии | 5 товаров"
    with app.app_context(), app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert render(app) == "In stock | 5 items"


def test_force_locale_and_refresh_still_switch_the_language(app):
    with app.app_context(), app.test_request_context("/", headers={"Accept-Language": "ru"}):
        assert render(app).startswith("В наличии")
        with force_locale("en"):  # an email in the customer's language
            assert render(app).startswith("In stock")
        assert render(app).startswith("В наличии")
        from flask import g

        g.force_language = "en"
        refresh()
        assert render(app).startswith("In stock")


def test_the_lookup_is_kept_for_the_request(app):
    with app.app_context(), app.test_request_context("/"):
        assert _translations() is _translations()


def test_outside_a_request_the_default_language_is_used(app):
    with app.app_context():
        assert app.jinja_env.from_string("{{ _('In stock') }}").render() == "В наличии"


def test_values_are_escaped_where_the_template_escapes_and_only_there(app):
    source = (
        "{% for n in [1, 2] %}{% set who = '<b>' %}"
        "{{ _('Hello, %(name)s!', name=who) }}|{{ ngettext('%(num)d item', '%(num)d items', n) }}|"
        "{% endfor %}"
        "{% autoescape false %}{{ _('Hello, %(name)s!', name='<b>') }}{% endautoescape %}"
    )
    with app.app_context(), app.test_request_context("/", headers={"Accept-Language": "en"}):
        html = app.jinja_env.from_string(source).render()
        assert html == (
            "Hello, &lt;b&gt;!|1 item|Hello, &lt;b&gt;!|2 items|Hello, <b>!"
        )


def test_the_trans_tag_translates_too(app):
    source = "{% trans %}In stock{% endtrans %}"
    with app.app_context(), app.test_request_context("/", headers={"Accept-Language": "ru"}):
        assert app.jinja_env.from_string(source).render() == "В наличии"
