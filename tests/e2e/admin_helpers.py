"""Set up back-office data in the live server's database: `python -m tests.e2e.admin_helpers`.

Run with the live server's environment (LiveServer.env), so it talks to that database:
  staff EMAIL PASSWORD ROLE   a staff member with two-factor (authenticator) already set up
  code EMAIL                  the member's current six-digit code
  order STATUS [NAME EMAIL]   a placed order moved to STATUS through the orders service,
                              optionally for a customer of that name and address
  customer EMAIL NAME         a shopper's account with a saved address and a delivered order;
                              prints its id
"""

import secrets
import sys
from datetime import UTC, datetime


def main(argv):
    from shop import create_app

    app = create_app()
    with app.app_context():
        from shop.accounts.models import User
        from shop.extensions import db, security

        command = argv[0]
        if command == "staff":
            email, password, role = argv[1:4]
            from flask_security import hash_password

            datastore = security.datastore
            user = datastore.create_user(
                email=email,
                password=hash_password(password),
                roles=[datastore.find_or_create_role(role)],
                confirmed_at=datetime.now(UTC).replace(tzinfo=None),
                locale="ru",
            )
            user.tf_primary_method = "authenticator"
            user.tf_totp_secret = security._totp_factory.generate_totp_secret()
            db.session.commit()
            print(user.id)
        elif command == "code":
            user = db.session.scalar(db.select(User).where(User.email == argv[1]))
            from tests.accounts.helpers import totp_code

            # The browser tests log one staff member in many times a minute, faster than any
            # person: a code is good once (shop.accounts.totp), so each login would need a code
            # further ahead than Flask-Security accepts. Forget the last code used, as if its
            # time step had passed; the replay rule itself is tested in tests/accounts.
            user.tf_totp_last_counter = None
            db.session.commit()
            print(totp_code(user))
        elif command == "order":
            print(make_order(*argv[1:4]))
        elif command == "customer":
            print(make_customer(*argv[1:3]))
        else:
            raise SystemExit(f"unknown command {command}")


def make_order(status: str, customer_name: str | None = None, email: str | None = None) -> str:
    from decimal import Decimal

    from shop.catalog.models import ProductVariant
    from shop.extensions import db
    from shop.inventory.services import take_for_order
    from shop.orders.services import transition
    from shop.shipping.models import DeliveryMethod
    from tests.admin.orders_data import build_order

    variant = db.session.scalar(
        db.select(ProductVariant).where(ProductVariant.stock > 2).order_by(ProductVariant.id)
    )
    method = db.session.scalar(db.select(DeliveryMethod).order_by(DeliveryMethod.id))
    order = build_order(
        variant,
        method,
        quantity=1,
        number="E2E-" + secrets.token_hex(3).upper(),
        customer_name=customer_name or "Мария Иванова",
        email=email or "buyer@example.com",
        delivery_price=Decimal("0.00"),
    )
    db.session.add(order)
    db.session.flush()
    take_for_order({variant.id: 1}, order.id)
    db.session.commit()
    if status != "new":
        transition(order.id, status)
    return order.number


def make_customer(email: str, name: str) -> int:
    from shop.accounts.models import Address, User
    from shop.extensions import db
    from shop.orders.models import Order

    user = User(
        email=email,
        full_name=name,
        phone="+79001234567",
        active=True,
        locale="ru",
        fs_uniquifier=secrets.token_hex(16),
        password="-",
    )
    db.session.add(user)
    db.session.flush()
    db.session.add(
        Address(
            user_id=user.id,
            recipient=name,
            city="Санкт-Петербург",
            street="Набережная реки Фонтанки, 152, кв. 48",
            postcode="190068",
        )
    )
    number = make_order("paid", name, email)  # cash marked paid: counts in the lifetime value
    order = db.session.scalar(db.select(Order).where(Order.number == number))
    order.user_id = user.id
    db.session.commit()
    return user.id


if __name__ == "__main__":
    main(sys.argv[1:])
