"""Staff two-factor set-up as a new staff member meets it (issue 14.10): they end in the back
office, a mistyped first code keeps the QR code and key on screen, recovery codes are offered,
and the key is written as authenticator apps take it."""

import re
import subprocess
from pathlib import Path

from flask_security import Security

from tests.accounts.helpers import PASSWORD, csrf
from tests.factories import UserFactory

KEY = re.compile(r'<code class="tf-key" id="tf-key">([^<]+)</code>')


def start_setup(client, staff):
    response = client.post(
        "/account/login",
        data={"email": staff.email, "password": PASSWORD, "csrf_token": csrf(client)},
    )
    assert "/account/tf-setup" in response.headers["Location"]
    token = csrf(client, "/account/tf-setup")
    page = client.post("/account/tf-setup", data={"setup": "authenticator", "csrf_token": token})
    return page.get_data(as_text=True), token


def code_for(client):
    security: Security = client.application.extensions["security"]
    with client.session_transaction() as session:
        secret = session["tf_totp_secret"]
    return security.totp_factory.generate_totp_password(secret)


def follow(client, response, limit=5):
    while response.status_code in (301, 302, 303) and limit:
        response = client.get(response.headers["Location"])
        limit -= 1
    return response


def test_the_key_is_shown_grouped_by_spaces_not_dashes(client, db):
    page, _ = start_setup(client, UserFactory(roles=["manager"]))
    key = KEY.search(page).group(1)
    assert "-" not in key
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{1,4})+", key), key


def test_a_mistyped_first_code_keeps_the_qr_code_and_key(client, db):
    page, token = start_setup(client, UserFactory(roles=["warehouse"]))
    key = KEY.search(page).group(1)
    wrong = client.post("/account/tf-validate", data={"code": "000000", "csrf_token": token})
    body = wrong.get_data(as_text=True)
    assert wrong.status_code == 200
    assert 'id="qrcode"' in body and 'src="data:image' in body
    assert KEY.search(body).group(1) == key  # the same key: nothing to start over
    right = client.post(
        "/account/tf-validate", data={"code": code_for(client), "csrf_token": token}
    )
    assert right.status_code == 302


def test_after_setup_staff_are_offered_recovery_codes_then_the_back_office(client, db):
    staff = UserFactory(roles=["admin"])
    _, token = start_setup(client, staff)
    done = client.post("/account/tf-validate", data={"code": code_for(client), "csrf_token": token})
    offer = follow(client, done)
    assert offer.request.path == "/account/mf-recovery-codes"
    body = offer.get_data(as_text=True)
    assert "setup=1" in offer.request.url
    codes_page = client.post(
        "/account/mf-recovery-codes?setup=1",
        data={"csrf_token": csrf(client, "/account/mf-recovery-codes?setup=1"),
              "generate_new_codes": "y"},
    )
    body = codes_page.get_data(as_text=True)
    assert len(re.findall(r"<li>[\w-]{5,}</li>", body)) == 8, body
    assert 'href="/account/start"' in body
    assert follow(client, client.get("/account/start")).request.path.startswith("/admin")


def test_staff_logging_in_later_land_in_the_back_office(client, db):
    from tests.accounts.helpers import login, logout

    staff = UserFactory(roles=["manager"])
    login(client, staff)
    logout(client)
    response = login(client, staff)
    assert follow(client, response).request.path.startswith("/admin")


def test_a_shopper_logging_in_lands_in_the_shop(client, db):
    from tests.accounts.helpers import login

    response = login(client, UserFactory())
    assert follow(client, response).request.path == "/"


def test_make_run_says_the_admin_sets_up_an_authenticator_app():
    root = Path(__file__).resolve().parents[2]
    banner = subprocess.run(
        ["make", "-s", "-n", "admin"], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    assert "authenticator app" in banner

