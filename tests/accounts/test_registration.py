"""Registration, email confirmation and the welcome mail, through HTTP with CSRF on."""

from shop.accounts.models import User
from shop.extensions import db
from tests.accounts.conftest import link_in
from tests.accounts.helpers import csrf, login
from tests.factories import UserFactory

GOOD_PASSWORD = "Tr0ub4dor&3x-lavka"


def register(client, email="new@example.com", password=GOOD_PASSWORD, name="Анна", **extra):
    data = {
        "email": email,
        "password": password,
        "password_confirm": password,
        "full_name": name,
        "accept_privacy": "y",
        "csrf_token": csrf(client, "/account/register"),
        **extra,
    }
    return client.post("/account/register", data=data)


def test_register_page_is_in_the_shop_layout(client):
    body = client.get("/account/register").get_data(as_text=True)
    assert 'class="navbar-brand brand"' in body  # base.html
    assert 'name="full_name"' in body
    assert "<style>" not in body and "style=" not in body


def test_register_creates_a_customer_in_the_page_language_and_queues_a_welcome(client, queued):
    client.set_cookie("lang", "en")
    response = register(client, name="Anna")
    assert response.status_code == 302
    user = db.session.query(User).filter_by(email="new@example.com").one()
    assert user.full_name == "Anna"
    assert user.locale == "en"
    assert user.confirmed_at is None
    assert [r.name for r in user.roles] == ["customer"]
    assert user.password.startswith("$argon2")
    [mail] = queued("new@example.com")
    assert mail.kind == "account_welcome"
    assert mail.locale == "en"
    assert "Welcome to Lavka" in mail.subject
    assert "/account/confirm/" in mail.body_text
    assert mail.status == "pending"


def test_welcome_mail_is_in_russian_for_a_russian_page(client, queued):
    client.set_cookie("lang", "ru")
    register(client)
    [mail] = queued("new@example.com")
    assert mail.locale == "ru"
    assert "Добро пожаловать" in mail.subject
    assert "Здравствуйте, Анна!" in mail.body_text


def test_confirmation_link_confirms_and_unconfirmed_shopper_is_reminded(client, queued):
    response = register(client)
    assert response.headers["Location"] == "/account/login"
    assert client.get("/account/profile").status_code == 302  # registering does not log in
    user = db.session.query(User).filter_by(email="new@example.com").one()
    # an unconfirmed shopper may log in (and shop) with the password at once, and is reminded
    response = login(client, user, GOOD_PASSWORD)
    assert response.status_code == 302
    # /account/start sends a shopper on to the shop (staff to the back office)
    body = client.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "Подтвердите адрес электронной почты" in body
    body = client.get("/account/profile").get_data(as_text=True)
    assert "new@example.com" in body and "/account/confirm" in body
    path = link_in(queued("new@example.com")[0], "/account/confirm/")
    client.post("/account/logout", data={"csrf_token": csrf(client, "/")})
    response = client.get(path)
    assert response.status_code == 302
    user = db.session.query(User).filter_by(email="new@example.com").one()
    db.session.refresh(user)
    assert user.confirmed_at is not None


def test_register_refuses_bad_passwords_and_changes_nothing(client):
    for password in ("short1", "password123", "x" * 129, "йцукенгшщз", "new@example.com"):
        response = register(client, password=password)
        assert response.status_code == 200, password
        assert "is-invalid" in response.get_data(as_text=True), password
    assert db.session.query(User).count() == 0


def test_register_needs_a_name(client):
    response = register(client, name="")
    assert response.status_code == 200
    assert db.session.query(User).count() == 0


def test_register_ignores_fields_it_does_not_declare(client):
    UserFactory(roles=["admin"])  # the role exists
    response = register(
        client,
        roles="admin",
        active="false",
        confirmed_at="2020-01-01 00:00:00",
        fs_uniquifier="chosen-by-attacker",
        user_id="1",
    )
    assert response.status_code == 302
    user = db.session.query(User).filter_by(email="new@example.com").one()
    assert [r.name for r in user.roles] == ["customer"]
    assert user.active is True
    assert user.confirmed_at is None
    assert user.fs_uniquifier != "chosen-by-attacker"


def test_register_answers_the_same_for_a_known_email(app, client, queued):
    UserFactory(email="known@example.com")
    known = register(client, email="known@example.com")
    unknown = register(app.test_client(), email="fresh@example.com")
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    # the owner of the known address is told by mail instead
    [mail] = queued("known@example.com")
    assert mail.kind == "account_welcome_existing"


def test_register_without_csrf_is_refused(client):
    response = client.post(
        "/account/register",
        data={
            "email": "x@example.com",
            "password": GOOD_PASSWORD,
            "password_confirm": GOOD_PASSWORD,
            "full_name": "X",
        },
    )
    assert response.status_code in (200, 400)
    assert db.session.query(User).count() == 0


def test_resend_confirmation_answers_the_same_and_queues_only_for_real_accounts(client, queued):
    UserFactory(email="pending@example.com", confirmed_at=None)
    a = client.post(
        "/account/confirm",
        data={"email": "pending@example.com", "csrf_token": csrf(client, "/account/confirm")},
    )
    b = client.post(
        "/account/confirm",
        data={"email": "nobody@example.com", "csrf_token": csrf(client, "/account/confirm")},
    )
    assert a.status_code == b.status_code
    assert [m.kind for m in queued()] == ["account_confirmation_instructions"]


def test_names_are_escaped_in_html_mail(client, queued):
    register(client, name="<b>Bob</b>")
    [mail] = queued("new@example.com")
    assert "&lt;b&gt;Bob&lt;/b&gt;" in mail.body_html and "<b>Bob" not in mail.body_html
    assert "/account/confirm/" in mail.body_html
