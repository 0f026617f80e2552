"""Legal documents and consents in the back office: editing publishes a version, old versions
stay readable, bad input is refused with a reason, consents are listed and shown on the
customer's and the order's page."""

from sqlalchemy import func, select

from shop.extensions import db as _db
from shop.legal import services
from shop.legal.models import Consent, LegalVersion
from tests.admin.conftest import make_order
from tests.factories import UserFactory


def versions():
    services.current_versions()  # a new shop's documents are created on first use
    return _db.session.scalar(select(func.count()).select_from(LegalVersion))


def _form(token, **values):
    current = services.current_version("privacy")
    data = {
        "csrf_token": token,
        "title_ru": current.title_ru,
        "body_ru": current.body_ru,
        "title_en": current.title_en,
        "body_en": current.body_en,
    }
    return data | values


def test_an_edit_publishes_a_new_version_and_keeps_the_old_one(client, as_role, token):
    manager = as_role("manager")
    before = versions()
    old_body = services.current_version("privacy").body_ru
    response = client.post(
        "/admin/legal/privacy/?lang=en",
        data=_form(token(), body_ru="<p>Новая редакция</p><script>alert(1)</script>"),
        follow_redirects=True,
    )
    assert "Published as version 2." in response.get_data(as_text=True)
    assert versions() == before + 1
    current = services.current_version("privacy")
    assert current.number == 2 and current.published_by_id == manager.id
    assert current.body_ru == "<p>Новая редакция</p>"  # sanitised: no script
    # the old text is still there for staff, and the public page shows the new one
    old = client.get("/admin/legal/privacy/versions/1").get_data(as_text=True)
    assert old_body[:60] in old
    assert "Новая редакция" in client.get("/legal/privacy?lang=ru").get_data(as_text=True)
    page = client.get("/admin/legal/privacy/").get_data(as_text=True)
    assert "/admin/legal/privacy/versions/1" in page and "/admin/legal/privacy/versions/2" in page
    assert client.get("/admin/legal/privacy/versions/3").status_code == 404


def test_saving_the_same_text_publishes_nothing(client, as_role, token):
    as_role("admin")
    before = versions()
    response = client.post("/admin/legal/privacy/?lang=en", data=_form(token()),
                           follow_redirects=True)
    assert "Nothing has changed" in response.get_data(as_text=True)
    assert versions() == before


def test_bad_input_is_refused_with_a_reason(client, as_role, token):
    as_role("manager")
    before = versions()
    for values, message in (
        ({"title_ru": "  "}, "The title and the text in Russian are required."),
        ({"body_ru": "<script>x</script>"}, "The title and the text in Russian are required."),
        ({"body_en": ""}, "Fill in both the English title and the English text"),
        ({"title_ru": "x" * 201}, "Field cannot be longer than 200 characters."),
    ):
        response = client.post("/admin/legal/privacy/?lang=en", data=_form(token(), **values),
                               follow_redirects=True)
        assert response.status_code == 200
        assert message in response.get_data(as_text=True), values
    assert versions() == before
    assert client.get("/admin/legal/nope/").status_code == 404


def test_consents_are_listed_and_shown_on_the_customer_and_order_pages(client, as_role):
    as_role("manager")
    customer = UserFactory(roles=["customer"], email="buyer@example.com")
    order = make_order()
    grant = services.Grant({"offer": services.current_version("offer").id,
                            "privacy": services.current_version("privacy").id}, ip="10.1.2.3")
    services.add_consents(grant, email="buyer@example.com", user_id=customer.id,
                          order_id=order.id)
    _db.session.commit()
    listing = client.get("/admin/consents/").get_data(as_text=True)
    assert "buyer@example.com" in listing and "10.1.2.3" in listing
    assert client.get("/admin/consents/?flt0_0=offer").status_code == 200
    for url in (f"/admin/customers/details/?id={customer.id}",
                f"/admin/orders/details/?id={order.id}"):
        body = client.get(url).get_data(as_text=True)
        assert 'data-testid="consents"' in body and "10.1.2.3" in body, url
    assert _db.session.scalar(select(func.count()).select_from(Consent)) == 2
