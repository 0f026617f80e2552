"""The demo catalogue for `make run`: bilingual, two-level, with drawn product images.

Idempotent: categories, products and delivery methods are looked up by slug/code and only
missing ones are added, so running it twice adds nothing.
"""

import hashlib
import random
from decimal import Decimal
from io import BytesIO

from PIL import Image, ImageDraw
from slugify import slugify
from sqlalchemy import select

from shop.accounts.services import ensure_roles
from shop.catalog.images import store_image
from shop.catalog.models import Category, Product, ProductImage, ProductVariant
from shop.extensions import db
from shop.inventory.models import StockMovement, StockReason
from shop.shipping.models import DeliveryMethod

COLOURS = {
    "чёрный": ("black", (40, 42, 48)),
    "белый": ("white", (236, 236, 232)),
    "синий": ("blue", (48, 92, 170)),
    "красный": ("red", (178, 44, 44)),
    "зелёный": ("green", (52, 122, 78)),
    "серый": ("grey", (128, 132, 138)),
    "бежевый": ("beige", (214, 196, 164)),
}
COLOUR_CODES = {
    "чёрный": "BLK",
    "белый": "WHT",
    "синий": "BLU",
    "красный": "RED",
    "зелёный": "GRN",
    "серый": "GRY",
    "бежевый": "BEI",
}
CLOTHES_SIZES = ("S", "M", "L", "XL")
SHOE_SIZES = ("39", "40", "41", "42", "43", "44")

# (slug, ru, en, [(child slug, ru, en, kind, [(ru name, en name, base price), ...])])
TREE = [
    (
        "clothing",
        "Одежда",
        "Clothing",
        [
            (
                "t-shirts",
                "Футболки",
                "T-shirts",
                "clothes",
                [
                    ("Футболка базовая хлопковая", "Basic cotton T-shirt", 990),
                    ("Футболка оверсайз", "Oversized T-shirt", 1490),
                    ("Футболка с длинным рукавом", "Long-sleeve T-shirt", 1690),
                    ("Футболка-поло пике", "Piqué polo shirt", 2290),
                    ("Футболка спортивная дышащая", "Breathable sports T-shirt", 1890),
                    ("Футболка с принтом «Северное сияние»", "Northern Lights print T-shirt", 1590),
                    ("Футболка из льна", "Linen T-shirt", 2490),
                ],
            ),
            (
                "hoodies",
                "Худи и свитшоты",
                "Hoodies and sweatshirts",
                "clothes",
                [
                    ("Худи на молнии", "Zip-up hoodie", 3990),
                    ("Худи флисовое тёплое", "Warm fleece hoodie", 4590),
                    ("Свитшот классический", "Classic sweatshirt", 2990),
                    ("Свитшот с вышивкой", "Embroidered sweatshirt", 3490),
                    ("Худи оверсайз", "Oversized hoodie", 4290),
                    ("Свитшот из органического хлопка", "Organic cotton sweatshirt", 3790),
                    ("Кардиган шерстяной", "Wool cardigan", 4990),
                ],
            ),
            (
                "jeans",
                "Джинсы",
                "Jeans",
                "clothes",
                [
                    ("Джинсы прямые", "Straight-leg jeans", 3990),
                    ("Джинсы зауженные", "Slim-fit jeans", 4290),
                    ("Джинсы широкие", "Wide-leg jeans", 4590),
                    ("Джинсы с высокой посадкой", "High-rise jeans", 4490),
                    ("Джинсовые шорты", "Denim shorts", 2490),
                    ("Джинсы утеплённые", "Lined winter jeans", 5290),
                ],
            ),
        ],
    ),
    (
        "shoes",
        "Обувь",
        "Shoes",
        [
            (
                "sneakers",
                "Кроссовки",
                "Sneakers",
                "shoes",
                [
                    ("Кроссовки беговые лёгкие", "Lightweight running shoes", 6990),
                    ("Кроссовки кожаные белые", "White leather sneakers", 7990),
                    ("Кроссовки для зала", "Gym training shoes", 5490),
                    ("Кроссовки трекинговые", "Trail running shoes", 8490),
                    ("Кроссовки на платформе", "Platform sneakers", 6490),
                    ("Кроссовки детские", "Kids' sneakers", 3490),
                    ("Кеды парусиновые", "Canvas plimsolls", 2990),
                ],
            ),
            (
                "boots",
                "Ботинки",
                "Boots",
                "shoes",
                [
                    ("Ботинки зимние на меху", "Fur-lined winter boots", 9990),
                    ("Челси кожаные", "Leather Chelsea boots", 8990),
                    ("Ботинки трекинговые", "Hiking boots", 10490),
                    ("Ботинки рабочие", "Work boots", 7490),
                    ("Сапоги резиновые", "Rubber wellington boots", 2990),
                    ("Ботинки демисезонные", "All-season boots", 6990),
                    ("Валенки с галошами", "Felt boots with galoshes", 4990),
                ],
            ),
        ],
    ),
    (
        "home",
        "Дом",
        "Home",
        [
            (
                "tableware",
                "Посуда",
                "Tableware",
                "home",
                [
                    ("Кружка керамическая 350 мл", "Ceramic mug 350 ml", 590),
                    ("Набор тарелок на 4 персоны", "Dinner plate set for four", 2490),
                    ("Чайник заварочный стеклянный", "Glass teapot", 1290),
                    ("Сковорода чугунная 26 см", "Cast-iron frying pan 26 cm", 2990),
                    ("Набор бокалов для вина", "Wine glass set", 1790),
                    ("Миска для салата из бамбука", "Bamboo salad bowl", 990),
                    ("Кастрюля эмалированная 3 л", "Enamel saucepan 3 l", 2190),
                ],
            ),
            (
                "textiles",
                "Текстиль",
                "Textiles",
                "home",
                [
                    ("Плед шерстяной", "Wool throw blanket", 3490),
                    ("Комплект постельного белья из сатина", "Sateen bed linen set", 4990),
                    ("Полотенце махровое банное", "Terry bath towel", 1190),
                    ("Подушка декоративная", "Decorative cushion", 1290),
                    ("Скатерть льняная", "Linen tablecloth", 2290),
                    ("Шторы блэкаут", "Blackout curtains", 3990),
                    ("Коврик для ванной хлопковый", "Cotton bath mat", 1490),
                ],
            ),
        ],
    ),
    (
        "accessories",
        "Аксессуары",
        "Accessories",
        [
            (
                "bags",
                "Сумки и рюкзаки",
                "Bags and backpacks",
                "home",
                [
                    ("Рюкзак городской", "City backpack", 3990),
                    ("Сумка-шопер холщовая", "Canvas tote bag", 990),
                    ("Сумка через плечо", "Crossbody bag", 2990),
                    ("Рюкзак туристический 40 л", "Hiking backpack 40 l", 6490),
                    ("Поясная сумка", "Belt bag", 1490),
                    ("Портфель для ноутбука", "Laptop briefcase", 4490),
                ],
            ),
            (
                "hats",
                "Шапки и шарфы",
                "Hats and scarves",
                "clothes",
                [
                    ("Шапка вязаная с отворотом", "Knitted turn-up beanie", 1290),
                    ("Шарф шерстяной", "Wool scarf", 1790),
                    ("Кепка бейсбольная", "Baseball cap", 990),
                    ("Панама хлопковая", "Cotton bucket hat", 1190),
                    ("Снуд вязаный", "Knitted snood", 1490),
                    ("Перчатки кожаные", "Leather gloves", 2490),
                    ("Варежки шерстяные", "Wool mittens", 990),
                ],
            ),
        ],
    ),
]

