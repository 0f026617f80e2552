"""Product images: originals under MEDIA_ROOT, thumbnails generated once per size by Pillow."""

import logging
import os
import secrets
import tempfile
from io import BytesIO

from flask import current_app
from PIL import Image, UnidentifiedImageError

from shop.core.errors import ValidationFailed

log = logging.getLogger(__name__)

# Widths a template may ask for; anything else is refused so nobody can fill the disk.
THUMB_SIZES = (160, 320, 640, 1024)
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_PIXELS = 40_000_000


def media_root() -> str:
    return current_app.config["MEDIA_ROOT"]


def original_path(filename: str) -> str:
    return os.path.join(media_root(), "products", filename)


def thumb_path(filename: str, width: int) -> str:
    stem = os.path.splitext(filename)[0]
    return os.path.join(media_root(), "thumbs", str(width), stem + ".webp")


def image_paths(filename: str) -> list[str]:
    """Every file an image may have on disk: the original and a thumbnail per allowed width."""
    return [original_path(filename), *(thumb_path(filename, width) for width in THUMB_SIZES)]


def remove_image_files(filename: str) -> None:
    """Delete an image's original and its thumbnails. A file that is not there (never made, or
    removed by another worker) is no error; one that cannot be removed is logged, not raised:
    callers run this after their commit, when the row is gone whatever happens to the files."""
    for path in image_paths(filename):
        try:
            os.remove(path)
        except FileNotFoundError:
            pass
        except OSError as exc:
            log.warning("could not remove image file %s: %s", path, exc)


def store_image(data: bytes) -> tuple[str, int, int]:
    """Check and re-encode an uploaded image; return (random filename, width, height).

    Raises ValidationFailed for anything Pillow cannot open as a raster image we accept (SVG,
    a script renamed .jpg, a decompression bomb).
    """
    from flask_babel import lazy_gettext as _l

    try:
        with Image.open(BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(BytesIO(data))
        if image.format not in ALLOWED_FORMATS:
            raise ValidationFailed(_l("Only JPEG, PNG, WebP and GIF images are accepted."))
        if image.width * image.height > MAX_PIXELS:
            raise ValidationFailed(_l("The image is too large."))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationFailed(_l("The file is not a valid image.")) from exc
    image = image.convert("RGB")
    filename = secrets.token_hex(16) + ".jpg"
    path = original_path(filename)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    image.save(path, "JPEG", quality=88, optimize=True)
    return filename, image.width, image.height


def ensure_thumbnail(filename: str, width: int) -> str:
    """Path of the `width` thumbnail, generating it the first time it is asked for."""
    path = thumb_path(filename, width)
    if os.path.exists(path):
        return path
    source = original_path(filename)
    with Image.open(source) as image:
        image = image.convert("RGB")
        if image.width > width:
            height = round(image.height * width / image.width)
            image = image.resize((width, height), Image.LANCZOS)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        # A unique temporary file per call: two threads (or workers) may race to make the same
        # thumbnail, and os.replace makes whichever finishes last win without a broken file.
        handle, tmp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                image.save(out, "WEBP", quality=82)
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    return path


def thumb_height(image, width: int) -> int:
    """The height a `width` thumbnail of this image has, for width/height attributes."""
    if image.width <= width:
        return image.height
    return round(image.height * width / image.width)
