"""The URL lists of the benchmark's real-traffic rows: every request another page of the catalogue.

A benchmark that loads one URL again and again measures the page cache, not the shop (issue 16).
These lists are what real shoppers open instead, drawn from the whole catalogue in the database
the benchmark built (so they also fit a database kept with `--reuse`):

* random products: every product page, in a shuffled order, one in four in English;
* random category pages: any category, a page number within the page count of that listing
  (counted here exactly as the storefront filters, so no URL falls past the last page), a sort
  of the storefront's (or the default), and on half of them filters: in stock, a size, a colour,
  a price range;
* searches: several hundred distinct queries in both languages made from the words the builder
  names products with (bench/build_catalogue.py): Russian word forms (plural, genitive,
  feminine, written with е for ё), English singular and plural, adjective + noun pairs in both
  orders and agreeing forms, category names, SKU prefixes;
* the mix: 5 product pages : 3 category pages : 2 searches in every ten requests.

Every list is shuffled with a fixed seed, so two runs request the same pages in the same order.
`split` cuts a list into the few URLs requested once before the load (their status, size and
SQL count are the row's), the warm-up's and the load's, which share no URL: a warm-up or a
measured request never makes the load's first pages answer from a cache.
"""

import math
import random
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from sqlalchemy import create_engine, text

from bench import build_catalogue

SORTS = ("price_asc", "price_desc", "newest", "name")  # and the default: no `sort` argument
ENGLISH_SHARE = 0.25  # products and category pages read with ?lang=en
FILTERED_SHARE = 0.5  # category pages with at least one filter
PRICE_BOUNDS = (500, 1000, 2000, 3000, 5000, 8000, 10000, 15000, 20000)
MIX = (("product", 5), ("category", 3), ("search", 2))
MIN_SEARCHES = 500

# Russian forms of the builder's nouns: (gender or "pl" for plural-only nouns, forms). A noun
# missing here (the builder's words changed) is searched in its dictionary form only.
NOUN_FORMS_RU = {
    "свитер": ("m", {"pl": "свитеры", "gen": "свитера", "gen_pl": "свитеров"}),
    "пиджак": ("m", {"pl": "пиджаки", "gen": "пиджака", "gen_pl": "пиджаков"}),
    "костюм": ("m", {"pl": "костюмы", "gen": "костюма", "gen_pl": "костюмов"}),
    "жилет": ("m", {"pl": "жилеты", "gen": "жилета", "gen_pl": "жилетов"}),
    "кардиган": ("m", {"pl": "кардиганы", "gen": "кардигана", "gen_pl": "кардиганов"}),
    "кроссовки": ("pl", {"sg": "кроссовка", "gen_pl": "кроссовок", "dat_pl": "кроссовкам"}),
    "ботинки": ("pl", {"sg": "ботинок", "gen_pl": "ботинок", "dat_pl": "ботинкам"}),
    "кеды": ("pl", {"sg": "кед", "gen_pl": "кедов", "dat_pl": "кедам"}),
    "плед": ("m", {"pl": "пледы", "gen": "пледа", "gen_pl": "пледов"}),
    "чайник": ("m", {"pl": "чайники", "gen": "чайника", "gen_pl": "чайников"}),
    "подушка": ("f", {"pl": "подушки", "acc": "подушку", "gen_pl": "подушек"}),
}


@dataclass
class Catalogue:
    """What the URLs are drawn from, read from the benchmark's database."""

    slugs: list  # product slugs, by id
    categories: dict  # slug -> ids of the category and every category below it
    products: list  # (category id, min price, in stock, {(size, colour)}) of every shown product
    skus: list  # every variant's SKU


