"""The product page's variant picker: colour swatches and sizes chosen apart, and a gallery that
follows the colour.

A product sells variants, each a (colour, size) pair where either may be empty. The page shows
the colours and the sizes as two choices; a pair that is not sold (no such variant, or an
inactive one) or is sold out is shown as such instead of hidden, as shops do. The variant in the
address (`?variant=<id>`) is chosen when it is an active variant of this very product; any other
value is ignored and the first variant in stock is chosen (the first active one when none is).

Pictures may belong to one colour (ProductImage.colour) or to every colour (empty): the gallery
of a colour is its own pictures first, then the colourless ones; a colour without any picture
shows them all rather than nothing. js/product.js applies the same rules in the browser.
"""

from dataclasses import dataclass, field

from shop.catalog.attributes import colour_label


def colour_key(value: str | None) -> str:
    """How colours are compared: staff may type "Чёрный " for one variant and "чёрный" for a
    picture; both are the same colour."""
    return (value or "").strip().lower().replace("ё", "е")


@dataclass
class Option:
    value: str  # as stored (sent to the browser, compared by colour_key)
    label: str  # in the reader's language
    key: str = ""
    selected: bool = False
    state: str = "ok"  # ok | sold_out | missing (no variant with the chosen other attribute)


@dataclass
class Picker:
    variants: list  # active variants, in the shop's order
    selected: object  # the chosen variant (None when the product sells none)
    colours: list[Option] = field(default_factory=list)
    sizes: list[Option] = field(default_factory=list)
    images: list = field(default_factory=list)  # (image, shown) in gallery order

    @property
    def buyable(self) -> bool:
        return self.selected is not None and self.selected.stock > 0


def parse_variant_id(raw) -> int | None:
    """The `variant` query value as an id; None for anything that is not a plain number."""
    if not isinstance(raw, str) or not raw.isascii() or not raw.isdigit() or len(raw) > 12:
        return None
    return int(raw)


def build(product, raw_variant=None) -> Picker:
    """The picker of `product` with `raw_variant` (the query's string) chosen when it is one of
    its active variants."""
    variants = [v for v in product.variants if v.active]
    wanted = parse_variant_id(raw_variant)
    selected = next((v for v in variants if v.id == wanted), None)
    if selected is None:
        selected = next((v for v in variants if v.stock > 0), variants[0] if variants else None)
    picker = Picker(variants=variants, selected=selected)
    if selected is None:
        picker.images = [(image, True) for image in product.images]
        return picker
    chosen_colour, chosen_size = colour_key(selected.colour), selected.size or ""
    seen_colours, seen_sizes = {}, {}
    for v in variants:
        if v.colour and colour_key(v.colour) not in seen_colours:
            seen_colours[colour_key(v.colour)] = Option(
                v.colour, colour_label(v.colour), key=colour_key(v.colour)
            )
        if v.size and v.size not in seen_sizes:
            seen_sizes[v.size] = Option(v.size, v.size, key=v.size)
    for option in seen_colours.values():
        option.selected = option.key == chosen_colour
        same = [v for v in variants if colour_key(v.colour) == option.key]
        option.state = "ok" if any(v.stock > 0 for v in same) else "sold_out"
    for option in seen_sizes.values():
        option.selected = option.key == chosen_size
        match = [
            v for v in variants if (v.size or "") == option.key
            and colour_key(v.colour) == chosen_colour
        ]
        if not match:
            option.state = "missing"
        elif not any(v.stock > 0 for v in match):
            option.state = "sold_out"
    picker.colours = list(seen_colours.values())
    picker.sizes = list(seen_sizes.values())
    picker.images = gallery(product.images, selected.colour)
    return picker


def gallery(images, colour: str | None) -> list:
    """(image, shown) pairs: this colour's pictures first, then the colourless, then the other
    colours' (hidden). With no colour, or none of its own nor colourless, everything shows."""
    key = colour_key(colour)
    own = [i for i in images if key and colour_key(i.colour) == key]
    common = [i for i in images if not colour_key(i.colour)]
    others = [i for i in images if i not in own and i not in common]
    if not key or not (own or common):
        return [(image, True) for image in images]
    return [(i, True) for i in own + common] + [(i, False) for i in others]


def variant_data(picker, money, stock_text) -> list[dict]:
    """What js/product.js needs of each variant: formatted prices and a translated stock line
    (the server formats money and plurals; the browser only shows them)."""
    return [
        {
            "id": v.id,
            "colour": colour_key(v.colour),
            "size": v.size or "",
            "sku": v.sku,
            "price": money(v.price),
            "old": money(v.old_price) if _on_sale(v) else "",
            "off": round((1 - v.price / v.old_price) * 100) if _on_sale(v) else 0,
            "stock": v.stock,
            "max": min(v.stock, 99),
            "stockText": stock_text(v.stock),
        }
        for v in picker.variants
    ]


def _on_sale(variant) -> bool:
    return bool(variant.old_price and variant.old_price > variant.price)
