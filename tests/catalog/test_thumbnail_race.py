"""Many first requests for the same thumbnail at once all get it (no 404, no broken file)."""

from concurrent.futures import ThreadPoolExecutor
from io import BytesIO

from PIL import Image

from shop.catalog.images import ensure_thumbnail, store_image


def test_concurrent_first_requests_all_get_the_thumbnail(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MEDIA_ROOT", str(tmp_path))
    buf = BytesIO()
    Image.new("RGB", (1200, 900), (120, 40, 20)).save(buf, "PNG")
    with app.app_context():
        name, _w, _h = store_image(buf.getvalue())

        def make(_):
            with app.app_context():
                return ensure_thumbnail(name, 320)

        with ThreadPoolExecutor(max_workers=16) as pool:
            paths = list(pool.map(make, range(48)))
    assert len(set(paths)) == 1
    with Image.open(paths[0]) as thumb:
        assert thumb.width == 320
    leftovers = [p for p in (tmp_path / "thumbs" / "320").iterdir() if p.suffix == ".tmp"]
    assert leftovers == []


def test_public_url_follows_the_demo_listener(monkeypatch, app):
    from shop import create_app
    from shop.extensions import db

    monkeypatch.delenv("SHOP_PUBLIC_URL", raising=False)
    monkeypatch.setenv("SHOP_HTTP", "127.0.0.1:8123")
    monkeypatch.setenv("SHOP_DATABASE_URL", app.config["DATABASE_URL"])
    other = create_app("testing")
    assert other.config["PUBLIC_URL"] == "http://127.0.0.1:8123"
    with other.app_context():
        db.engine.dispose()