def load_catalogue(url: str) -> Catalogue:
    """Products, categories and variants as the storefront shows them (active ones, sellable)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            cats = conn.execute(
                text("SELECT id, parent_id, slug FROM category WHERE active = :yes"), {"yes": True}
            ).all()
            rows = conn.execute(
                text(
                    "SELECT id, slug, category_id, min_price, in_stock FROM product "
                    "WHERE active = :yes AND min_price IS NOT NULL ORDER BY id"
                ),
                {"yes": True},
            ).all()
            variants = conn.execute(
                text(
                    "SELECT product_id, sku, size, colour FROM product_variant "
                    "WHERE active = :yes ORDER BY id"
                ),
                {"yes": True},
            ).all()
    finally:
        engine.dispose()
    below = {cid: [cid] for cid, _parent, _slug in cats}
    parents = {cid: parent for cid, parent, _slug in cats}
    for cid in parents:
        up = parents[cid]
        while up is not None and up in below:
            below[up].append(cid)
            up = parents.get(up)
    kinds = {}
    for product_id, _sku, size, colour in variants:
        kinds.setdefault(product_id, set()).add((size, colour))
    shown = [r for r in rows if r.category_id in below]
    return Catalogue(
        slugs=[r.slug for r in shown],
        categories={slug: set(below[cid]) for cid, _parent, slug in cats},
        products=[
            (r.category_id, float(r.min_price), bool(r.in_stock), kinds.get(r.id, set()))
            for r in shown
        ],
        skus=[sku for _pid, sku, _size, _colour in variants if sku],
    )


def product_urls(cat: Catalogue, rng: random.Random) -> list[str]:
    """Every product page once, shuffled."""
    urls = [
        f"/product/{quote(slug)}" + ("?lang=en" if rng.random() < ENGLISH_SHARE else "")
        for slug in cat.slugs
    ]
    rng.shuffle(urls)
    return urls


def category_urls(cat: Catalogue, rng: random.Random, count: int, per_page: int) -> list[str]:
    """`count` distinct category pages (fewer if the catalogue has fewer), each a real page."""
    slugs = sorted(cat.categories)
    all_sizes = sorted({size for p in cat.products for size, _c in p[3] if size})
    all_colours = sorted({colour for p in cat.products for _s, colour in p[3] if colour})
    urls, seen = [], set()
    for _attempt in range(count * 20):
        if len(urls) >= count or not slugs:
            break
        slug = rng.choice(slugs)
        args = {}
        if rng.random() < FILTERED_SHARE:
            kinds = rng.sample(["in_stock", "size", "colour", "price"], rng.choice((1, 1, 2)))
            if "in_stock" in kinds:
                args["in_stock"] = "1"
            if "size" in kinds and all_sizes:
                args["size"] = rng.choice(all_sizes)
            if "colour" in kinds and all_colours:
                args["colour"] = rng.choice(all_colours)
            if "price" in kinds:
                low, high = sorted(rng.sample((0, *PRICE_BOUNDS, None), 2), key=_bound)
                if low:
                    args["price_min"] = str(low)
                if high is not None:
                    args["price_max"] = str(high)
        count_here = _matching(cat, slug, args)
        if not count_here:
            continue  # a filter nothing matches: shoppers rarely land there
        sort = rng.choice((None, *SORTS))
        if sort:
            args["sort"] = sort
        page = rng.randint(1, math.ceil(count_here / per_page))
        if page > 1:
            args["page"] = str(page)
        if rng.random() < ENGLISH_SHARE:
            args["lang"] = "en"
        url = f"/catalog/{quote(slug)}" + (f"?{urlencode(args)}" if args else "")
        if url not in seen:
            seen.add(url)
            urls.append(url)
    return urls


def _bound(value):
    return math.inf if value is None else value


def _matching(cat: Catalogue, slug: str, args: dict) -> int:
    """How many products the category page with these filters lists (shop.catalog.queries)."""
    ids = cat.categories[slug]
    low = float(args["price_min"]) if "price_min" in args else None
    high = float(args["price_max"]) if "price_max" in args else None
    total = 0
    size, colour = args.get("size"), args.get("colour")
    for category_id, price, in_stock, variants in cat.products:
        if category_id not in ids:
            continue
        if low is not None and price < low or high is not None and price > high:
            continue
        if args.get("in_stock") and not in_stock:
            continue
        # A size and a colour: one active variant must have both (as the storefront filters).
        if (size or colour) and not any(
            (size is None or s == size) and (colour is None or c == colour) for s, c in variants
        ):
            continue
        total += 1
    return total


def adjective_forms_ru(word: str) -> list[str]:
    """Masculine, plural, genitive and feminine forms of a Russian adjective, and the same
    written with е for ё, as people type them."""
    forms = [word]
    stem, ending = word[:-2], word[-2:]
    if ending in ("ый", "ий", "ой"):
        soft = ending == "ий" and stem.endswith("н")  # летний, зимний
        velar = stem[-1:] in "кгхжшчщ"
        plural = stem + ("ие" if soft or velar else "ые")
        genitive = stem + ("его" if soft else "ого")
        feminine = stem + ("яя" if soft else "ая")
        forms += [plural, genitive, feminine]
    forms += [f.replace("ё", "е") for f in forms if "ё" in f]
    return forms


def adjective_agreeing(word: str, gender: str, case: str) -> str:
    """The adjective's form that goes with a noun of `gender` in `case` ("nom", "pl", "gen")."""
    _m, plural, genitive, feminine = (adjective_forms_ru(word) + [word] * 4)[:4]
    if case == "pl" or gender == "pl":
        return plural
    if case == "gen":
        return genitive
    return feminine if gender == "f" else word


def english_forms(word: str) -> list[str]:
    """A noun in the singular and the plural (t-shirts, t-shirt; dress, dresses)."""
    word = word.lower()
    if word.endswith("sses"):
        return [word, word[:-2]]
    if word.endswith("ss"):
        return [word, word + "es"]
    if word.endswith("s"):
        return [word, word[:-1]]
    return [word, word + "s"]


