"""Drawn pictures of the demo goods: one Pillow drawing per kind of product, in its colour.

`picture(kind, style, colour, shot)` returns JPEG bytes, 800 × 600 (4:3 like the shop's cards;
thumbnails are never scaled up, so the 1024 size is this one). `shot` picks the composition:
"front" (the product on its own), "detail" (a close-up), "scene" (on a table, on a hanger, a
pair of shoes) or "lineup" (every colour side by side, given a list of colours).

Everything is drawn twice as large and halved, which smooths the edges; shapes get a gradient,
an outline and a soft shadow so they read as illustrations. Deterministic: the same arguments
give the same bytes. Drawings use local units: 100 units span the `size` given to `Pic.at`.
"""

import math
from io import BytesIO

from PIL import Image, ImageDraw, ImageFilter

W, H = 800, 600
K = W / 1024  # compositions are laid out on a 1024 × 768 grid
SS = 2  # drawn at twice the size, then halved: smooth edges without per-shape antialiasing

PALETTE = {
    "чёрный": (44, 46, 52),
    "белый": (240, 238, 232),
    "синий": (46, 80, 152),
    "голубой": (122, 170, 214),
    "красный": (184, 44, 48),
    "зелёный": (54, 122, 82),
    "серый": (134, 138, 144),
    "бежевый": (216, 196, 162),
    "коричневый": (124, 80, 48),
    "жёлтый": (234, 192, 54),
    "розовый": (228, 152, 172),
    "фиолетовый": (132, 94, 172),
    "оранжевый": (232, 122, 44),
}
# Shades a kind of goods really comes in ("синий" jeans are denim, not a royal-blue mug).
KIND_SHADES = {
    ("jeans", "синий"): (50, 76, 120),
    ("jeans", "голубой"): (118, 150, 190),
    ("jeans", "чёрный"): (50, 52, 58),
    ("shorts", "голубой"): (118, 150, 190),
    ("pan", "чёрный"): (58, 58, 62),
    ("teapot", "чёрный"): (56, 56, 60),
    ("pan", "серый"): (96, 98, 104),
}
DEFAULT_COLOUR = (200, 170, 120)
WOOD = (176, 128, 84)
STEEL = (186, 190, 196)
INK = (40, 36, 34)


def colour_rgb(kind: str, name: str | None) -> tuple[int, int, int]:
    if name is None:
        return DEFAULT_COLOUR
    return KIND_SHADES.get((kind, name), PALETTE.get(name, DEFAULT_COLOUR))


def mix(a, b, t: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=False))


def lighter(c, t=0.3):
    return mix(c, (255, 255, 255), t)


def darker(c, t=0.3):
    return mix(c, (0, 0, 0), t)


def _profile(kind: str) -> Image.Image:
    """A 256 × 1 brightness profile (0 = lit, 255 = in shadow) for a shading kind."""
    values = []
    for i in range(256):
        t = i / 255
        if kind == "cyl":  # a cylinder lit from the upper left
            v = min(1.0, abs(t - 0.3) / 0.7) ** 1.4
        elif kind == "h":
            v = t
        else:
            v = t
        values.append(round(v * 255))
    strip = Image.new("L", (256, 1))
    strip.putdata(values)
    return strip


_GRADIENTS = {}


def _gradient(kind: str, w: int, h: int) -> Image.Image:
    base = _GRADIENTS.get(kind)
    if base is None:
        if kind == "v":
            base = Image.linear_gradient("L")
        elif kind == "radial":
            base = Image.radial_gradient("L")
        else:
            base = _profile(kind)
        _GRADIENTS[kind] = base
    return base.resize((max(1, w), max(1, h)), Image.BILINEAR)


