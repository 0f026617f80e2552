"""A two-factor code is good once (issue 13.4: one code logged a staff member in three times)."""

import threading

import pytest

from shop.accounts.models import User
from tests.accounts.helpers import PASSWORD, csrf, enable_totp, logout, totp_code
from tests.conftest import ON_POSTGRES
from tests.factories import UserFactory


def password_step(client, user):
    response = client.post(
        "/account/login",
        data={"email": user.email, "password": PASSWORD, "csrf_token": csrf(client)},
    )
    assert "/account/tf-validate" in response.headers["Location"]


def enter_code(client, code):
    token = csrf(client, "/account/tf-validate")
    return client.post("/account/tf-validate", data={"code": code, "csrf_token": token})


def logged_in(client) -> bool:
    return client.get("/account/profile").status_code == 200


def test_the_same_code_does_not_log_in_twice(app, db):
    staff = UserFactory(roles=["manager"])
    enable_totp(staff)
    code = totp_code(staff)
    first = app.test_client()
    password_step(first, staff)
    enter_code(first, code)
    assert logged_in(first)
    logout(first)

    for _ in range(2):  # the audit replayed it twice more within the code's window
        again = app.test_client()
        password_step(again, staff)
        response = enter_code(again, code)
        assert not logged_in(again)
        assert response.status_code == 200  # the code form again, with its error
        assert "code" in response.get_data(as_text=True).lower()


def test_the_next_code_still_works_after_a_replay_was_refused(app, db):
    staff = UserFactory(roles=["admin"])
    enable_totp(staff)
    used = totp_code(staff)
    client = app.test_client()
    password_step(client, staff)
    enter_code(client, used)
    logout(client)
    other = app.test_client()
    password_step(other, staff)
    enter_code(other, used)
    assert not logged_in(other)
    enter_code(other, totp_code(staff))  # the step after the used one
    assert logged_in(other)
    db.session.expire_all()
    assert db.session.get(User, staff.id).tf_totp_last_counter is not None


def test_a_used_step_is_kept_per_user(app, db):
    """Two staff members who happen to type codes of the same step both get in."""
    first, second = UserFactory(roles=["manager"]), UserFactory(roles=["warehouse"])
    enable_totp(first)
    enable_totp(second)
    for user in (first, second):
        client = app.test_client()
        password_step(client, user)
        enter_code(client, totp_code(user))
        assert logged_in(client)


@pytest.mark.skipif(not ON_POSTGRES, reason="row locks: PostgreSQL only")
def test_two_requests_racing_with_one_code_let_one_in(app, db):
    staff = UserFactory(roles=["manager"])
    enable_totp(staff)
    code = totp_code(staff)
    clients = [app.test_client() for _ in range(4)]
    with app.app_context():
        for client in clients:
            password_step(client, staff)
    barrier = threading.Barrier(len(clients))
    results = []

    def run(client):
        with app.app_context():
            token = csrf(client, "/account/tf-validate")
            barrier.wait()
            client.post("/account/tf-validate", data={"code": code, "csrf_token": token})
            results.append(logged_in(client))
            db.session.remove()

    threads = [threading.Thread(target=run, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == [False, False, False, True]