DELIVERY = [
    (
        "courier",
        "Курьер",
        "Courier",
        "Доставка до двери в течение 1–3 дней.",
        "Door-to-door delivery within 1–3 days.",
        Decimal("390"),
        Decimal("5000"),
        True,
        1,
    ),
    (
        "post",
        "Почта России",
        "Russian Post",
        "Доставка в отделение почты за 5–10 дней.",
        "Delivery to a post office within 5–10 days.",
        Decimal("290"),
        None,
        True,
        2,
    ),
    (
        "pickup",
        "Самовывоз из магазина",
        "Pickup in store",
        "Москва, ул. Мясницкая, 10. Ежедневно с 10:00 до 21:00.",
        "Moscow, 10 Myasnitskaya St. Daily 10:00–21:00.",
        Decimal("0"),
        None,
        False,
        3,
    ),
]


def seed() -> dict | None:
    """Add whatever part of the demo catalogue is missing; commit once. Returns counts or None."""
    ensure_roles()
    counts = {"categories": 0, "products": 0, "variants": 0, "delivery": 0}
    existing_categories = {c.slug: c for c in db.session.scalars(select(Category)).all()}
    existing_products = set(db.session.scalars(select(Product.slug)).all())
    rng = random.Random(20261127)
    new_variants = []
    for top_pos, (slug, ru, en, children) in enumerate(TREE):
        top = existing_categories.get(slug)
        if top is None:
            top = Category(slug=slug, name_ru=ru, name_en=en, position=top_pos)
            db.session.add(top)
            counts["categories"] += 1
        for child_pos, (cslug, cru, cen, kind, products) in enumerate(children):
            child = existing_categories.get(cslug)
            if child is None:
                child = Category(
                    slug=cslug, name_ru=cru, name_en=cen, position=child_pos, parent=top
                )
                db.session.add(child)
                counts["categories"] += 1
            for index, (pru, pen, price) in enumerate(products):
                pslug = slugify(pru, max_length=150)
                if pslug in existing_products:
                    continue
                product = _make_product(rng, child, kind, pru, pen, price, pslug, index)
                db.session.add(product)
                new_variants.extend(product.variants)
                existing_products.add(pslug)
                counts["products"] += 1
                counts["variants"] += len(product.variants)
    known_codes = set(db.session.scalars(select(DeliveryMethod.code)).all())
    for code, ru, en, dru, den, price, free_from, needs_address, pos in DELIVERY:
        if code not in known_codes:
            db.session.add(
                DeliveryMethod(
                    code=code,
                    name_ru=ru,
                    name_en=en,
                    description_ru=dru,
                    description_en=den,
                    price=price,
                    free_from=free_from,
                    needs_address=needs_address,
                    position=pos,
                )
            )
            counts["delivery"] += 1
    db.session.flush()
    for variant in new_variants:
        db.session.add(
            StockMovement(
                variant_id=variant.id,
                delta=variant.stock,
                stock_after=variant.stock,
                reason=StockReason.INITIAL,
                note="demo seed",
            )
        )
    db.session.commit()
    return counts if any(counts.values()) else None


