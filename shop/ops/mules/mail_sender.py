"""uWSGI mule: send due outbox emails (`manage.py mail send`) every SHOP_MAIL_SEND_INTERVAL s.

A script, not a module to import: uwsgi.ini runs it with `mule = shop/ops/mules/mail_sender.py`.
"""

import os

from shop.ops.mules import run_forever

run_forever(["mail", "send"], float(os.environ.get("SHOP_MAIL_SEND_INTERVAL", "10")))