def _shaded(lit, dim, kind: str, w: int, h: int) -> Image.Image:
    """A w × h texture going from `lit` to `dim` by a shading kind.

    Shaded at a quarter of the size and scaled up: a smooth gradient either way. A gradient
    that runs one way only ("v" down, "h" and "cyl" across) is made as one row or column and
    repeated, which costs a fraction of scaling a whole area (most of the seed's drawing time).
    """
    if kind == "v":
        strip = (1, max(2, h // 4))
        full = (1, h)
    elif kind in ("h", "cyl"):
        strip = (max(2, w // 4), 1)
        full = (w, 1)
    else:
        sw, sh = max(2, w // 4), max(2, h // 4)
        return Image.composite(
            Image.new("RGB", (sw, sh), dim), Image.new("RGB", (sw, sh), lit),
            _gradient(kind, sw, sh),
        ).resize((w, h), Image.BILINEAR)
    line = Image.composite(
        Image.new("RGB", strip, dim), Image.new("RGB", strip, lit), _gradient(kind, *strip)
    )
    return line.resize(full, Image.BILINEAR).resize((w, h), Image.NEAREST)


class Pic:
    """A canvas with a local coordinate system: `at(cx, cy, size)` puts (0, 0) at (cx, cy)
    in final pixels with 100 local units spanning `size` final pixels; `angle` rotates."""

    def __init__(self, background):
        self.img = Image.new("RGB", (W * SS, H * SS), background)
        self.draw = ImageDraw.Draw(self.img, "RGBA")
        self.at(W / 2, H / 2, 400)

    def at(self, cx, cy, size, angle=0.0):
        self.cx, self.cy, self.u = cx * SS * K, cy * SS * K, size * SS * K / 100
        self.cos, self.sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        return self

    def where(self):
        """The current (cx, cy, size) in layout units, to move about and come back."""
        return self.cx / (SS * K), self.cy / (SS * K), self.u * 100 / (SS * K)

    def p(self, x, y):
        x, y = x * self.cos - y * self.sin, x * self.sin + y * self.cos
        return (self.cx + x * self.u, self.cy + y * self.u)

    def pts(self, points):
        return [self.p(x, y) for x, y in points]

    def box(self, x0, y0, x1, y1):
        (a, b), (c, d) = self.p(x0, y0), self.p(x1, y1)
        return [min(a, c), min(b, d), max(a, c), max(b, d)]

    def w(self, width):
        return max(1, round(width * self.u))

    # --- shapes: ("poly", points) | ("ellipse", box) | ("rrect", box, radius) | ("chord", ...)
    def _mask(self, shape):
        kind = shape[0]
        if kind == "poly":
            xy = self.pts(shape[1])
        else:
            xy = self.box(*shape[1])
        if kind == "poly":
            xs = [p[0] for p in xy]
            ys = [p[1] for p in xy]
            x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
        else:
            x0, y0, x1, y1 = xy
        x0, y0 = math.floor(x0) - 2, math.floor(y0) - 2
        x1, y1 = math.ceil(x1) + 2, math.ceil(y1) + 2
        # Only the part on the canvas (a close-up draws shapes far larger than the picture).
        x0, y0 = max(x0, 0), max(y0, 0)
        x1, y1 = min(x1, W * SS), min(y1, H * SS)
        if x1 <= x0 or y1 <= y0:
            return None, (0, 0)
        mask = Image.new("L", (x1 - x0, y1 - y0), 0)
        md = ImageDraw.Draw(mask)
        self._render(md, shape, xy, -x0, -y0, fill=255)
        return mask, (x0, y0)

    def _render(self, d, shape, xy, dx, dy, fill=None, outline=None, width=0):
        kind = shape[0]
        if kind == "poly":
            d.polygon([(x + dx, y + dy) for x, y in xy], fill=fill, outline=outline,
                      width=width)
            return
        box = [xy[0] + dx, xy[1] + dy, xy[2] + dx, xy[3] + dy]
        if kind == "ellipse":
            d.ellipse(box, fill=fill, outline=outline, width=width)
        elif kind == "rrect":
            d.rounded_rectangle(box, radius=shape[2] * self.u, fill=fill, outline=outline,
                                width=width)
        elif kind == "chord":
            d.chord(box, shape[2], shape[3], fill=fill, outline=outline, width=width)
        elif kind == "ring":
            d.ellipse(box, fill=fill, outline=outline, width=width)
            t = shape[2] * self.u
            inner = [box[0] + t, box[1] + t, box[2] - t, box[3] - t]
            d.ellipse(inner, fill=0 if fill is not None else None, outline=outline, width=width)
        elif kind == "pie":
            d.pieslice(box, shape[2], shape[3], fill=fill, outline=outline, width=width)

    def shape(self, shape, colour, shade="v", line=0.5, light=0.22, dark=0.3, pattern=None):
        """Fill a shape with a shaded colour, add an optional pattern (a function drawing on
        the shape's own layer) and a darker outline `line` units wide."""
        mask, (x0, y0) = self._mask(shape)
        if mask is None:  # wholly outside the picture
            return
        w, h = mask.size
        if shade == "flat":
            tex = Image.new("RGB", (w, h), colour)
        else:
            tex = _shaded(lighter(colour, light), darker(colour, dark), shade, w, h)
        if pattern is not None:
            layer = ImageDraw.Draw(tex, "RGBA")
            pattern(layer, x0, y0)
        self.img.paste(tex, (x0, y0), mask)
        if line:
            xy = self.pts(shape[1]) if shape[0] == "poly" else self.box(*shape[1])
            self._render(self.draw, shape, xy, 0, 0, outline=darker(colour, 0.5) + (200,),
                         width=self.w(line))

    def line(self, points, colour, width=0.6, alpha=255, joint="curve"):
        self.draw.line(self.pts(points), fill=tuple(colour) + (alpha,), width=self.w(width),
                       joint=joint)

    def dashes(self, points, colour, width=0.35, dash=2.2, alpha=220):
        """A stitched seam along a polyline."""
        for (ax, ay), (bx, by) in zip(points, points[1:], strict=False):
            length = math.hypot(bx - ax, by - ay)
            steps = max(1, int(length / dash))
            for i in range(0, steps, 2):
                t0, t1 = i / steps, min(1, (i + 1) / steps)
                self.line([(ax + (bx - ax) * t0, ay + (by - ay) * t0),
                           (ax + (bx - ax) * t1, ay + (by - ay) * t1)], colour, width, alpha)

    def dot(self, x, y, r, colour, alpha=255, outline=None):
        self.draw.ellipse(self.box(x - r, y - r, x + r, y + r), fill=tuple(colour) + (alpha,),
                          outline=outline, width=self.w(0.3) if outline else 0)

    def _blurred_ellipse(self, x, y, rx, ry, blur, colour, alpha):
        """A blurred ellipse, drawn small around its own spot and scaled up (fast)."""
        cx, cy = self.p(x, y)
        rx, ry = rx * self.u, ry * self.u
        margin = blur * 3 * self.u
        x0, y0 = int(cx - rx - margin), int(cy - ry - margin)
        x1, y1 = int(cx + rx + margin), int(cy + ry + margin)
        k = 8  # the patch is drawn at 1/k of the canvas
        patch = Image.new("L", (max(2, (x1 - x0) // k), max(2, (y1 - y0) // k)), 0)
        ImageDraw.Draw(patch).ellipse([(cx - rx - x0) / k, (cy - ry - y0) / k,
                                       (cx + rx - x0) / k, (cy + ry - y0) / k], fill=alpha)
        patch = patch.filter(ImageFilter.GaussianBlur(blur * self.u / k))
        patch = patch.resize((x1 - x0, y1 - y0), Image.BILINEAR)
        self.img.paste(Image.new("RGB", patch.size, colour), (x0, y0), patch)

    def glow(self, x, y, r, colour, alpha=90):
        """A soft light (a candle flame's halo)."""
        self._blurred_ellipse(x, y, r * 0.6, r * 0.6, r / 3, colour, alpha)

    def shadow(self, x, y, rx, ry, strength=70):
        """A soft contact shadow on the floor under an object."""
        self._blurred_ellipse(x, y, rx, ry, max(1.5, ry * 0.8), (40, 34, 30), strength)

    def finish(self) -> bytes:
        image = self.img.reduce(SS)
        out = BytesIO()
        image.save(out, "JPEG", quality=90)
        return out.getvalue()


def _stripes(pic, colour, step, width, alpha=255, vertical=False, angle=0):
    """A pattern function: parallel stripes in canvas pixels (for `Pic.shape`)."""
    def draw(layer, x0, y0):
        w, h = layer.im.size
        s, lw = step * pic.u, max(1, width * pic.u)
        if vertical:
            x = -(x0 % s)
            while x < w:
                layer.rectangle([x, 0, x + lw, h], fill=tuple(colour) + (alpha,))
                x += s
        else:
            y = -(y0 % s)
            while y < h:
                layer.rectangle([0, y, w, y + lw], fill=tuple(colour) + (alpha,))
                y += s
    return draw


def _check(pic, a, b, step):
    def draw(layer, x0, y0):
        _stripes(pic, a, step, step * 0.35, 150)(layer, x0, y0)
        _stripes(pic, a, step, step * 0.35, 150, vertical=True)(layer, x0, y0)
        _stripes(pic, b, step, step * 0.08, 200)(layer, x0 + step * pic.u / 2, y0)
        _stripes(pic, b, step, step * 0.08, 200, vertical=True)(layer, x0 + step * pic.u / 2,
                                                                 y0)
    return draw


def _ribs(pic, c, step=2.2, alpha=60):
    return _stripes(pic, darker(c, 0.4), step, step * 0.3, alpha, vertical=True)


# --- clothes --------------------------------------------------------------------------------


def tshirt(pic, c, style=None):
    long = style == "longsleeve"
    wide = 6 if style == "oversized" else 0
    pattern = None
    if style == "striped":  # navy or red stripes knitted into white, sleeves included
        pattern = _stripes(pic, c, 6, 2.6)
        c = PALETTE["белый"]
    elif style == "linen":
        pattern = _stripes(pic, darker(c, 0.2), 1.4, 0.25, 40)
    sleeve_l = [(-24 - wide, -42), (-46 - wide, -26), (-40 - wide, -12), (-28 - wide, -18)]
    if long:
        sleeve_l = [(-24, -42), (-40, -30), (-48, 30), (-38, 32), (-29, -14)]
    for side in (1, -1):
        pts = [(x * side, y) for x, y in sleeve_l]
        pic.shape(("poly", pts), c, "v", pattern=pattern)
        if long:
            cuff = [(-48 * side, 26), (-38 * side, 28), (-38 * side, 33), (-48 * side, 31)]
            pic.shape(("poly", cuff), darker(c, 0.08), "flat")
    body = [(-24 - wide, -42), (-9, -46), (9, -46), (24 + wide, -42), (26 + wide, -16),
            (25 + wide, 46), (-25 - wide, 46), (-26 - wide, -16)]
    pic.shape(("poly", body), c, "v", pattern=pattern)
    pic.shape(("ellipse", (-10, -50, 10, -40)), darker(c, 0.35), "flat", line=0.3)
    if style == "polo":
        pic.shape(("poly", [(-10, -46), (0, -36), (-4, -30), (-14, -42)]), lighter(c, 0.1), "v")
        pic.shape(("poly", [(10, -46), (0, -36), (4, -30), (14, -42)]), lighter(c, 0.1), "v")
        pic.line([(0, -36), (0, -20)], darker(c, 0.3), 0.4)
        for y in (-32, -26, -21):
            pic.dot(1.6, y, 0.9, (245, 242, 236), outline=darker(c, 0.4))
    else:
        pic.line([(-10, -45), (0, -38), (10, -45)], darker(c, 0.15), 1.2)
    pic.line([(-12, 10), (-6, 30)], darker(c, 0.25), 0.5, 70)
    pic.line([(14, -8), (10, 20)], darker(c, 0.25), 0.5, 60)
    pic.dashes([(-25 - wide, 43), (25 + wide, 43)], darker(c, 0.3), 0.3)


def hoodie(pic, c, style=None):
    # the hood lies flat behind the neck: wide at the shoulders, rounded at the top
    hood = [(-22, -40), (-21, -50), (-16, -58), (-8, -62), (0, -63), (8, -62), (16, -58),
            (21, -50), (22, -40)]
    pic.shape(("poly", hood), darker(c, 0.1), "v")
    pic.shape(("poly", [(-11, -38), (-12, -48), (-7, -55), (0, -57), (7, -55), (12, -48),
                        (11, -38)]), darker(c, 0.45), "v", line=0.2)
    pic.line([(-21, -48), (-12, -58), (0, -61), (12, -58), (21, -48)], darker(c, 0.25), 0.4,
             120)
    _sweat_body(pic, c, hood=True)
    if style == "zip":
        pic.line([(0, -38), (0, 44)], darker(c, 0.45), 1.0)
        pic.dashes([(0, -38), (0, 44)], STEEL, 0.6, 0.8, 255)
        pic.dot(1.2, -28, 1.4, STEEL, outline=darker(STEEL, 0.4))
        for side in (1, -1):
            pic.shape(("poly", [(side * 4, 10), (side * 19, 14), (side * 21, 34), (side * 4, 34)]),
                      c, "v", line=0.35)
    else:
        pic.shape(("poly", [(-16, 12), (16, 12), (21, 34), (-21, 34)]), c, "v", line=0.35)
    for side in (1, -1):
        pic.line([(side * 4, -36), (side * 5, -14)], lighter(c, 0.55), 0.7)
        pic.dot(side * 5, -13, 0.9, lighter(c, 0.7))


def _sweat_body(pic, c, hood=False, style=None):
    for side in (1, -1):
        pic.shape(("poly", [(side * 22, -40), (side * 36, -30), (side * 46, 30),
                            (side * 36, 33), (side * 27, -10)]), c, "v")
        pic.shape(("poly", [(side * 46, 28), (side * 36, 31), (side * 36, 38), (side * 46, 35)]),
                  darker(c, 0.08), "flat", pattern=_ribs(pic, c, 1.6))
    body = [(-22, -40), (-8, -44), (8, -44), (22, -40), (26, -14), (26, 40), (-26, 40), (-26, -14)]
    pic.shape(("poly", body), c, "v")
    pic.shape(("rrect", (-26, 38, 26, 46), 1), darker(c, 0.06), "flat",
              pattern=_ribs(pic, c, 1.6))
    if not hood:
        pic.shape(("ellipse", (-11, -48, 11, -37)), darker(c, 0.08), "flat",
                  pattern=_ribs(pic, c, 1.4), line=0.4)
        pic.shape(("ellipse", (-8, -46, 8, -40)), darker(c, 0.4), "flat", line=0.2)
    pic.line([(-14, 0), (-8, 26)], darker(c, 0.2), 0.5, 70)


def sweatshirt(pic, c, style=None):
    _sweat_body(pic, c)
    if style == "organic":
        # a small embroidered sprig on the chest
        pic.line([(12, -22), (16, -30)], (70, 110, 70), 0.5)
        for i, (x, y) in enumerate([(13, -24), (14.5, -27), (15.5, -29.5)]):
            s = 1 if i % 2 else -1
            pic.shape(("ellipse", (x - 1.2 + s, y - 0.8, x + 1.2 + s, y + 0.8)), (80, 130, 80),
                      "flat", line=0)


def cardigan(pic, c, style=None):
    _sweat_body(pic, c, hood=True)
    pic.shape(("poly", [(-8, -44), (8, -44), (0, -6)]), (240, 236, 228), "v", line=0.3)
    pic.line([(-8, -44), (0, -6), (0, 40)], darker(c, 0.35), 0.6)
    for y in (-2, 10, 22, 34):
        pic.dot(-2.2, y, 1.3, WOOD, outline=darker(WOOD, 0.4))
    for side in (1, -1):
        pic.shape(("rrect", (side * 8 if side > 0 else -21, 14, side * 21 if side > 0 else -8,
                             28), 1), c, "v", line=0.35, pattern=_ribs(pic, c, 1.5, 40))


def jeans(pic, c, style=None):
    top, crotch = -46, -12
    hem = {"wide": (20, 34), "slim": (9, 16)}.get(style, (14, 24))
    inner, outer = hem
    for side in (1, -1):
        leg = [(side * 2, top + 8), (side * 24, top + 8), (side * (26 + (outer - 24) * 0.3), 0),
               (side * (outer + 2), 48), (side * (outer + 2 - 2 * inner + 2), 48),
               (side * 1.5, crotch)]
        pic.shape(("poly", leg), c, "v", pattern=_stripes(pic, darker(c, 0.2), 1.2, 0.3, 50))
        pic.dashes([(side * 23, top + 10), (side * (outer + 0.5), 46)], (214, 160, 70), 0.35)
        if style == "lined":  # the turn-up shows the checked flannel lining
            a, b = side * (outer + 2), side * (outer + 4 - 2 * inner)
            pic.shape(("poly", [(a, 42), (b, 42), (b, 48), (a, 48)]), (210, 70, 60), "flat",
                      pattern=_check(pic, (240, 240, 240), (40, 40, 40), 2.2))
        # pocket opening
        pic.line([(side * 6, top + 9), (side * 16, top + 16), (side * 24, top + 15)],
                 darker(c, 0.35), 0.5)
    pic.shape(("rrect", (-24, top, 24, top + 9), 1), c, "v", line=0.4)
    pic.dashes([(-23, top + 7.5), (23, top + 7.5)], (214, 160, 70), 0.3)
    for x in (-18, -7, 7, 18):
        pic.shape(("rrect", (x - 1, top - 1, x + 1, top + 10), 0.5), darker(c, 0.05), "flat",
                  line=0.25)
    pic.dot(0, top + 4.5, 1.4, (200, 170, 90), outline=darker((200, 170, 90), 0.4))
    pic.dashes([(3, top + 10), (4, crotch + 6), (0, crotch + 9)], (214, 160, 70), 0.3)


def shorts(pic, c, style=None):
    top = -30
    for side in (1, -1):
        leg = [(side * 2, top + 8), (side * 26, top + 8), (side * 32, 22), (side * 4, 24),
               (side * 1.5, 4)]
        pic.shape(("poly", leg), c, "v", pattern=_stripes(pic, darker(c, 0.2), 1.2, 0.3, 50))
        pic.shape(("poly", [(side * 32, 17), (side * 4, 19), (side * 4, 25), (side * 32, 23)]),
                  lighter(c, 0.1), "flat", line=0.35)
        pic.line([(side * 6, top + 9), (side * 16, top + 16), (side * 26, top + 15)],
                 darker(c, 0.35), 0.5)
    pic.shape(("rrect", (-26, top, 26, top + 9), 1), c, "v", line=0.4)
    pic.dashes([(-25, top + 7.5), (25, top + 7.5)], (214, 160, 70), 0.3)
    pic.dot(0, top + 4.5, 1.4, (200, 170, 90), outline=darker((200, 170, 90), 0.4))


# --- footwear -------------------------------------------------------------------------------


def sneaker(pic, c, style=None):
    sole = (60, 60, 64) if style in ("trail", "gym") and c[0] > 150 else (244, 242, 236)
    if style == "trail":
        sole = (58, 56, 54)
    upper = c
    sole_top = 8
    pic.shape(("rrect", (-48, sole_top, 46, sole_top + 13 + (3 if style == "runner" else 0)), 6),
              sole, "v", line=0.5)
    if style == "trail":
        for x in range(-44, 44, 7):
            pic.shape(("rrect", (x, sole_top + 12, x + 4, sole_top + 17), 1), darker(sole, 0.2),
                      "flat", line=0)
    else:
        pic.line([(-46, sole_top + 5), (44, sole_top + 5)], darker(sole, 0.15), 0.5)
    body = [(-46, sole_top), (-46, -14), (-40, -22), (-28, -24), (-18, -16), (-4, -14),
            (12, -8), (30, -4), (42, 0), (46, sole_top)]
    pattern = None
    if style == "runner":
        pattern = _stripes(pic, lighter(c, 0.35), 1.6, 0.35, 80, vertical=True)
    pic.shape(("poly", body), upper, "v", pattern=pattern)
    # toe cap and heel counter
    pic.shape(("poly", [(30, -4), (42, 0), (46, sole_top), (26, sole_top), (24, -4)]),
              lighter(upper, 0.12) if style != "leather" else upper, "v", line=0.4)
    pic.shape(("poly", [(-46, sole_top), (-46, -14), (-40, -20), (-36, -6), (-34, sole_top)]),
              darker(upper, 0.12), "v", line=0.4)
    # side panel
    accent = lighter(c, 0.6) if sum(c) < 300 else darker(c, 0.35)
    if style == "leather":
        for i in range(5):
            pic.dot(20 + i * 2.2, 0 + i * 0.4, 0.5, darker(c, 0.25))
    else:
        pic.shape(("poly", [(-30, 4), (-8, -8), (8, -2), (-18, 6)]), accent, "v", line=0.3)
    pic.shape(("ellipse", (-42, -24, -26, -16)), darker(c, 0.45), "flat", line=0.2)
    lace = (245, 244, 240) if sum(c) < 600 else (70, 70, 74)
    for i in range(5):
        x = -16 + i * 6
        y = -15 + i * 1.8
        pic.dot(x - 1, y + 3, 0.7, darker(c, 0.5))
        pic.line([(x - 3, y - 1), (x + 3, y + 1)], lace, 0.9)
    pic.line([(-16, -15), (-20, -20), (-17, -24)], lace, 0.7)


def plimsoll(pic, c, style=None):
    rubber = (244, 242, 236)
    pic.shape(("rrect", (-48, 6, 46, 18), 5), rubber, "v", line=0.5)
    pic.line([(-47, 11), (45, 11)], mix(c, rubber, 0.2) if sum(c) < 650 else (180, 40, 40), 0.9)
    body = [(-46, 6), (-46, -30), (-38, -34), (-24, -32), (-14, -8), (10, -6), (30, -2),
            (42, 2), (46, 6)]
    pic.shape(("poly", body), c, "v", pattern=_stripes(pic, darker(c, 0.15), 1.0, 0.2, 40))
    pic.shape(("poly", [(26, -2), (42, 2), (46, 6), (24, 6)]), rubber, "v", line=0.4)
    pic.shape(("ellipse", (-40, -36, -26, -28)), darker(c, 0.4), "flat", line=0.2)
    pic.dot(-34, -16, 2.6, (240, 238, 230), outline=darker(c, 0.4))
    lace = (246, 244, 240) if sum(c) < 600 else (200, 200, 204)
    for i in range(6):
        x, y = -22 + i * 5, -28 + i * 3.8
        pic.dot(x + 1.5, y + 2, 0.8, STEEL, outline=darker(STEEL, 0.5))
        pic.line([(x - 1, y), (x + 4, y + 2.5)], lace, 0.9)


def boot(pic, c, style=None):
    sole = (52, 48, 44) if style != "chelsea" else darker(c, 0.5)
    heel_h = 8 if style == "hiking" else 6
    pic.shape(("rrect", (-40, 22, 46, 22 + heel_h), 3), sole, "v", line=0.4)
    if style in ("hiking", "winter"):
        for x in range(-38, 44, 6):
            pic.line([(x, 22 + heel_h), (x, 22 + heel_h + 2)], darker(sole, 0.3), 1.6)
    shaft_top = -46
    body = [(-40, 22), (-40, shaft_top), (-14, shaft_top), (-12, -8), (10, 0), (30, 6),
            (42, 12), (46, 22)]
    pattern = _stripes(pic, darker(c, 0.15), 1.1, 0.2, 30) if style == "hiking" else None
    pic.shape(("poly", body), c, "v", pattern=pattern)
    pic.shape(("poly", [(28, 6), (42, 12), (46, 22), (22, 22)]), darker(c, 0.12), "v", line=0.4)
    pic.dashes([(-38, 18), (44, 18)], lighter(c, 0.35), 0.3)
    if style == "chelsea":
        pic.shape(("poly", [(-31, shaft_top), (-23, shaft_top), (-20, -6), (-32, -4)]),
                  darker(c, 0.55), "v", pattern=_ribs(pic, darker(c, 0.5), 1.2, 90), line=0.3)
        pic.shape(("rrect", (-42, shaft_top - 6, -36, shaft_top + 4), 1.5), darker(c, 0.3),
                  "flat", line=0.3)
    elif style == "winter":
        pic.shape(("rrect", (-43, shaft_top - 6, -11, shaft_top + 6), 5), (236, 228, 212),
                  "radial", light=0.05, dark=0.15)
        for i in range(9):
            pic.dot(-42 + i * 3.8, shaft_top - 5 + (i % 2) * 1.4, 2.2, (240, 234, 220))
        for i in range(5):
            y = shaft_top + 12 + i * 7
            pic.line([(-16 + i * 1.2, y), (-8 + i * 1.5, y + 2)], (230, 220, 200), 0.8)
    else:  # hiking
        pic.shape(("rrect", (-42, shaft_top - 3, -12, shaft_top + 5), 3), darker(c, 0.25), "v",
                  line=0.3)
        for i in range(6):
            x, y = -15 + i * 1.0, shaft_top + 9 + i * 7.5
            pic.dot(x, y, 1.1, STEEL, outline=darker(STEEL, 0.5))
            pic.line([(x - 3, y - 1.5), (x + 5, y + 2.5)], (200, 60, 40), 0.9)


def wellies(pic, c, style=None):
    pic.shape(("rrect", (-32, 34, 40, 42), 3), darker(c, 0.5), "v", line=0.4)
    body = [(-34, -50), (-14, -50), (-12, 4), (6, 14), (28, 20), (38, 26), (40, 34), (-32, 34)]
    pic.shape(("poly", body), c, "v", light=0.35, dark=0.25)
    pic.line([(-30, -40), (-28, 20)], lighter(c, 0.5), 1.2, 120)
    pic.shape(("rrect", (-36, -54, -12, -46), 2), darker(c, 0.15), "v", line=0.3)
    pic.shape(("rrect", (-16, -44, -8, -38), 1), darker(c, 0.3), "flat", line=0.3)


def valenki(pic, c, style=None):
    felt = c
    body = [(-30, -52), (-6, -52), (-4, -4), (14, 6), (32, 10), (40, 20), (38, 32), (-30, 32),
            (-33, -10)]
    pic.shape(("poly", body), felt, "v", pattern=_stripes(pic, darker(c, 0.08), 0.9, 0.3, 60))
    galosh = [(-32, 10), (-8, 12), (10, 8), (30, 10), (40, 20), (38, 36), (-32, 36)]
    pic.shape(("poly", galosh), (36, 36, 40), "v", light=0.35, line=0.5)
    pic.line([(-28, 14), (30, 14)], (90, 90, 96), 0.6, 160)
    pic.shape(("rrect", (-31, -55, -5, -48), 3), lighter(felt, 0.1), "v", line=0.3)


# --- hats and knitwear ----------------------------------------------------------------------


def beanie(pic, c, style=None):
    if style == "bobble":
        pic.shape(("ellipse", (-12, -62, 12, -38)), lighter(c, 0.4), "radial", light=0.3)
        for a in range(0, 360, 30):
            x, y = 11 * math.cos(math.radians(a)), -50 + 11 * math.sin(math.radians(a))
            pic.dot(x, y, 3, lighter(c, 0.45))
    pic.shape(("chord", (-34, -46, 34, 30), 180, 360), c, "v",
              pattern=_ribs(pic, c, 2.4, 90) if style != "bobble" else None)
    if style == "bobble":
        for x in (-16, 0, 16):
            for y in range(-30, -8, 6):
                pic.line([(x - 3, y), (x, y + 3), (x + 3, y)], darker(c, 0.3), 0.7, 140)
    pic.shape(("rrect", (-36, -12, 36, 10), 4), darker(c, 0.04), "v",
              pattern=_ribs(pic, c, 2.0, 110))


def cap(pic, c, style=None):
    """From the side: the crown, its band and the peak sticking out to the right."""
    pic.shape(("poly", [(30, -6), (46, -4), (60, -1), (66, 3), (60, 6), (44, 5), (30, 4)]),
              darker(c, 0.06), "v", light=0.3)
    pic.dashes([(34, 0), (46, 1), (60, 3)], darker(c, 0.45), 0.3, 1.4)
    pic.shape(("chord", (-40, -40, 36, 36), 180, 360), c, "v")
    pic.shape(("rrect", (-40, -4, 36, 4), 2), darker(c, 0.1), "flat", line=0.3)
    for x in (-14, 10):
        pic.dashes([(x, -38), (x * 1.9, -4)], darker(c, 0.35), 0.3, 1.4)
    pic.dot(-2, -40, 2.2, c, outline=darker(c, 0.5))
    pic.shape(("rrect", (-42, -10, -36, 2), 1), STEEL, "v", line=0.2)


def bucket(pic, c, style=None):
    pic.shape(("ellipse", (-48, -6, 48, 20)), darker(c, 0.08), "v")
    pic.shape(("poly", [(-26, -36), (26, -36), (32, 6), (-32, 6)]), c, "v")
    pic.shape(("ellipse", (-26, -42, 26, -30)), lighter(c, 0.08), "v", line=0.4)
    for r in (38, 30):
        pic.dashes([(-r, 8 - r * 0.05), (0, 16 - r * 0.05), (r, 8 - r * 0.05)], darker(c, 0.35),
                   0.3, 1.5)
    pic.dashes([(-30, -2), (30, -2)], darker(c, 0.35), 0.3, 1.5)


def beret(pic, c, style=None):
    pic.shape(("ellipse", (-44, -30, 44, 12)), c, "radial", light=0.2, dark=0.25)
    pic.shape(("chord", (-30, -2, 30, 18), 0, 180), darker(c, 0.3), "flat", line=0.3)
    pic.shape(("rrect", (-1.5, -36, 1.5, -28), 1), darker(c, 0.2), "flat", line=0.2)


def scarf(pic, c, style=None):
    """Folded in three, one end hanging down in front with its fringe."""
    if style == "check":
        pattern = _check(pic, (40, 60, 50) if c[0] > 150 else (150, 40, 40), (230, 200, 80), 7)
    else:
        pattern = _ribs(pic, c, 1.8, 50)
    for i, (x0, y0, x1, y1) in enumerate([(-36, 2, 34, 22), (-34, -18, 36, 4),
                                          (-36, -38, 34, -16)]):
        pic.shape(("rrect", (x0, y0, x1, y1), 6), darker(c, 0.05 * (2 - i)), "v",
                  pattern=pattern)
        pic.draw.arc(pic.box(x1 - 10, y0, x1 + 2, y1), 280, 80, fill=darker(c, 0.35) + (150,),
                     width=pic.w(0.8))
    pic.shape(("poly", [(-22, -30), (-2, -30), (0, 40), (-20, 40)]), c, "h", light=0.15,
              dark=0.2, pattern=pattern)
    for i in range(9):
        x = -20 + i * 2.5
        pic.line([(x + 0.6, 40), (x + 0.3 + (i % 3) * 0.3, 48)], darker(c, 0.1), 0.7)


def snood(pic, c, style=None):
    pic.shape(("ellipse", (-40, -30, 40, 34)), c, "radial", light=0.25, dark=0.3,
              pattern=_ribs(pic, c, 3, 70))
    pic.shape(("ellipse", (-22, -16, 22, 12)), darker(c, 0.45), "v", line=0.4)
    for y in range(-26, 34, 6):
        half = math.sqrt(max(0, 1 - ((y - 2) / 32) ** 2)) * 38
        if half > 24 and not -16 < y < 12:
            pic.line([(-half * 0.7, y), (0, y + 2), (half * 0.7, y)], darker(c, 0.2), 0.5, 90)


def gloves(pic, c, style=None):
    for dx, flip, shade in ((-16, -1, 0.08), (14, 1, 0)):
        base = darker(c, shade)
        parts = [("rrect", (dx - 14, -10, dx + 14, 26), 8)]
        fingers = [(-11, -40), (-4, -46), (3, -44), (9, -36)]
        for fx, fy in fingers:
            x = dx + fx * flip
            parts.append(("rrect", (x - 3.3, fy, x + 3.3, 0), 3.2))
        for part in parts[1:]:
            pic.shape(part, base, "v", line=0.4,
                      pattern=_ribs(pic, c, 1.4, 50) if style == "knit" else None)
        pic.shape(parts[0], base, "v", line=0.4,
                  pattern=_ribs(pic, c, 1.4, 50) if style == "knit" else None)
        thumb = [(dx + flip * 12, 0), (dx + flip * 24, -16), (dx + flip * 28, -12),
                 (dx + flip * 16, 12)]
        pic.shape(("poly", thumb), base, "v", line=0.4)
        pic.shape(("rrect", (dx - 14, 24, dx + 14, 40), 2), darker(base, 0.1), "v",
                  pattern=_ribs(pic, c, 1.4, 90), line=0.4)
        if style == "knit":
            for x, y in ((dx + flip * -11, -40), (dx + flip * 26, -14)):
                pic.dot(x, y + 2, 3.2, (170, 170, 176))
        else:
            pic.dashes([(dx - 6, -6), (dx - 6, 20)], darker(c, 0.4), 0.3, 1.2)
            pic.dashes([(dx + 4, -6), (dx + 4, 20)], darker(c, 0.4), 0.3, 1.2)


def mittens(pic, c, style=None):
    for dx, flip in ((-16, -1), (14, 1)):
        pic.shape(("rrect", (dx - 14, -44, dx + 14, 26), 13), c, "v")
        pic.shape(("poly", [(dx + flip * 12, -4), (dx + flip * 24, -20), (dx + flip * 28, -14),
                            (dx + flip * 16, 14)]), c, "v", line=0.4)
        pic.shape(("rrect", (dx - 14, 22, dx + 14, 40), 2), darker(c, 0.1), "v",
                  pattern=_ribs(pic, c, 1.4, 90), line=0.4)
        for y in (-24, 4):
            x = dx
            for a in range(0, 180, 30):
                ex, ey = 5 * math.cos(math.radians(a)), 5 * math.sin(math.radians(a))
                pic.line([(x - ex, y - ey), (x + ex, y + ey)], (246, 244, 240), 0.7)
        pic.line([(dx - 13, 14), (dx + 13, 14)], (246, 244, 240), 1.0)


# --- bags -----------------------------------------------------------------------------------


def backpack(pic, c, style=None):
    tall = style == "hiking"
    top = -56 if tall else -44
    for side in (1, -1):
        pic.shape(("rrect", (side * 26 - 4, top + 10, side * 26 + 4, 40), 3), darker(c, 0.35),
                  "v", line=0.3)
    pic.shape(("rrect", (-28, top, 28, 44), 14), c, "v")
    pic.line([(-8, top), (-6, top - 8), (6, top - 8), (8, top)], darker(c, 0.4), 1.4)
    if tall:
        pic.shape(("rrect", (-30, top - 4, 30, top + 20), 10), darker(c, 0.1), "v", line=0.4)
        pic.shape(("rrect", (-22, 14, 22, 40), 6), darker(c, 0.1), "v", line=0.4)
        for side in (1, -1):
            pic.line([(side * 28, -10), (side * 20, -10)], (50, 50, 54), 1.2)
            pic.shape(("rrect", (side * 10 - 3, top + 18, side * 10 + 3, top + 30), 1),
                      (50, 50, 54), "flat", line=0.2)
    else:
        pic.shape(("rrect", (-20, 4, 20, 38), 8), darker(c, 0.08), "v", line=0.4)
        pic.line([(-16, 10), (16, 10)], darker(c, 0.5), 0.6)
        pic.dot(12, 11, 1.3, STEEL)
        pic.line([(-22, top + 12), (0, top + 8), (22, top + 12)], darker(c, 0.5), 0.6)
    pic.dashes([(-26, top + 14), (-26, 40)], lighter(c, 0.3), 0.3, 1.6)


def tote(pic, c, style=None):
    handle = darker(c, 0.12)
    pic.line([(-14, -20), (-12, -46), (12, -46), (14, -20)], handle, 2.4)
    pic.shape(("poly", [(-30, -22), (30, -22), (34, 42), (-34, 42)]), c, "v",
              pattern=_stripes(pic, darker(c, 0.12), 1.0, 0.2, 40))
    pic.dashes([(-30, -18), (30, -18)], darker(c, 0.35), 0.3, 1.5)
    for x in (-14, 14):
        pic.shape(("rrect", (x - 2.5, -22, x + 2.5, -10), 0.8), handle, "flat", line=0.3)


def crossbody(pic, c, style=None):
    pic.line([(-24, -10), (-30, -58)], darker(c, 0.2), 1.8)
    pic.line([(24, -10), (30, -58)], darker(c, 0.2), 1.8)
    pic.shape(("rrect", (-28, -16, 28, 28), 10), c, "v")
    pic.shape(("chord", (-28, -34, 28, 18), 0, 180), darker(c, 0.08), "v", line=0.4)
    pic.dashes([(-24, -6), (0, 14), (24, -6)], lighter(c, 0.35), 0.3, 1.4)
    pic.dot(0, 14, 2.4, (210, 180, 100), outline=darker((210, 180, 100), 0.4))
    for side in (1, -1):
        pic.dot(side * 26, -12, 1.6, STEEL, outline=darker(STEEL, 0.4))


def beltbag(pic, c, style=None):
    strap = darker(c, 0.35)
    pic.line([(-60, 2), (-30, -4)], strap, 2.4)
    pic.line([(30, -4), (60, 2)], strap, 2.4)
    pic.shape(("ellipse", (-34, -20, 34, 18)), c, "v")
    pic.line([(-28, -6), (0, -10), (28, -6)], darker(c, 0.5), 0.7)
    pic.shape(("rrect", (20, -10, 23, -2), 0.8), STEEL, "flat", line=0.2)
    pic.shape(("rrect", (-12, -2, 12, 10), 2), darker(c, 0.08), "v", line=0.3)
    pic.shape(("rrect", (52, -2, 60, 6), 1), (50, 50, 54), "flat", line=0.2)


# --- kitchen --------------------------------------------------------------------------------


def mug(pic, c, style=None):
    if style == "pair":
        second = mix(c, (120, 90, 70), 0.35)
        cx, cy, size = pic.where()
        pic.at(cx - 0.2 * size, cy - 0.02 * size, size * 0.8)
        _mug(pic, second, None)
        pic.at(cx + 0.2 * size, cy + 0.06 * size, size * 0.85)
        _mug(pic, c, "glazed")
        pic.at(cx, cy, size)
        return
    _mug(pic, c, style)


def _mug(pic, c, style):
    pic.shape(("ring", (14, -22, 42, 12), 6), c, "v", line=0.5)
    pic.shape(("rrect", (-28, -30, 28, 32), 5), c, "cyl", light=0.25, dark=0.3)
    pic.shape(("ellipse", (-28, -36, 28, -24)), lighter(c, 0.05), "flat", line=0.5)
    pic.shape(("ellipse", (-25, -34, 25, -26)), darker(c, 0.35), "v", line=0)
    if style == "enamel":
        pic.line([(-28, -30), (0, -24), (28, -30)], (40, 44, 60), 1.3)
        pic.shape(("ellipse", (-28, -36, 28, -24)), c, "flat", line=1.2)
        for x, y in ((-12, 0), (6, 14), (14, -10), (-18, 20)):
            pic.dot(x, y, 0.5, darker(c, 0.4))
    if style == "glazed":
        pic.shape(("rrect", (-28, 10, 28, 32), 5), mix(c, (150, 110, 80), 0.5), "cyl", line=0.3)
    pic.line([(-20, -22), (-20, 20)], (255, 255, 255), 1.4, 70)


def travelmug(pic, c, style=None):
    pic.shape(("poly", [(-18, -34), (18, -34), (15, 44), (-15, 44)]), c, "cyl", light=0.3)
    pic.shape(("rrect", (-21, -48, 21, -32), 4), (44, 46, 52), "cyl", line=0.4)
    pic.shape(("rrect", (4, -47, 14, -43), 1.5), (90, 92, 98), "flat", line=0.2)
    pic.shape(("rrect", (-17.5, 6, 17.5, 16), 1), darker(c, 0.18), "cyl", line=0.3,
              light=0.1)
    pic.line([(-10, -26), (-9, 38)], (255, 255, 255), 1.6, 80)


def cup(pic, c, style=None):
    pic.shape(("ellipse", (-46, 18, 46, 36)), c, "v", light=0.3)
    pic.shape(("ellipse", (-26, 22, 26, 32)), darker(c, 0.08), "flat", line=0.3)
    pic.line([(28, -14), (40, -12), (40, 2), (24, 8)], darker(c, 0.05), 2.2)
    pic.shape(("chord", (-30, -50, 30, 28), 0, 180), c, "cyl", light=0.3)
    pic.shape(("ellipse", (-30, -17, 30, -7)), darker(c, 0.3), "v", line=0.3)
    pic.draw.arc(pic.box(-30, -17, 30, -7), 0, 180, fill=(206, 170, 80), width=pic.w(0.9))
    pic.draw.ellipse(pic.box(-46, 18, 46, 36), outline=(206, 170, 80), width=pic.w(0.6))


def pan(pic, c, style=None):
    handle = WOOD if style == "nonstick" else c
    pic.shape(("poly", [(30, -4), (62, -14), (64, -8), (32, 6)]), handle, "v", line=0.5)
    if style == "nonstick":
        pic.shape(("poly", [(40, -8), (64, -16), (66, -8), (42, 2)]), WOOD, "v", line=0.5)
    else:
        pic.dot(58, -10, 1.8, darker(c, 0.6))
    pic.shape(("ellipse", (-44, -26, 44, 22)), c, "v", light=0.25)
    inner = darker(c, 0.15) if style != "nonstick" else (70, 72, 76)
    pic.shape(("ellipse", (-38, -20, 38, 14)), inner, "radial", light=0.08, dark=0.3, line=0.3,
              pattern=_stripes(pic, darker(inner, 0.5), 6, 1.6, 200) if style == "grill" else None)
    if style == "nonstick":
        for i in range(30):
            x, y = -30 + (i * 37) % 60, -14 + (i * 23) % 24
            pic.dot(x, y, 0.35, (130, 130, 136), 160)
    pic.line([(-30, -12), (-18, -17)], (255, 255, 255), 1.0, 50)
    if style == "grill":
        pic.shape(("poly", [(-46, -4), (-52, -2), (-46, 2)]), c, "flat", line=0.3)


def saucepan(pic, c, style=None):
    low = style == "saute"
    top = -4 if low else -24
    metal = c if not low else STEEL
    if low:
        pic.shape(("poly", [(36, top + 6), (74, top - 2), (75, top + 3), (36, top + 12)]),
                  darker(STEEL, 0.1), "v", line=0.4)
    else:
        for side in (1, -1):
            pic.shape(("rrect", (side * 40 - 8, top + 4, side * 40 + 8, top + 10), 3),
                      (40, 40, 44), "v", line=0.3)
    pic.shape(("rrect", (-38, top, 38, 34), 4), metal, "cyl", light=0.3)
    pic.shape(("ellipse", (-38, top - 7, 38, top + 7)), darker(metal, 0.2), "flat", line=0.4)
    # a glass lid resting in the rim
    pic.shape(("chord", (-37, top - 18, 37, top + 18), 180, 360), (210, 225, 230), "v",
              light=0.4, dark=0.05, line=0.4)
    pic.shape(("rrect", (-5, top - 22, 5, top - 16), 2), (40, 40, 44), "v", line=0.3)
    pic.line([(-26, top + 10), (-26, 28)], (255, 255, 255), 1.6, 60)
    if not low and sum(c) > 600:
        pic.line([(-38, top + 1), (38, top + 1)], (40, 60, 110), 0.8)


def teapot(pic, c, style=None):
    glass = style == "glass"
    body = (230, 236, 236) if glass else c
    iron = style == "iron"
    if iron:
        pic.draw.arc(pic.box(-26, -62, 26, -14), 190, 350, fill=darker(c, 0.3), width=pic.w(2.4))
    else:
        pic.shape(("ring", (-52, -18, -24, 18), 6), body, "v", line=0.5)
    pic.shape(("poly", [(28, 4), (42, -10), (52, -24), (56, -22), (48, -4), (34, 18)]), body, "v",
              line=0.5)
    pic.shape(("ellipse", (-36, -28, 36, 34)), body, "radial", light=0.3, dark=0.25)
    if glass:
        pic.shape(("chord", (-34, -26, 34, 32), 10, 170), (190, 120, 50), "v", light=0.1,
                  line=0)
        pic.draw.ellipse(pic.box(-36, -28, 36, 34), fill=(255, 255, 255, 50))
        pic.shape(("rrect", (-9, -30, 9, 14), 4), STEEL, "cyl", line=0.3,
                  pattern=_stripes(pic, darker(STEEL, 0.4), 1.4, 0.4, 140))
        pic.line([(-24, -12), (-28, 6)], (255, 255, 255), 1.8, 140)
    if iron:
        for row in range(4):
            for col in range(-4, 5):
                pic.dot(col * 7 + (row % 2) * 3.5, -16 + row * 7, 1.6, lighter(c, 0.12))
    pic.shape(("ellipse", (-18, -34, 18, -22)), darker(body, 0.08) if not glass else STEEL, "v",
              line=0.4)
    pic.shape(("ellipse", (-5, -40, 5, -31)), darker(body, 0.15) if not glass else STEEL,
              "radial", line=0.3)
    if not glass:
        pic.line([(-20, -14), (-26, 4)], (255, 255, 255), 1.8, 80)


def kettle(pic, c, style=None):
    pic.shape(("poly", [(26, 0), (44, -18), (52, -22), (54, -16), (36, 12)]), c, "v", line=0.5)
    pic.shape(("poly", [(-34, 34), (-28, -12), (-14, -24), (14, -24), (28, -12), (34, 34)]), c,
              "cyl", light=0.3)
    pic.shape(("rrect", (-36, 30, 36, 38), 3), darker(c, 0.12), "v", line=0.4)
    pic.shape(("ellipse", (-14, -28, 14, -20)), darker(c, 0.1), "v", line=0.4)
    pic.dot(0, -30, 3, (30, 30, 32))
    pic.draw.arc(pic.box(-22, -54, 22, -22), 180, 360, fill=(30, 30, 32), width=pic.w(3.2))
    for side in (1, -1):
        pic.line([(side * 20.5, -38), (side * 15, -23)], (30, 30, 32), 2.0)
    pic.shape(("rrect", (50, -26, 56, -20), 1.5), (30, 30, 32), "flat", line=0.2)
    pic.line([(-20, -8), (-24, 24)], (255, 255, 255), 2.0, 90)


def frenchpress(pic, c, style=None):
    pic.draw.arc(pic.box(12, -30, 40, 26), 280, 80, fill=(*c, 255), width=pic.w(4))
    pic.shape(("rrect", (-22, -34, 22, 40), 3), (226, 234, 236), "cyl", light=0.4, dark=0.1)
    pic.shape(("rrect", (-21, -4, 21, 39), 2), (86, 52, 32), "v", line=0)
    pic.shape(("rrect", (-21, -8, 21, -4), 1), (200, 160, 110), "flat", line=0)
    pic.draw.rounded_rectangle(pic.box(-22, -34, 22, 40), radius=pic.w(3),
                               fill=(255, 255, 255, 40))
    pic.line([(-14, -28), (-14, 34)], (255, 255, 255), 1.8, 120)
    pic.line([(0, -54), (0, -8)], STEEL, 1.2)
    pic.shape(("rrect", (-20, -10, 20, -6), 1), STEEL, "v", line=0.2)
    pic.shape(("rrect", (-24, -42, 24, -34), 2), c, "v", line=0.4)
    pic.shape(("rrect", (-24, 36, 24, 44), 2), c, "v", line=0.4)
    pic.dot(0, -56, 4, c, outline=darker(c, 0.5))
    for side in (1, -1):
        pic.shape(("rrect", (side * 22 - 2, -42, side * 22 + 2, 44), 1), c, "v", line=0.3)


# --- home -----------------------------------------------------------------------------------


def blanket(pic, c, style=None):
    if style == "knit":
        pattern = None
    elif style == "fleece":
        pattern = _stripes(pic, lighter(c, 0.1), 1.2, 0.3, 50)
    else:
        accent = (250, 246, 236) if sum(c) < 500 else (150, 40, 40)
        pattern = _check(pic, darker(c, 0.3), accent, 9)
    layers = [(-40, 16, 40, 40), (-42, -6, 38, 18), (-38, -28, 42, -4)]
    for i, (x0, y0, x1, y1) in enumerate(layers):
        pic.shape(("rrect", (x0, y0, x1, y1), 10), darker(c, 0.06 * (2 - i)), "v",
                  pattern=pattern)
        if style == "knit":
            for row in range(int(y0) + 4, int(y1) - 2, 6):
                for col in range(int(x0) + 6, int(x1) - 4, 7):
                    pic.shape(("ellipse", (col - 3, row - 2.6, col + 3, row + 2.6)),
                              lighter(c, 0.05), "radial", line=0.25, light=0.2, dark=0.2)
        pic.draw.arc(pic.box(x1 - 14, y0, x1 + 2, y1), 280, 80, fill=darker(c, 0.35) + (160,),
                     width=pic.w(0.8))
    if style != "knit":
        for i in range(10):
            pic.line([(42 + (i % 2), -26 + i * 2.2), (47, -25 + i * 2.2)], darker(c, 0.1), 0.6)


def _pillow_outline(x0, y0, x1, y1, pinch=4):
    pts = []
    n = 12
    for i in range(n):
        t = i / n
        pts.append((x0 + (x1 - x0) * t, y0 + pinch * math.sin(math.pi * t)))
    for i in range(n):
        t = i / n
        pts.append((x1 - pinch * math.sin(math.pi * t), y0 + (y1 - y0) * t))
    for i in range(n):
        t = i / n
        pts.append((x1 - (x1 - x0) * t, y1 - pinch * math.sin(math.pi * t)))
    for i in range(n):
        t = i / n
        pts.append((x0 + pinch * math.sin(math.pi * t), y1 - (y1 - y0) * t))
    return pts


def cushion(pic, c, style=None):
    if style == "fringe":
        for i in range(24):
            x = -38 + i * 3.3
            pic.line([(x, 38), (x + 0.4, 44)], darker(c, 0.1), 0.6)
            pic.line([(x, -38), (x + 0.4, -44)], darker(c, 0.1), 0.6)
    pattern = (_stripes(pic, darker(c, 0.15), 1.4, 0.3, 60) if style == "fringe"
               else _stripes(pic, lighter(c, 0.25), 3, 1.0, 60, vertical=True))
    pic.shape(("poly", _pillow_outline(-40, -38, 40, 38, 5)), c, "radial", light=0.3, dark=0.3,
              pattern=pattern)
    pic.line([(-30, -30), (-10, -6)], darker(c, 0.3), 0.6, 80)
    pic.line([(30, 30), (12, 8)], darker(c, 0.3), 0.6, 80)


def towel(pic, c, style=None):
    band = darker(c, 0.25) if sum(c) < 650 else (130, 160, 190)
    if style == "beach":
        stripe, c = c, (248, 246, 238)
    for i, (x0, y0, x1, y1) in enumerate([(-40, 14, 40, 38), (-42, -10, 38, 14),
                                          (-38, -34, 42, -10)]):
        base = darker(c, 0.05 * (2 - i))
        if style == "beach":
            pattern = _stripes(pic, stripe, 8, 4, vertical=True)
        elif style == "waffle":
            pattern = _check(pic, darker(c, 0.12), lighter(c, 0.3), 2.2)
        elif style == "linen":
            pattern = _stripes(pic, darker(c, 0.12), 1.0, 0.25, 60)
        else:
            pattern = _stripes(pic, lighter(c, 0.15), 1.2, 0.5, 70, vertical=True)
        pic.shape(("rrect", (x0, y0, x1, y1), 5), base, "v", pattern=pattern)
        if style not in ("beach",):
            pic.shape(("rrect", (x1 - 16, y0 + 0.5, x1 - 10, y1 - 0.5), 1), band, "flat",
                      line=0.25)
        pic.draw.arc(pic.box(x0 - 5, y0, x0 + 7, y1), 100, 260, fill=darker(c, 0.3) + (150,),
                     width=pic.w(0.8))


def candle(pic, c, style=None):
    if style == "pillars":
        for dx, h, tone in ((-26, 30, 0.08), (26, 40, 0.04), (0, 50, 0)):
            col = darker(c, tone)
            pic.shape(("rrect", (dx - 11, 40 - h, dx + 11, 42), 3), col, "cyl", light=0.3)
            pic.shape(("ellipse", (dx - 11, 37 - h, dx + 11, 43 - h)), lighter(col, 0.12), "flat",
                      line=0.3)
            _flame(pic, dx, 40 - h)
        return
    if style == "tin":
        pic.shape(("ellipse", (10, 22, 56, 34)), STEEL, "v", line=0.4)
        pic.shape(("rrect", (-40, 4, 10, 34), 3), STEEL, "cyl", light=0.35)
        pic.shape(("ellipse", (-40, -2, 10, 10)), darker(STEEL, 0.1), "flat", line=0.4)
        pic.shape(("ellipse", (-37, 0, 7, 8)), c, "radial", line=0, light=0.2)
        pic.shape(("rrect", (-32, 14, 2, 26), 2), (240, 232, 214), "flat", line=0.2)
        _flame(pic, -15, 4)
        return
    ceramic = style == "ceramic"
    vessel = c if ceramic else (228, 236, 236)
    wax = (244, 238, 226) if ceramic else c
    pic.shape(("rrect", (-26, -20, 26, 40), 5), vessel, "cyl", light=0.35, dark=0.12 if not
              ceramic else 0.3)
    if not ceramic:
        pic.shape(("rrect", (-24, -4, 24, 38), 4), wax, "cyl", light=0.2, line=0)
        pic.draw.rounded_rectangle(pic.box(-26, -20, 26, 40), radius=pic.w(5),
                                   fill=(255, 255, 255, 60))
        pic.shape(("rrect", (-18, 8, 18, 26), 1), (236, 224, 200), "flat", line=0.25)
        pic.line([(-12, 14), (12, 14)], (120, 100, 80), 0.5)
        pic.line([(-8, 19), (8, 19)], (160, 140, 120), 0.4)
        pic.line([(-18, -14), (-18, 34)], (255, 255, 255), 1.4, 140)
    pic.shape(("ellipse", (-26, -24, 26, -16)), lighter(vessel, 0.1), "flat", line=0.4)
    pic.shape(("ellipse", (-22, -22, 22, -17)), wax if ceramic else lighter(wax, 0.1), "flat",
              line=0)
    _flame(pic, 0, -20)


def _flame(pic, x, y):
    pic.line([(x, y), (x, y - 4)], (40, 36, 30), 0.6)
    pic.glow(x, y - 9, 22, (255, 214, 130), 110)
    pic.shape(("poly", [(x, y - 17), (x + 3.2, y - 8), (x + 2, y - 4), (x - 2, y - 4),
                        (x - 3.2, y - 8)]), (255, 186, 60), "v", line=0, light=0.5, dark=0.1)
    pic.shape(("ellipse", (x - 1.3, y - 9, x + 1.3, y - 4.5)), (255, 246, 210), "flat", line=0)


def _pot(pic, c, top=8, bottom=44, half_top=22, half_bottom=16):
    pic.shape(("poly", [(-half_top, top), (half_top, top), (half_bottom, bottom),
                        (-half_bottom, bottom)]), c, "cyl", light=0.3)
    pic.shape(("rrect", (-half_top - 2, top - 4, half_top + 2, top + 5), 2), lighter(c, 0.05),
              "cyl", line=0.4, light=0.25)


def plant(pic, c, style=None):
    leaf = (58, 128, 72)
    if style == "cactus":
        pic.shape(("ellipse", (-18, -26, 18, 12)), (80, 140, 84), "cyl", light=0.2)
        for x in (-11, -4, 4, 11):
            pic.line([(x * 0.8, -24), (x, -7), (x * 0.8, 10)], (50, 100, 60), 0.6, 180)
            for y in (-18, -8, 2):
                pic.dot(x, y, 0.5, (250, 240, 190))
        pic.dot(0, -26, 3, (236, 120, 150))
        _pot(pic, c, 6, 40, 20, 15)
        return
    if style == "snake":
        for x, h, lean in ((-14, 60, -6), (-4, 72, -2), (6, 66, 3), (15, 54, 8), (0, 50, 0)):
            pts = [(x - 4, 6), (x + lean - 1, -h + 6), (x + lean + 1, -h), (x + 4, 6)]
            pic.shape(("poly", pts), (60, 110, 60), "h", line=0.4,
                      pattern=_stripes(pic, (150, 180, 90), 5, 1.2, 120))
            pic.line([(x - 4, 6), (x + lean - 1, -h + 6)], (214, 196, 90), 0.8)
        _pot(pic, c, 6, 44, 22, 16)
        return
    # monstera: big split leaves on long stalks, each drawn turned by its own angle
    cx, cy, size = pic.where()
    stalk = (70, 120, 60)
    leaves = ((-28, -46, 22, -30), (30, -40, 21, 30), (2, -64, 19, -5), (-22, -16, 16, -60),
              (22, -12, 15, 55))
    for x, y, _r, _a in leaves:
        pic.line([(0, 6), (x * 0.8, y * 0.8)], stalk, 1.0)
    for x, y, r, angle in leaves:
        pic.at(cx + x * size / 100, cy + y * size / 100, size, angle=angle)
        outline = [(r * math.cos(t / 20 * math.pi), 0.78 * r * math.sin(t / 20 * math.pi))
                   for t in range(40)]
        pic.shape(("poly", outline), leaf, "v", light=0.2, line=0.4)
        # the splits between the leaf's lobes show what is behind it
        for k in (1, -1):
            for off in (-0.45, 0.0, 0.45):
                edge = (k * r * 1.05, off * r * 0.9)
                px, py = pic.p(k * r * 1.4, off * r)
                behind = pic.img.getpixel((min(max(int(px), 0), W * SS - 1),
                                           min(max(int(py), 0), H * SS - 1)))
                pic.draw.line([pic.p(k * r * 0.35, off * r * 0.4), pic.p(*edge)],
                              fill=behind, width=pic.w(1.9))
        pic.line([(-r * 0.95, 0), (r * 0.95, 0)], (110, 170, 100), 0.5)
    pic.at(cx, cy, size)
    _pot(pic, c, 6, 44, 22, 16)


def planter(pic, c, style=None):
    pic.shape(("ellipse", (-30, 38, 30, 48)), darker(c, 0.1), "v", line=0.4)
    _pot(pic, c, -18, 42, 30, 22)
    pic.shape(("ellipse", (-30, -24, 30, -14)), darker(c, 0.45), "v", line=0.3)
    pic.line([(-18, -8), (-14, 34)], (255, 255, 255), 1.6, 60)


def wateringcan(pic, c, style=None):
    pic.shape(("poly", [(20, 20), (58, -30), (62, -27), (26, 28)]), c, "v", line=0.4)
    pic.shape(("ellipse", (54, -38, 68, -24)), darker(c, 0.1), "radial", line=0.4)
    pic.draw.arc(pic.box(-40, -44, 10, 10), 120, 330, fill=darker(c, 0.15) + (255,),
                 width=pic.w(3.4))
    pic.shape(("rrect", (-34, -16, 26, 40), 8), c, "cyl", light=0.3)
    pic.shape(("ellipse", (-30, -22, 8, -12)), darker(c, 0.35), "v", line=0.4)
    pic.line([(-26, -6), (-26, 32)], (255, 255, 255), 1.6, 70)


# --- stationery -----------------------------------------------------------------------------


def notebook(pic, c, style=None):
    if style == "pocket":
        cx, cy, size = pic.where()
        for i, tone in enumerate((0.1, 0.05, 0.0)):
            dx, dy = -18 + i * 16, -6 + i * 6
            pic.at(cx, cy, size, angle=-8 + i * 6)
            pic.shape(("rrect", (dx - 16, dy - 26, dx + 16, dy + 26), 1.5), darker(c, tone), "v",
                      pattern=_stripes(pic, darker(c, 0.12), 0.9, 0.2, 40))
            pic.line([(dx - 16, dy - 10), (dx - 16, dy + 10)], STEEL, 1.0)
            pic.shape(("rrect", (dx - 8, dy - 14, dx + 8, dy - 6), 0.5), (250, 248, 240), "flat",
                      line=0.2)
        pic.at(cx, cy, size)
        return
    pic.shape(("rrect", (-27, -38, 33, 44), 2), (246, 242, 230), "v", line=0.3,
              pattern=_stripes(pic, (200, 194, 180), 1.0, 0.25, 200))
    pic.shape(("rrect", (-30, -42, 30, 42), 2.5), c, "v", light=0.18,
              pattern=_stripes(pic, darker(c, 0.08), 0.9, 0.2, 40))
    if style == "spiral":
        for i in range(13):
            x = -26 + i * 4.3
            pic.draw.arc(pic.box(x - 1.5, -47, x + 1.5, -39), 160, 380, fill=STEEL + (255,),
                         width=pic.w(0.9))
    else:
        pic.shape(("rrect", (-30, -42, -24, 42), 1.5), darker(c, 0.2), "v", line=0.2)
        pic.shape(("poly", [(12, 40), (16, 40), (16, 54), (14, 51), (12, 54)]), (190, 50, 50),
                  "flat", line=0.2)
    if style == "planner":
        pic.shape(("rrect", (18, -42, 22, 42), 1), (36, 36, 40), "v", line=0.2)
        pic.shape(("rrect", (-14, -24, 10, -16), 1), lighter(c, 0.2), "flat", line=0.25)
    elif style != "spiral":
        pic.dashes([(-20, -38), (26, -38), (26, 38), (-20, 38), (-20, -38)], lighter(c, 0.3),
                   0.3, 1.4)
    else:
        pic.shape(("rrect", (-18, -20, 18, -8), 1), (236, 228, 210), "flat", line=0.25)


def pen(pic, c, style=None):
    cx, cy, size = pic.where()
    pic.at(cx, cy, size, angle=-28)
    fountain = style == "fountain"
    gold = (212, 176, 90) if fountain else STEEL
    length = 46
    pic.shape(("poly", [(-length, -5), (22, -5), (22, 5), (-length, 5)]), c, "v", light=0.35)
    pic.shape(("poly", [(-length - 3, -4), (-length, -5), (-length, 5), (-length - 3, 4)]),
              darker(c, 0.1), "v", line=0.3)
    if fountain:
        pic.shape(("poly", [(22, -4), (32, -3), (32, 3), (22, 4)]), (30, 30, 34), "v", line=0.3)
        pic.shape(("poly", [(32, -3), (46, 0), (32, 3)]), gold, "v", line=0.3)
        pic.line([(34, 0), (44, 0)], darker(gold, 0.4), 0.3)
        pic.shape(("rrect", (-4, -5.5, 0, 5.5), 0.5), gold, "v", line=0.2)
    else:
        pic.shape(("poly", [(22, -5), (36, -1.5), (36, 1.5), (22, 5)]), STEEL, "v", line=0.3)
        pic.shape(("poly", [(36, -0.8), (40, 0), (36, 0.8)]), (60, 60, 64), "flat", line=0)
        pic.shape(("rrect", (10, -5.2, 13, 5.2), 0.5), STEEL, "v", line=0.2)
    pic.shape(("poly", [(-length + 2, -7.5), (-16, -7.5), (-14, -6), (-length + 2, -5)]), gold,
              "v", line=0.3)
    pic.line([(-length + 2, -2.5), (20, -2.5)], (255, 255, 255), 0.8, 110)
    pic.at(cx, cy, size)


def pens(pic, c, style=None):
    cx, cy, size = pic.where()
    if style == "pencils":
        pic.shape(("rrect", (-44, 6, 44, 30), 3), STEEL, "v", line=0.4)
        colours = [(40, 44, 50)] * 12
    else:
        colours = [(40, 40, 44), (46, 80, 152), (184, 44, 48), (54, 122, 82), (132, 94, 172),
                   (232, 122, 44)]
    n = len(colours)
    for i, col in enumerate(colours):
        x = -38 + i * (76 / (n - 1))
        pic.at(cx + x * size / 100, cy, size, angle=-6 + i * 12 / (n - 1))
        if style == "pencils":
            pic.shape(("poly", [(-3, -18), (3, -18), (3, 30), (-3, 30)]), col, "h", line=0.3)
            pic.shape(("poly", [(-3, -18), (3, -18), (0, -28)]), (226, 190, 140), "v", line=0.3)
            pic.shape(("poly", [(-1, -25), (1, -25), (0, -28)]), (40, 40, 40), "flat", line=0)
        else:
            pic.shape(("poly", [(-3, -20), (3, -20), (3, 36), (-3, 36)]), (238, 238, 236), "h",
                      line=0.3)
            pic.shape(("rrect", (-3.6, -30, 3.6, -6), 1.2), col, "h", line=0.3)
            pic.shape(("rrect", (-0.8, -30, 0.8, -14), 0.5), darker(col, 0.2), "flat", line=0)
            pic.shape(("rrect", (-3.3, 26, 3.3, 36), 1), col, "h", line=0.3)
    pic.at(cx, cy, size)
    if style == "pencils":
        pic.shape(("rrect", (-46, 20, 46, 46), 3), STEEL, "v", light=0.3, line=0.4)
        pic.shape(("rrect", (-30, 26, 30, 40), 1), (40, 44, 50), "flat", line=0.2)


DRAWINGS = {
    f.__name__: f
    for f in (
        tshirt, hoodie, sweatshirt, cardigan, jeans, shorts, sneaker, plimsoll, boot, wellies,
        valenki, beanie, cap, bucket, beret, scarf, snood, gloves, mittens, backpack, tote,
        crossbody, beltbag, mug, travelmug, cup, pan, saucepan, teapot, kettle, frenchpress,
        blanket, cushion, towel, candle, plant, planter, wateringcan, notebook, pen, pens,
    )
}
# Where a close-up looks (local units of the drawing) and how far down its feet reach.
FOCUS = {
    "tshirt": (-8, -30), "hoodie": (0, -30), "sweatshirt": (0, -34), "cardigan": (0, -20),
    "jeans": (0, -36), "shorts": (0, -20), "sneaker": (-14, -6), "plimsoll": (-16, -10),
    "boot": (-14, -20), ("boot", "winter"): (-24, -36), ("boot", "chelsea"): (-26, -16),
    "wellies": (14, 20), "valenki": (10, 16), "beanie": (0, -4),
    "cap": (20, 0), "bucket": (0, 0), "beret": (0, -10), "scarf": (-4, 36), "snood": (-16, 0),
    "gloves": (-14, 20), "mittens": (-16, -8), "backpack": (0, 12), "tote": (0, -22),
    "crossbody": (0, 10), "beltbag": (10, 0), "mug": (-4, -26), "travelmug": (0, -38),
    "cup": (0, -12), "pan": (0, -6), "saucepan": (0, -26), "teapot": (10, -26),
    "kettle": (0, -30), "frenchpress": (0, -14), "blanket": (30, 0), "cushion": (20, 20),
    "towel": (30, 0), "candle": (0, -20), "plant": (0, -30), "planter": (0, -16),
    "wateringcan": (40, -20), "notebook": (10, 30), "pen": (26, -14), "pens": (0, -20),
}
# Where a drawing meets the floor (local units below its centre) and half its width there.
FOOTPRINT = {
    "sneaker": (22, 46), ("sneaker", "runner"): (24, 46), "plimsoll": (18, 46),
    "boot": (28, 42), ("boot", "hiking"): (30, 42), "wellies": (42, 36), "valenki": (36, 36),
    "beanie": (10, 34), "cap": (6, 42), "bucket": (18, 44), "beret": (18, 36),
    "scarf": (48, 36), "snood": (34, 38), "gloves": (40, 30), "mittens": (40, 30),
    "backpack": (44, 28), "tote": (42, 34), "crossbody": (28, 28), "beltbag": (18, 40),
    "mug": (32, 30), ("mug", "pair"): (36, 40), "travelmug": (44, 18), "cup": (34, 46),
    "pan": (20, 44), "saucepan": (34, 40), "teapot": (34, 36), "kettle": (38, 36),
    "frenchpress": (44, 24), "blanket": (40, 42), "cushion": (38, 40), "towel": (38, 42),
    "candle": (40, 26), ("candle", "pillars"): (42, 38), ("candle", "tin"): (34, 44),
    "plant": (44, 22), ("plant", "cactus"): (40, 20), "planter": (48, 30),
    "wateringcan": (40, 36), "notebook": (44, 32), ("notebook", "pocket"): (34, 40),
    "pen": (24, 40), "pens": (36, 40), ("pens", "pencils"): (46, 46),
}
# How far a drawing reaches above its centre, where that is more than 50 units.
HEIGHT = {
    "wellies": 55, "valenki": 56, ("boot", "winter"): 53, ("plant", "monstera"): 82,
    ("plant", "snake"): 72, ("beanie", "bobble"): 62, "kettle": 58, "hoodie": 64, "frenchpress": 61,
    ("teapot", "iron"): 62, ("backpack", "hiking"): 66, "backpack": 54, "crossbody": 60,
}
# How far a drawing reaches sideways from its centre, where that is more than 50 units.
REACH = {
    "pan": 66, ("saucepan", "saute"): 76, "wateringcan": 69, "beltbag": 61, "cap": 66,
    "teapot": 56, "kettle": 56, ("candle", "tin"): 56,
}
WORN = {"tshirt", "hoodie", "sweatshirt", "cardigan", "jeans", "shorts"}
SHOES = {"sneaker", "plimsoll", "boot", "wellies", "valenki"}


def _background(c, seed: int):
    """A soft backdrop that sets the colour off: warm or cool, never the product's own."""
    warm = [(244, 238, 228), (236, 232, 240), (232, 238, 234), (242, 234, 230)]
    base = warm[seed % len(warm)]
    if sum(c) > 640:  # white goods need a tinted backdrop to be seen
        base = (218, 226, 232) if seed % 2 else (230, 222, 212)
    return mix(base, c, 0.08)


def _backdrop(pic, top, floor_y, floor):
    """A wall lit from above, and a floor or table from `floor_y` (layout units) down."""
    w, h = pic.img.size
    y = round(floor_y * SS * K)
    pic.img.paste(_shaded(top, darker(top, 0.05), "v", w, min(y, h)), (0, 0))
    if y >= h:
        return
    pic.img.paste(_shaded(floor, darker(floor, 0.12), "v", w, h - y), (0, y))
    pic.draw.line([(0, y), (w, y)], fill=darker(floor, 0.2) + (255,), width=2 * SS)


def picture(kind: str, style: str | None, colour: str | None, shot: str = "front",
            colours=(), seed: int = 0) -> bytes:
    """One drawn picture of a product as JPEG bytes (see the module docstring)."""
    draw = DRAWINGS[kind]
    c = colour_rgb(kind, colour)
    bg = _background(c, seed)
    pic = Pic(bg)
    floor = mix(bg, (200, 184, 164), 0.4)
    if shot == "front":
        if kind in WORN:  # laid out flat against the wall: no floor to stand on
            _backdrop(pic, bg, 768, floor)
            top = HEIGHT.get((kind, style)) or HEIGHT.get(kind, 50)
            pic.at(512, 372, min(600, (372 - 24) * 100 / top))
        else:
            _backdrop(pic, bg, 560, floor)
            _stand(pic, kind, style, 512, 610, 660 if kind in SHOES else 700)
        draw(pic, c, style)
    elif shot == "detail":
        _backdrop(pic, bg, 768, floor)
        fx, fy = FOCUS.get((kind, style)) or FOCUS.get(kind, (0, 0))
        size = 1000
        pic.at(512 - fx * size / 100, 384 - fy * size / 100, size)
        draw(pic, c, style)
    elif shot == "scene":
        _scene(pic, kind, style, c, bg, seed)
    else:  # lineup
        _backdrop(pic, bg, 560, floor)
        n = max(1, len(colours))
        step = 1024 / (n + 0.3)
        size = min(340, step * 1.05) if kind not in SHOES else min(380, step * 0.95)
        for i, name in enumerate(colours):
            _stand(pic, kind, style, step * (i + 0.65), 600 + (i % 2) * 16, size)
            draw(pic, colour_rgb(kind, name), style)
    return pic.finish()


def _stand(pic, kind, style, x, floor_y, size):
    """Put the next drawing at `x` with its base on `floor_y` (layout units), over a shadow."""
    bottom, half = FOOTPRINT.get((kind, style)) or FOOTPRINT.get(kind, (46, 36))
    top = HEIGHT.get((kind, style)) or HEIGHT.get(kind, 50)
    reach = REACH.get((kind, style)) or REACH.get(kind, 50)
    # Small enough that the top and the sides stay inside the picture, with a margin.
    size = min(size, (floor_y - 50) * 100 / (bottom + top), (min(x, 1024 - x) - 30) * 100 / reach)
    pic.at(x, floor_y - bottom * size / 100, size)
    pic.shadow(0, bottom, half, 3.5)


def _scene(pic, kind, style, c, bg, seed):
    if kind in WORN:
        # on a wooden hanger against a painted wall
        wall = mix((226, 214, 196), bg, 0.5)
        _backdrop(pic, wall, 680, (186, 150, 114))
        pic.at(512, 400, 420)
        pic.line([(0, -62), (0, -70), (4, -74), (8, -70)], STEEL, 1.0)
        pic.line([(-30, -48), (0, -62), (30, -48)], WOOD, 2.2)
        draw_kind = DRAWINGS[kind]
        draw_kind(pic, c, style)
        pic.at(820, 560, 260)
        plant(pic, (236, 232, 226), "snake")
        return
    if kind in SHOES:
        _backdrop(pic, bg, 520, (176, 138, 104))
        for dx, floor_y, scale in ((-70, 590, 0.92), (60, 660, 1.0)):
            _stand(pic, kind, style, 512 + dx, floor_y, 460 * scale)
            DRAWINGS[kind](pic, c, style)
        return
    table = (204, 170, 132)
    _backdrop(pic, mix(bg, (250, 248, 244), 0.3), 540, table)
    for i in range(6):
        y = 560 + i * 36
        pic.draw.line([(0, y * SS * K), (W * SS, y * SS * K + 20)],
                      fill=darker(table, 0.12) + (90,), width=SS * 2)
    _stand(pic, kind, style, 430, 610, 580)
    DRAWINGS[kind](pic, c, style)
    # a small companion on the table: a sprig in a jar, or a book
    if seed % 2:
        _stand(pic, "planter", None, 850, 590, 230)
        planter(pic, (236, 232, 226))
        for a in (-30, -10, 12, 30):
            pic.line([(0, -20), (a * 0.8, -58)], (70, 120, 60), 0.8)
            pic.shape(("ellipse", (a * 0.8 - 5, -66, a * 0.8 + 5, -54)), (80, 140, 80), "v",
                      line=0.3)
    else:
        pic.at(850, 580, 260)
        pic.shadow(0, 8, 36, 2)
        pic.shape(("rrect", (-36, -8, 36, 8), 1.5), (90, 110, 140), "v", line=0.4)
        pic.shape(("rrect", (-32, -20, 34, -8), 1.5), (200, 120, 90), "v", line=0.4)
        pic.line([(-30, -5), (34, -5)], (246, 242, 230), 1.0)