def _make_product(rng, category, kind, name_ru, name_en, price, slug, index) -> Product:
    colour_names = rng.sample(sorted(COLOURS), k=2 if kind != "home" else 1)
    description_ru = (
        f"<p>{name_ru} — вещь на каждый день: продуманный крой, надёжные материалы и "
        f"аккуратная отделка.</p><ul><li>Уход: деликатная стирка при 30 °C</li>"
        f"<li>Гарантия: 30 дней на возврат</li></ul>"
    )
    description_en = (
        f"<p>{name_en}: an everyday essential with a considered cut, durable materials and a "
        f"neat finish.</p><ul><li>Care: gentle wash at 30 °C</li>"
        f"<li>Guarantee: 30-day returns</li></ul>"
    )
    product = Product(
        slug=slug,
        category=category,
        name_ru=name_ru,
        name_en=name_en,
        description_ru=description_ru,
        description_en=description_en,
        brand=rng.choice(["Lavka", "Nord", "Taiga", "Volga"]),
        featured=index == 0,
        active=True,
    )
    sku_base = "LV-" + hashlib.sha256(slug.encode()).hexdigest()[:6].upper()
    sizes = {"clothes": CLOTHES_SIZES, "shoes": SHOE_SIZES}.get(kind, (None,))
    position = 0
    for colour in colour_names:
        for size in sizes:
            # Some variants sold out, so stock warnings and filters have something to show.
            stock = 0 if rng.random() < 0.12 else rng.randint(1, 25)
            surcharge = Decimal(100) if size in ("XL", "44") else Decimal(0)
            variant_price = Decimal(price) + surcharge
            old_price = (
                (variant_price * Decimal("1.25")).quantize(Decimal("1")) if index % 3 == 1 else None
            )
            product.variants.append(
                ProductVariant(
                    sku=f"{sku_base}-{COLOUR_CODES[colour]}" + (f"-{size}" if size else ""),
                    size=size,
                    colour=colour if kind != "home" else None,
                    price=variant_price,
                    old_price=old_price,
                    stock=stock,
                    weight_grams=rng.randint(150, 1500),
                    position=position,
                )
            )
            position += 1
    filename, width, height = store_image(_draw(kind, COLOURS[colour_names[0]][1]))
    product.images.append(
        ProductImage(
            filename=filename,
            width=width,
            height=height,
            alt_ru=name_ru,
            alt_en=name_en,
        )
    )
    return product


def _draw(kind: str, colour: tuple[int, int, int]) -> bytes:
    """A simple, pleasant product picture: the item's silhouette on a soft background."""
    width, height = 800, 600
    background = tuple(min(255, c // 4 + 190) for c in colour)
    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    cx, cy = width // 2, height // 2 - 20
    if kind == "clothes":
        body = [
            (cx - 150, cy - 130),
            (cx - 60, cy - 160),
            (cx - 30, cy - 130),
            (cx + 30, cy - 130),
            (cx + 60, cy - 160),
            (cx + 150, cy - 130),
            (cx + 210, cy - 40),
            (cx + 140, cy - 10),
            (cx + 120, cy - 50),
            (cx + 120, cy + 170),
            (cx - 120, cy + 170),
            (cx - 120, cy - 50),
            (cx - 140, cy - 10),
            (cx - 210, cy - 40),
        ]
        draw.polygon(body, fill=colour, outline=(30, 30, 30))
    elif kind == "shoes":
        draw.rounded_rectangle(
            [cx - 220, cy + 40, cx + 220, cy + 110],
            radius=30,
            fill=(245, 245, 245),
            outline=(60, 60, 60),
            width=3,
        )
        draw.pieslice(
            [cx - 220, cy - 140, cx + 120, cy + 160], 180, 360, fill=colour, outline=(30, 30, 30)
        )
        draw.rounded_rectangle(
            [cx - 60, cy - 10, cx + 220, cy + 60], radius=35, fill=colour, outline=(30, 30, 30)
        )
    else:
        draw.rounded_rectangle(
            [cx - 170, cy - 140, cx + 170, cy + 160],
            radius=40,
            fill=colour,
            outline=(30, 30, 30),
            width=3,
        )
        draw.ellipse([cx - 80, cy - 60, cx + 80, cy + 100], fill=background)
    buf = BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()
