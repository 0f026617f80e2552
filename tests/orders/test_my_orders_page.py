"""QA regression: "My orders" sits in the account area (its menu, like profile and addresses),
offers a way back to the shop when empty, and keeps order numbers on one line on phones."""

from tests.checkout.helpers import place
from tests.checkout.test_views import login
from tests.factories import UserFactory


def test_empty_list_has_account_menu_and_a_way_to_shop(client, db):
    user = UserFactory()
    login(client, user)
    body = client.get("/account/orders?lang=en").get_data(as_text=True)
    assert 'class="list-group account-nav"' in body
    assert 'href="/account/addresses"' in body and 'href="/account/profile"' in body
    assert "You have no orders yet." in body and "Continue shopping" in body


def test_list_shows_own_orders_with_menu(client, db):
    user = UserFactory()
    order = place(user_id=user.id)
    login(client, user)
    body = client.get("/account/orders?lang=ru").get_data(as_text=True)
    assert 'class="list-group account-nav"' in body
    assert body.count('data-testid="my-order"') == 1
    assert f'class="text-nowrap" href="/account/orders/{order.number}"' in body