def search_queries(cat: Catalogue, rng: random.Random) -> list[tuple[str, str | None]]:
    """Distinct (query, language) pairs: Cyrillic ones read in Russian, Latin words in English
    (?lang=en), SKU prefixes in Russian. At least MIN_SEARCHES of them."""
    adjectives = build_catalogue.WORDS_RU
    nouns = [pair for group in build_catalogue.NOUNS.values() for pair in group]
    shelves = [(ru, en) for _s, ru, en, _share, kids in build_catalogue.TREE for _k, ru, en in kids]
    shelves += [(ru, en) for _s, ru, en, _share, _kids in build_catalogue.TREE]
    ru, en = [], []
    for adj_ru, adj_en in adjectives:
        ru += adjective_forms_ru(adj_ru)
        en.append(adj_en)
    for noun_ru, noun_en in nouns:
        _gender, forms = NOUN_FORMS_RU.get(noun_ru, ("m", {}))
        ru += [noun_ru, *forms.values()]
        en += english_forms(noun_en)
    for shelf_ru, shelf_en in shelves:
        ru.append(shelf_ru.lower())
        en += english_forms(shelf_en)
    for adj_ru, adj_en in adjectives:
        for noun_ru, noun_en in nouns:
            gender, forms = NOUN_FORMS_RU.get(noun_ru, ("m", {}))
            ru.append(f"{adjective_agreeing(adj_ru, gender, 'nom')} {noun_ru}")
            ru.append(f"{noun_ru} {adj_ru}")  # the word order of the builder's names
            if "pl" in forms:
                ru.append(f"{adjective_agreeing(adj_ru, gender, 'pl')} {forms['pl']}")
            if "gen" in forms:
                ru.append(f"{adjective_agreeing(adj_ru, gender, 'gen')} {forms['gen']}")
            for form in english_forms(noun_en):
                en.append(f"{adj_en} {form}")
    skus = rng.sample(cat.skus, min(len(cat.skus), 40))
    sku_queries = []
    for sku in skus:
        head = sku.split("-")[0]
        sku_queries += [sku, head, head.lower(), head[:-1]]
    queries = [(q, None) for q in ru + sku_queries] + [(q, "en") for q in en]
    unique = list(dict.fromkeys((q.strip(), lang) for q, lang in queries if q.strip()))
    rng.shuffle(unique)
    return unique


def search_urls(queries) -> list[str]:
    return [
        "/search?" + urlencode({"q": q, **({"lang": lang} if lang else {})}) for q, lang in queries
    ]


def mix_urls(lists: dict, rng: random.Random, length: int) -> list[str]:
    """`length` URLs, MIX's shares in every ten, each kind's URLs in its list's order (each list
    read from its start again when used up, so a long mix repeats the few searches first)."""
    kinds = [kind for kind, share in MIX for _ in range(share)]
    taken = {kind: 0 for kind, _share in MIX}
    urls = []
    while len(urls) < length:
        block = kinds[:]
        rng.shuffle(block)
        for kind in block:
            source = lists[kind]
            urls.append(source[taken[kind] % len(source)])
            taken[kind] += 1
    return urls[:length]


@dataclass
class Row:
    """One real-traffic row's URLs: measured once, warm-up, load (no URL in two of them)."""

    sample: list
    warm: list
    load: list
    distinct: int


def split(urls: list, sample: int, warm: int) -> Row:
    """Cut a list into its three parts; a short list keeps at least half of it for the load."""
    sample = min(sample, len(urls) // 4)
    warm = min(warm, len(urls) // 4)
    return Row(
        sample=urls[:sample],
        warm=urls[sample : sample + warm],
        load=urls[sample + warm :],
        distinct=len(set(urls)),
    )


def build_rows(url: str, small: bool, per_page: int, seed: int = 16) -> dict:
    """The real-traffic rows' URLs: {"product", "category", "search", "mix", "mix_signed_in"}
    -> Row."""
    rng = random.Random(seed)
    cat = load_catalogue(url)
    sample, warm = (6, 0) if small else (20, 400)
    products = product_urls(cat, rng)
    categories = category_urls(cat, rng, 2_000 if small else 20_000, per_page)
    searches = search_urls(search_queries(cat, rng))
    # Each mix draws from its own orders of the same lists: not the pages the rows before it
    # have just requested, in the same order.
    length = 2_000 if small else 20_000

    def mix():
        lists = {
            "product": rng.sample(products, len(products)),
            "category": rng.sample(categories, len(categories)),
            "search": rng.sample(searches, len(searches)),
        }
        return split(mix_urls(lists, rng, length), sample, warm)

    return {
        "product": split(products, sample, warm),
        "category": split(categories, sample, warm),
        # every query but the sample's and a few for the warm-up stays in the load
        "search": split(searches, sample, 0 if small else min(warm, len(searches) // 10)),
        "mix": mix(),
        "mix_signed_in": mix(),
    }
