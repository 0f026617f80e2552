"""uWSGI mule: cancel unpaid card orders past their deadline (`manage.py orders expire`).

Runs every SHOP_ORDER_EXPIRY_INTERVAL seconds (60 by default). A script, not a module to import:
uwsgi.ini runs it with `mule = shop/ops/mules/order_expiry.py`.
"""

import os

from shop.ops.mules import run_forever

run_forever(["orders", "expire"], float(os.environ.get("SHOP_ORDER_EXPIRY_INTERVAL", "60")))
