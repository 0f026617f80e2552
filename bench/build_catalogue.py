"""Build the benchmark's own database: a large bilingual catalogue, users and order history.

The schema comes from the real migrations (`manage.py db upgrade heads`), then rows go in with
bulk `executemany` inserts through SQLAlchemy Core (never the ORM row by row), in one
transaction per table, and the planner statistics are refreshed (ANALYZE).

Sizes (full mode): 10,000 products, 30,000 variants, 10,000 images, 20,000 users,
100,000 orders with 150,000 lines. `--small` makes 100 products and a matching history.

Usage: python bench/build_catalogue.py DATABASE_URL [--small]
"""

import os
import random
import subprocess
import sys
import time
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, make_url, select, text  # noqa: E402

from shop import normalise_database_url  # noqa: E402

FULL = {"products": 10_000, "users": 20_000, "orders": 100_000}
SMALL = {"products": 100, "users": 200, "orders": 1_000}
VARIANTS_PER_PRODUCT = 3
CHUNK = 5_000
# The first products' variants have plenty of stock: the cart flow adds them over and over.
CART_PRODUCTS = 4

# Two-level tree. The first root holds 60 % of the products, so its listing has 250 pages of 24
# (the benchmark reads page 200 of it, filtered).
TREE = [
    (
        "clothing",
        "Одежда",
        "Clothing",
        0.60,
        [
            ("t-shirts", "Футболки", "T-shirts"),
            ("shirts", "Рубашки", "Shirts"),
            ("trousers", "Брюки", "Trousers"),
            ("jackets", "Куртки", "Jackets"),
            ("dresses", "Платья", "Dresses"),
            ("knitwear", "Трикотаж", "Knitwear"),
        ],
    ),
    (
        "shoes",
        "Обувь",
        "Shoes",
        0.25,
        [
            ("sneakers", "Кроссовки", "Sneakers"),
            ("boots", "Ботинки", "Boots"),
            ("sandals", "Сандалии", "Sandals"),
        ],
    ),
    (
        "home",
        "Дом",
        "Home",
        0.15,
        [
            ("kitchen", "Кухня", "Kitchen"),
            ("textile", "Текстиль", "Textile"),
            ("decor", "Декор", "Decor"),
        ],
    ),
]
WORDS_RU = [
    ("хлопковый", "cotton"),
    ("льняной", "linen"),
    ("шерстяной", "woollen"),
    ("базовый", "basic"),
    ("классический", "classic"),
    ("летний", "summer"),
    ("зимний", "winter"),
    ("спортивный", "sport"),
    ("городской", "city"),
    ("удобный", "comfortable"),
    ("лёгкий", "light"),
    ("тёплый", "warm"),
]
NOUNS = {
    "clothing": [
        ("свитер", "sweater"),
        ("пиджак", "blazer"),
        ("костюм", "suit"),
        ("жилет", "vest"),
        ("кардиган", "cardigan"),
    ],
    "shoes": [("кроссовки", "sneakers"), ("ботинки", "boots"), ("кеды", "trainers")],
    "home": [("плед", "blanket"), ("чайник", "kettle"), ("подушка", "pillow")],
}
SIZES = ("S", "M", "L", "XL")
COLOURS = ("чёрный", "белый", "синий", "красный", "серый")
BRANDS = ("Лавка", "Север", "Волга", "Урал", "Байкал")
# Benchmark users never log in: an Argon2-shaped placeholder that matches no password...
PASSWORD_HASH = "$argon2id$v=19$m=65536,t=3,p=4$YmVuY2g$bm8tcGFzc3dvcmQtbWF0Y2hlcy10aGlz"
# ...but for the first few, the signed-in shoppers of the benchmark, who log in through the
# login form with this password (set by `enable_logins`, hashed by the shop itself).
SHOPPERS = 8
SHOPPER_PASSWORD = "bench-shopper-password"


