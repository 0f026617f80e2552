"""The back office is for staff only."""

from tests.factories import UserFactory


def login(client, user, csrf_token):
    token = csrf_token("/account/login")
    response = client.post(
        "/account/login",
        data={"email": user.email, "password": "correct horse 1", "csrf_token": token},
    )
    assert response.status_code in (200, 302)


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


def test_shopper_gets_403(client, db, csrf_token):
    shopper = UserFactory(roles=["customer"])
    login(client, shopper, csrf_token)
    assert client.get("/admin/").status_code == 403
