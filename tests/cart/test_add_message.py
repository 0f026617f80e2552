"""QA regression: after "Add to cart" the message links to the cart (on a 375 px phone the
header's cart is hidden in the closed menu, so the shopper had no visible way to the cart)."""



from tests.accounts.helpers import csrf
from tests.checkout.helpers import stocked


def _csrf(client, path):
    return csrf(client, path)


def test_added_message_links_to_the_cart_in_both_languages(client, db):
    variant = stocked()
    for lang, text, link in (("ru", "Товар добавлен в корзину.", "Перейти в корзину"),
                             ("en", "Added to your cart.", "Go to cart")):
        client.get(f"/lang/{lang}")  # the switcher's cookie: the POST is read in this language
        csrf = _csrf(client, f"/product/{variant.product.slug}")
        client.post("/cart/add", data={"csrf_token": csrf, "variant_id": variant.id,
                                       "quantity": 1, "next": "/product/x"})
        body = client.get("/cart").get_data(as_text=True)
        assert text in body
        assert f'<a class="alert-link" href="/cart" data-testid="go-to-cart">{link}</a>' in body


def test_error_messages_stay_plain_text(client, db):
    variant = stocked(stock=1)
    csrf = _csrf(client, f"/product/{variant.product.slug}")
    client.post("/cart/add", data={"csrf_token": csrf, "variant_id": variant.id, "quantity": 5})
    body = client.get("/cart").get_data(as_text=True)
    assert "go-to-cart" not in body and "alert-danger" in body