def migrate(url: str) -> None:
    env = dict(os.environ, SHOP_DATABASE_URL=url, SHOP_CONFIG="development")
    subprocess.run(
        [sys.executable, "manage.py", "db", "upgrade", "heads"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def reset(url: str) -> None:
    """An empty database at `url`: a new SQLite file, or a re-created PostgreSQL database.

    The PostgreSQL database is dropped, so its name must contain "bench" (a guard against
    pointing SHOP_BENCH_DATABASE_URL at the shop's real database).
    """
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///") :])
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return
    target = make_url(url)
    name = target.database or ""
    if "bench" not in name:
        raise SystemExit(f"refusing to wipe database {name!r}: its name must contain 'bench'")
    server = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    quoted = server.dialect.identifier_preparer.quote(name)
    with server.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {quoted}"))
    server.dispose()


def insert(conn, table, rows) -> None:
    """Bulk insert: COPY on PostgreSQL, chunked executemany elsewhere."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        columns = list(rows[0])
        quote = conn.dialect.identifier_preparer.quote
        names = ", ".join(quote(c) for c in columns)
        cursor = conn.connection.driver_connection.cursor()
        with cursor.copy(f"COPY {quote(table.name)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])
        return
    for start in range(0, len(rows), CHUNK):
        conn.execute(table.insert(), rows[start : start + CHUNK])


def build(url: str, sizes: dict, seed: int = 20261128) -> dict:
    """Fill the migrated database at `url`; returns the counts and a few slugs to request."""
    from shop import models  # noqa: F401 - fills the metadata
    from shop.extensions import db

    rng = random.Random(seed)
    tables = db.metadata.tables
    now = datetime(2026, 11, 1, 12, 0, 0)
    engine = create_engine(url)
    n_products = sizes["products"]
    with engine.begin() as conn:
        # Categories: roots first, then children; ids are assigned here so rows can refer to them.
        categories, leaves = [], []
        cid = 0
        for pos, (slug, ru, en, share, children) in enumerate(TREE):
            cid += 1
            root_id = cid
            categories.append(_category(root_id, None, slug, ru, en, pos, now))
            kids = []
            for cpos, (cslug, cru, cen) in enumerate(children):
                cid += 1
                categories.append(_category(cid, root_id, cslug, cru, cen, cpos, now))
                kids.append(cid)
            leaves.append((slug, share, kids))
        insert(conn, tables["category"], categories)
        # names of each category and the ones above it, searched with its products
        by_id = {row["id"]: row for row in categories}
        shelves = {}
        for row in categories:
            names, up = [], row
            while up is not None:
                names += [up["name_ru"], up["name_en"]]
                up = by_id.get(up["parent_id"])
            shelves[row["id"]] = names

        products, variants, images = [], [], []
        vid = 0
        allotted = 0
        for index, (root_slug, share, kids) in enumerate(leaves):
            count = n_products - allotted if index == len(leaves) - 1 else round(n_products * share)
            allotted += count
            for _ in range(count):
                pid = len(products) + 1
                adj_ru, adj_en = rng.choice(WORDS_RU)
                noun_ru, noun_en = rng.choice(NOUNS[root_slug])
                name_ru = f"{noun_ru.capitalize()} {adj_ru} {pid}"
                name_en = f"{adj_en.capitalize()} {noun_en} {pid}"
                base = Decimal(rng.randrange(490, 19_990, 10))
                sold_out = rng.random() < 0.1 and pid > CART_PRODUCTS
                created = now - timedelta(minutes=pid)
                skus = []
                for position in range(VARIANTS_PER_PRODUCT):
                    vid += 1
                    sku = f"B{pid:05d}-{position}"
                    skus.append(sku)
                    variants.append(
                        {
                            "id": vid,
                            "product_id": pid,
                            "sku": sku,
                            "size": SIZES[position % len(SIZES)],
                            "colour": rng.choice(COLOURS),
                            "price": base + 100 * position,
                            "old_price": base + 1000 if rng.random() < 0.2 else None,
                            "stock": _stock(pid, sold_out, rng),
                            "weight_grams": rng.randrange(100, 2000),
                            "position": position,
                            "active": True,
                            "created_at": created,
                            "updated_at": created,
                        }
                    )
                descriptions = (
                    f"<p>{name_ru}: {adj_ru} {noun_ru} на каждый день.</p>",
                    f"<p>{name_en}: an everyday {adj_en} {noun_en}.</p>",
                )
                stock_any = any(v["stock"] > 0 for v in variants[-VARIANTS_PER_PRODUCT:])
                category_id = rng.choice(kids)
                products.append(
                    {
                        "id": pid,
                        "category_id": category_id,
                        "slug": f"bench-{pid}",
                        "name_ru": name_ru,
                        "name_en": name_en,
                        "description_ru": descriptions[0],
                        "description_en": descriptions[1],
                        "brand": rng.choice(BRANDS),
                        "active": True,
                        "featured": pid % 50 == 0,
                        "min_price": base,
                        "in_stock": stock_any,
                        "search_text": search_text(
                            (name_ru, name_en), descriptions, skus, shelves[category_id]
                        ),
                        "created_at": created,
                        "updated_at": created,
                    }
                )
                images.append(
                    {
                        "id": pid,
                        "product_id": pid,
                        "filename": f"{pid:032x}.jpg",
                        "width": 1200,
                        "height": 900,
                        "position": 0,
                        "alt_ru": name_ru,
                        "alt_en": name_en,
                        "created_at": created,
                    }
                )
        insert(conn, tables["product"], products)
        if conn.dialect.name == "postgresql":
            fill_search_vectors(conn, tables["product"], products, variants, shelves)
        insert(conn, tables["product_variant"], variants)
        insert(conn, tables["product_image"], images)

        conn.execute(
            tables["delivery_method"].insert(),
            [
                {
                    "id": 1,
                    "code": "courier",
                    "name_ru": "Курьер",
                    "name_en": "Courier",
                    "price": Decimal("300.00"),
                    "needs_address": True,
                    "active": True,
                    "position": 0,
                    "created_at": now,
                    "updated_at": now,
                }
            ],
        )

        users = [
            {
                "id": uid,
                "email": shopper_email(uid),
                "password": PASSWORD_HASH,
                "active": True,
                "fs_uniquifier": f"bench-{uid:08d}",
                "locale": "ru" if uid % 3 else "en",
                "full_name": f"Покупатель {uid}",
                "create_datetime": now,
                "update_datetime": now,
            }
            for uid in range(1, sizes["users"] + 1)
        ]
        insert(conn, tables["user"], users)
        del users

        statuses = ("new", "paid", "processing", "shipped", "delivered", "cancelled")
        orders, lines = [], []
        line_id = 0
        for oid in range(1, sizes["orders"] + 1):
            created = now - timedelta(minutes=oid * 3)
            picked = rng.sample(variants, 1 if oid % 2 else 2)
            subtotal = Decimal(0)
            for variant in picked:
                line_id += 1
                qty = rng.randrange(1, 3)
                subtotal += variant["price"] * qty
                lines.append(
                    {
                        "id": line_id,
                        "order_id": oid,
                        "variant_id": variant["id"],
                        "product_name": products[variant["product_id"] - 1]["name_ru"],
                        "variant_label": variant["size"],
                        "sku": variant["sku"],
                        "unit_price": variant["price"],
                        "quantity": qty,
                        "line_total": variant["price"] * qty,
                    }
                )
            orders.append(
                {
                    "id": oid,
                    "number": f"B{oid:08d}",
                    "user_id": rng.randrange(1, sizes["users"] + 1) if oid % 4 else None,
                    "email": f"buyer{oid}@bench.example",
                    "phone": "+79990000000",
                    "customer_name": f"Покупатель {oid}",
                    "shipping_address": "Москва, ул. Тверская, 1",
                    "delivery_method_id": 1,
                    "delivery_method_name": "Курьер",
                    "delivery_price": Decimal("300.00"),
                    "payment_method": "cash" if oid % 3 else "card",
                    "subtotal": subtotal,
                    "total": subtotal + 300,
                    "currency": "RUB",
                    "status": statuses[oid % len(statuses)],
                    "locale": "ru",
                    "access_token": f"{oid:064x}",
                    "created_at": created,
                    "updated_at": created,
                }
            )
            if len(orders) >= CHUNK:
                insert(conn, tables["order"], orders)
                insert(conn, tables["order_line"], lines)
                orders, lines = [], []
        insert(conn, tables["order"], orders)
        insert(conn, tables["order_line"], lines)

        if conn.dialect.name == "postgresql":
            # Explicit ids were inserted: move the sequences past them.
            for name in (
                "category",
                "product",
                "product_variant",
                "product_image",
                "delivery_method",
                "user",
                "order",
                "order_line",
            ):
                table = tables[name]
                highest = select(func.coalesce(func.max(table.c.id), 1)).scalar_subquery()
                sequence = func.pg_get_serial_sequence(f'"{name}"', "id")
                conn.execute(select(func.setval(sequence, highest)))
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
        else:
            conn.execute(text("ANALYZE"))
            conn.commit()
    engine.dispose()
    return describe(sizes)


def shopper_email(uid: int) -> str:
    return f"user{uid}@bench.example"


def enable_logins(url: str) -> list[tuple[str, str]]:
    """Give the first SHOPPERS users SHOPPER_PASSWORD; returns their (email, password).

    The hash is made by the shop (Flask-Security with the development settings the benchmark
    serves), in a child process so this one builds no app; a database that already has it (a
    `--reuse` run) is left as it is.
    """
    from shop import models  # noqa: F401 - fills the metadata
    from shop.extensions import db

    user = db.metadata.tables["user"]
    ids = list(range(1, SHOPPERS + 1))
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            hashes = conn.execute(select(user.c.password).where(user.c.id.in_(ids))).scalars()
            if all(h and h != PASSWORD_HASH for h in hashes):
                return [(shopper_email(uid), SHOPPER_PASSWORD) for uid in ids]
        env = dict(
            os.environ,
            SHOP_DATABASE_URL=url,
            SHOP_CONFIG="development",
            BENCH_PASSWORD=SHOPPER_PASSWORD,
        )
        hashed = (
            subprocess.run(
                [sys.executable, "-c", _HASH_PASSWORD],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        with engine.begin() as conn:
            conn.execute(user.update().where(user.c.id.in_(ids)).values(password=hashed))
    finally:
        engine.dispose()
    return [(shopper_email(uid), SHOPPER_PASSWORD) for uid in ids]


_HASH_PASSWORD = """
import os
from flask_security import hash_password
from shop import create_app
app = create_app()
with app.app_context():
    print(hash_password(os.environ["BENCH_PASSWORD"]))
"""


def describe(sizes: dict) -> dict:
    """What the benchmark requests from a database built with `sizes`."""
    n_products = sizes["products"]
    return {
        "products": n_products,
        "variants": n_products * VARIANTS_PER_PRODUCT,
        "orders": sizes["orders"],
        "users": sizes["users"],
        "big_category": TREE[0][0],
        # Page 200 of the big category (60 % of the products, ~90 % in stock) at 24 a page.
        "deep_page": 200 if n_products >= 10_000 else 2,
        "product_slug": f"bench-{n_products // 2}",
        "cart_variants": list(range(1, CART_PRODUCTS * VARIANTS_PER_PRODUCT + 1)),
    }


def search_text(names, descriptions, skus, categories=()) -> str:
    """`Product.search_text` as the catalogue writes it on save (the search off PostgreSQL)."""
    try:
        from shop.catalog.search import build_search_text
    except ImportError:  # a catalogue without morphology: plain lower-case words
        return " ".join(n.lower() for n in (*names, *skus))
    try:
        return build_search_text(names, descriptions, skus, categories)
    except TypeError:  # a catalogue that does not search category names
        return build_search_text(names, descriptions, skus)


def fill_search_vectors(conn, product, products, variants, shelves=None) -> None:
    """`Product.search_vector` as the catalogue writes it on save (full-text search on PostgreSQL).

    The catalogue builds the tsvector in SQL from each product's words; the same expression is
    used here, for every product at once.
    """
    try:
        from shop.catalog.search import vector_expression
    except ImportError:
        return
    if "search_vector" not in product.c:
        return
    skus = {}
    for variant in variants:
        skus.setdefault(variant["product_id"], []).append(variant["sku"])
    sql, params = None, []
    for row in products:
        args = [
            (row["name_ru"], row["name_en"]),
            (row["description_ru"],),
            (row["description_en"],),
            skus.get(row["id"], ()),
        ]
        if shelves is not None:
            args.append(shelves[row["category_id"]])
        try:
            vector = vector_expression(*args)
        except TypeError:  # a catalogue that does not search category names
            vector = vector_expression(*args[:4])
        stmt = (
            product.update()
            .where(product.c.id == row["id"])
            .values(search_vector=vector, updated_at=row["updated_at"])
        )
        compiled = stmt.compile(dialect=conn.dialect)
        if sql is None:
            sql = compiled.string
        if compiled.string != sql:  # a different shape: run it on its own
            conn.execute(stmt)
            continue
        params.append(compiled.params)
    # Every product's UPDATE has the same SQL and differs only in its values: one executemany.
    if params:
        conn.exec_driver_sql(sql, params)


def _stock(pid, sold_out, rng):
    if pid <= CART_PRODUCTS:
        return 1_000_000  # the cart flow adds these again and again
    return 0 if sold_out else rng.randrange(0, 40)


def _category(cid, parent_id, slug, ru, en, position, now):
    return {
        "id": cid,
        "parent_id": parent_id,
        "slug": slug,
        "position": position,
        "name_ru": ru,
        "name_en": en,
        "active": True,
        "created_at": now,
        "updated_at": now,
    }


def main(argv=None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    small = "--small" in args
    args = [a for a in args if a != "--small"]
    if len(args) != 1:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    url = normalise_database_url(args[0])
    started = time.monotonic()
    reset(url)
    migrate(url)
    info = build(url, SMALL if small else FULL)
    print(f"built {info} in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
