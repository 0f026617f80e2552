"""A local fake of YooKassa's API v3: the documented subset the shop uses, on 127.0.0.1.

The shop's real client code (shop/payments/yookassa.py) runs against it end to end.

- POST /v3/payments, GET /v3/payments/{id}, POST /v3/refunds, GET /v3/refunds/{id},
  POST /v3/receipts, GET /v3/receipts?payment_id=...;
- 54-FZ receipts checked as YooKassa does: a payment or a refund without its `receipt`, a receipt
  without a customer, with an unknown `vat_code`, subject or mode, or whose items (unit amount
  × quantity) do not add up to the amount, is answered 400 `invalid_request`; the receipts taken
  are kept (`payment_receipts`, `refund_receipts`, `receipts`) for tests to read item by item;
- HTTP Basic auth with the shop id and secret key, else 401 `invalid_credentials`;
- `Idempotence-Key` on every POST: missing, 400; the same key with the same body gives the same
  object again (in its current state) and makes nothing new; the same key with another body,
  400;
- errors on demand: `fail(status, times)` answers the next API requests with 400, 401, 429 or
  500 (YooKassa's error object); `drop(times)` does the work of the next POST and closes the
  connection unanswered (the shop sees a network error after the payment was made);
- a slow mode: `slow()` holds every API answer until `release()` (bounded, so nothing hangs);
- a hosted confirmation page, `GET /checkout/{id}` with Pay and Decline, standing in for
  YooKassa's: the decision moves the payment, notifies the shop when `notify_url` is set, and
  sends the browser to the payment's `return_url`;
- for tests: `succeed(id)`, `cancel(id)`, `notification(id, event)` (the body YooKassa posts)
  and `notify(url, body)` (post it to a live shop).
"""

import base64
import html
import json
import threading
import uuid
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.error import HTTPError
from urllib.parse import parse_qs
from urllib.request import Request, urlopen

ERROR_CODES = {
    400: "invalid_request",
    401: "invalid_credentials",
    403: "forbidden",
    404: "not_found",
    429: "too_many_requests",
    500: "internal_server_error",
}
# The longest a slow answer is held back, so a forgotten release never hangs a test run.
SLOW_LIMIT_SECONDS = 10


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


class ApiError(Exception):
    def __init__(self, status, description="", parameter=None):
        super().__init__(description)
        self.status, self.description, self.parameter = status, description, parameter


class FakeYooKassa:
    def __init__(self, shop_id="100500", secret_key="test_fake_secret_key"):
        self.shop_id, self.secret_key = shop_id, secret_key
        self.payments: dict[str, dict] = {}
        self.refunds: dict[str, dict] = {}
        self.requests: list[tuple[str, str, str | None]] = []  # (method, path, idempotence key)
        self.notify_url: str | None = None
        self.notify_from: str | None = None  # X-Forwarded-For-free: a live shop sees 127.0.0.1
        self.refund_outcome = "succeeded"
        self.payment_receipts: dict[str, dict] = {}  # payment id -> the receipt sent with it
        self.refund_receipts: dict[str, dict] = {}  # refund id -> the receipt sent with it
        self.receipts: dict[str, dict] = {}  # receipts made by POST /receipts
        self._keys: dict[str, tuple[str, str, str]] = {}  # key -> (path, body, object id)
        self._failures: list[int] = []
        self._drops = 0
        self._released = threading.Event()
        self._released.set()
        self._lock = threading.Lock()
        self._server = None

    # -- life ----------------------------------------------------------------------------

    def start(self):
        fake = self

        class Handler(_Handler):
            pass

        Handler.fake = fake
        self._server = _Server(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        thread.start()
        return self

    def stop(self):
        self.release()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def root(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        return self.root + "/v3"

    # -- what tests do -------------------------------------------------------------------

    def fail(self, status: int, times: int = 1):
        """Answer the next `times` API requests with `status` (and YooKassa's error object)."""
        with self._lock:
            self._failures.extend([status] * times)

    def drop(self, times: int = 1):
        """Do the work of the next `times` POSTs, then close the connection without answering."""
        with self._lock:
            self._drops += times

    def slow(self):
        """Hold every API answer until `release()` (at most SLOW_LIMIT_SECONDS)."""
        self._released.clear()

    def release(self):
        self._released.set()

    def api_calls(self, method=None, prefix="/v3/") -> list[tuple[str, str, str | None]]:
        return [r for r in self.requests
                if r[1].startswith(prefix) and (method is None or r[0] == method)]

    def succeed(self, payment_id: str) -> dict:
        """The shopper paid: the payment is captured (`capture: true`)."""
        with self._lock:
            payment = self.payments[payment_id]
            if payment["status"] == "pending":
                payment.update(
                    status="succeeded", paid=True, captured_at=_now(), refundable=True,
                    income_amount=dict(payment["amount"]),
                )
                payment.pop("confirmation", None)
            return json.loads(json.dumps(payment))

    def cancel(self, payment_id: str, reason="canceled_by_merchant") -> dict:
        """The shopper declined, the bank refused, or the payment expired unpaid."""
        with self._lock:
            payment = self.payments[payment_id]
            if payment["status"] == "pending":
                payment.update(status="canceled",
                               cancellation_details={"party": "yoo_money", "reason": reason})
                payment.pop("confirmation", None)
            return json.loads(json.dumps(payment))

    def notification(self, object_id: str, event: str = "payment.succeeded", **override) -> bytes:
        """The body YooKassa posts for `event` about a payment (or, for refund events, a
        refund), with the object as it is now; `override` replaces fields of the object."""
        store = self.refunds if event.startswith("refund.") else self.payments
        obj = dict(store.get(object_id) or {"id": object_id, "status": event.split(".")[1]})
        obj.update(override)
        return json.dumps({"type": "notification", "event": event, "object": obj}).encode()

    def notify(self, url: str, body: bytes) -> int:
        """POST a notification to a live shop; its HTTP status."""
        request = Request(url, data=body, method="POST",
                          headers={"Content-Type": "application/json"})
        try:
            with urlopen(request, timeout=30) as response:  # noqa: S310 - a local test URL
                return response.status
        except HTTPError as exc:
            return exc.code

    # -- the API -------------------------------------------------------------------------

    def handle_api(self, method, path, headers, raw) -> dict:
        if not self._authorized(headers.get("Authorization")):
            raise ApiError(401, "Login fails")
        key = headers.get("Idempotence-Key")
        if method == "POST":
            if not key:
                raise ApiError(400, "Idempotence-Key header is missing", "Idempotence-Key")
            if len(key) > 64:
                raise ApiError(400, "Idempotence-Key is too long", "Idempotence-Key")
            try:
                body = json.loads(raw or b"null")
            except ValueError:
                raise ApiError(400, "Request body is not JSON") from None
            if not isinstance(body, dict):
                raise ApiError(400, "Request body must be an object")
            canonical = json.dumps(body, sort_keys=True)
            with self._lock:
                seen = self._keys.get(key)
                if seen is not None:
                    if seen[:2] != (path, canonical):
                        raise ApiError(400, "Idempotence key duplicated", "Idempotence-Key")
                    store = {"/v3/payments": self.payments, "/v3/refunds": self.refunds,
                             "/v3/receipts": self.receipts}[path]
                    return json.loads(json.dumps(store[seen[2]]))
                if path == "/v3/payments":
                    receipt = self._receipt(body.get("receipt"), body.get("amount"))
                    obj = self._create_payment(body)
                    self.payment_receipts[obj["id"]] = receipt
                elif path == "/v3/refunds":
                    receipt = self._receipt(body.get("receipt"), body.get("amount"))
                    obj = self._create_refund(body)
                    self.refund_receipts[obj["id"]] = receipt
                elif path == "/v3/receipts":
                    obj = self._create_receipt(body)
                else:
                    raise ApiError(404, "Not found")
                self._keys[key] = (path, canonical, obj["id"])
                return json.loads(json.dumps(obj))
        if method == "GET":
            if path.startswith("/v3/receipts?"):
                wanted = parse_qs(path.split("?", 1)[1]).get("payment_id", [None])[0]
                with self._lock:
                    items = [r for r in self.receipts.values() if r["payment_id"] == wanted]
                    return json.loads(json.dumps({"type": "list", "items": items}))
            parts = path.strip("/").split("/")
            if len(parts) == 3 and parts[1] in ("payments", "refunds"):
                store = self.payments if parts[1] == "payments" else self.refunds
                with self._lock:
                    obj = store.get(parts[2])
                    if obj is None:
                        raise ApiError(404, "Object not found")
                    return json.loads(json.dumps(obj))
        raise ApiError(404, "Not found")

    def _authorized(self, header) -> bool:
        expected = base64.b64encode(f"{self.shop_id}:{self.secret_key}".encode()).decode()
        return header == f"Basic {expected}"

    @staticmethod
    def _money(value, parameter) -> dict:
        try:
            amount = Decimal(str(value["value"]))
            currency = value["currency"]
        except (TypeError, KeyError, InvalidOperation):
            raise ApiError(400, "Invalid amount", parameter) from None
        if amount <= 0 or amount != amount.quantize(Decimal("0.01")) or currency != "RUB":
            raise ApiError(400, "Invalid amount", parameter)
        return {"value": f"{amount:.2f}", "currency": currency}

    def _create_payment(self, body) -> dict:
        amount = self._money(body.get("amount"), "amount")
        confirmation = body.get("confirmation") or {}
        if confirmation.get("type") != "redirect" or not confirmation.get("return_url"):
            raise ApiError(400, "A redirect confirmation needs a return_url", "confirmation")
        method = (body.get("payment_method_data") or {}).get("type", "bank_card")
        if method not in ("bank_card", "sbp", "sberbank"):
            raise ApiError(400, "Unsupported payment method", "payment_method_data.type")
        description = body.get("description") or ""
        if len(description) > 128:
            raise ApiError(400, "Description is too long", "description")
        payment_id = str(uuid.uuid4())
        payment = {
            "id": payment_id,
            "status": "pending",
            "paid": False,
            "amount": amount,
            "description": description,
            "metadata": body.get("metadata") or {},
            "recipient": {"account_id": self.shop_id, "gateway_id": "100700"},
            "created_at": _now(),
            "confirmation": {
                "type": "redirect",
                "return_url": confirmation["return_url"],
                "confirmation_url": f"{self.root}/checkout/{payment_id}",
            },
            "payment_method": {"type": method, "id": payment_id, "saved": False},
            "capture": bool(body.get("capture")),
            "refundable": False,
            "test": True,
        }
        # kept for the hosted page after the confirmation object is gone
        payment["_return_url"] = confirmation["return_url"]
        self.payments[payment_id] = payment
        return payment

    def _create_refund(self, body) -> dict:
        amount = self._money(body.get("amount"), "amount")
        payment = self.payments.get(body.get("payment_id") or "")
        if payment is None or payment["status"] != "succeeded":
            raise ApiError(400, "Payment is not refundable", "payment_id")
        refunded = Decimal((payment.get("refunded_amount") or {}).get("value", "0"))
        if refunded + Decimal(amount["value"]) > Decimal(payment["amount"]["value"]):
            raise ApiError(400, "Refund amount exceeds the payment", "amount")
        refund = {
            "id": str(uuid.uuid4()),
            "payment_id": payment["id"],
            "status": self.refund_outcome,
            "created_at": _now(),
            "amount": amount,
            "description": body.get("description") or "",
        }
        if refund["status"] == "succeeded":
            total = refunded + Decimal(amount["value"])
            payment["refunded_amount"] = {"value": f"{total:.2f}", "currency": "RUB"}
        self.refunds[refund["id"]] = refund
        return refund

    # -- receipts (54-FZ) --------------------------------------------------------------------

    VAT_CODES = range(1, 13)
    SUBJECTS = {"commodity", "excise", "job", "service", "payment", "composite", "another"}
    MODES = {"full_prepayment", "partial_prepayment", "advance", "full_payment",
             "partial_payment", "credit", "credit_payment"}

    def _receipt(self, receipt, amount, parameter="receipt") -> dict:
        """A receipt as YooKassa checks it; its items must add up to `amount`."""
        if not isinstance(receipt, dict):
            raise ApiError(400, "Receipt is missing", parameter)
        customer = receipt.get("customer")
        if not isinstance(customer, dict) or not (customer.get("email") or customer.get("phone")):
            raise ApiError(400, "Receipt customer is missing", f"{parameter}.customer")
        phone = customer.get("phone")
        if phone is not None and not (isinstance(phone, str) and phone.isdigit()
                                      and 11 <= len(phone) <= 15):
            raise ApiError(400, "Invalid phone", f"{parameter}.customer.phone")
        code = receipt.get("tax_system_code")
        if code is not None and code not in range(1, 7):
            raise ApiError(400, "Invalid tax_system_code", f"{parameter}.tax_system_code")
        total = self._items_total(receipt.get("items"), f"{parameter}.items")
        if total != Decimal(self._money(amount, "amount")["value"]):
            raise ApiError(400, "Sum of receipt items does not match the amount",
                           f"{parameter}.items")
        return json.loads(json.dumps(receipt))

    def _items_total(self, items, parameter) -> Decimal:
        if not isinstance(items, list) or not 1 <= len(items) <= 100:
            raise ApiError(400, "Receipt items are missing", parameter)
        total = Decimal("0")
        for item in items:
            if not isinstance(item, dict):
                raise ApiError(400, "Invalid item", parameter)
            description = item.get("description")
            if not isinstance(description, str) or not 1 <= len(description) <= 128:
                raise ApiError(400, "Invalid item description", f"{parameter}.description")
            try:
                quantity = Decimal(str(item.get("quantity")))
            except InvalidOperation:
                raise ApiError(400, "Invalid quantity", f"{parameter}.quantity") from None
            if not quantity.is_finite() or quantity <= 0:
                raise ApiError(400, "Invalid quantity", f"{parameter}.quantity")
            if item.get("vat_code") not in self.VAT_CODES or isinstance(item.get("vat_code"),
                                                                       bool):
                raise ApiError(400, "Invalid vat_code", f"{parameter}.vat_code")
            if item.get("payment_subject") not in self.SUBJECTS:
                raise ApiError(400, "Invalid payment_subject", f"{parameter}.payment_subject")
            if item.get("payment_mode") not in self.MODES:
                raise ApiError(400, "Invalid payment_mode", f"{parameter}.payment_mode")
            unit = Decimal(self._money(item.get("amount"), f"{parameter}.amount")["value"])
            total += unit * quantity
        return total.quantize(Decimal("0.01"))

    def _create_receipt(self, body) -> dict:
        """POST /receipts: a receipt apart from a payment (the settlement receipt)."""
        if body.get("type") not in ("payment", "refund"):
            raise ApiError(400, "Invalid receipt type", "type")
        payment = self.payments.get(body.get("payment_id") or "")
        if payment is None or payment["status"] != "succeeded":
            raise ApiError(400, "Payment not found or not succeeded", "payment_id")
        if body.get("send") is not True:
            raise ApiError(400, "send must be true", "send")
        settlements = body.get("settlements")
        if not isinstance(settlements, list) or not settlements:
            raise ApiError(400, "Settlements are missing", "settlements")
        paid = Decimal("0")
        for settlement in settlements:
            if not isinstance(settlement, dict) or settlement.get("type") not in (
                    "cashless", "prepayment", "postpayment", "consideration"):
                raise ApiError(400, "Invalid settlement", "settlements")
            paid += Decimal(self._money(settlement.get("amount"), "settlements")["value"])
        receipt = self._receipt(
            {k: body.get(k) for k in ("customer", "items", "tax_system_code") if k in body},
            {"value": f"{paid:.2f}", "currency": "RUB"}, parameter="receipt")
        obj = dict(receipt, id=str(uuid.uuid4()), type=body["type"],
                   payment_id=payment["id"], status="succeeded", settlements=settlements,
                   send=True, registered_at=_now())
        self.receipts[obj["id"]] = obj
        return obj

    def take_failure(self) -> int | None:
        with self._lock:
            return self._failures.pop(0) if self._failures else None

    def take_drop(self) -> bool:
        with self._lock:
            if self._drops:
                self._drops -= 1
                return True
            return False

    def wait_if_slow(self):
        self._released.wait(timeout=SLOW_LIMIT_SECONDS)

    # -- the hosted page -------------------------------------------------------------------

    def decide(self, payment_id, decision) -> str:
        """The shopper's choice on the hosted page; the URL the browser goes back to."""
        payment = self.succeed(payment_id) if decision == "pay" else self.cancel(
            payment_id, reason="canceled_by_user" if decision == "decline" else decision)
        if self.notify_url:
            event = "payment.succeeded" if payment["status"] == "succeeded" else (
                "payment.canceled")
            self.notify(self.notify_url, self.notification(payment_id, event))
        return payment["_return_url"]


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that gave up waiting (slow mode) leaves a broken pipe here: expected.
        pass


class _Handler(BaseHTTPRequestHandler):
    fake: FakeYooKassa = None
    server_version = "FakeYooKassa/1"

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def _read(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status, body: bytes, content_type="application/json", headers=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _api(self, method):
        fake = self.fake
        raw = self._read() if method == "POST" else b""
        fake.requests.append((method, self.path, self.headers.get("Idempotence-Key")))
        fake.wait_if_slow()
        failure = fake.take_failure()
        if failure is not None:
            error = {"type": "error", "id": str(uuid.uuid4()),
                     "code": ERROR_CODES.get(failure, "error"),
                     "description": "Failure on demand"}
            self._send(failure, json.dumps(error).encode())
            return
        try:
            answer = fake.handle_api(method, self.path, self.headers, raw)
        except ApiError as exc:
            error = {"type": "error", "id": str(uuid.uuid4()),
                     "code": ERROR_CODES.get(exc.status, "error"),
                     "description": exc.description}
            if exc.parameter:
                error["parameter"] = exc.parameter
            self._send(exc.status, json.dumps(error).encode())
            return
        if method == "POST" and fake.take_drop():
            self.close_connection = True  # the work is done, the answer never arrives
            return
        answer.pop("_return_url", None)
        self._send(200, json.dumps(answer).encode())

    def do_GET(self):  # noqa: N802 - http.server's name
        if self.path.startswith("/v3/"):
            return self._api("GET")
        if self.path.startswith("/checkout/"):
            return self._page(self.path.split("/")[2])
        self._send(404, b"{}")

    def do_POST(self):  # noqa: N802 - http.server's name
        if self.path.startswith("/v3/"):
            return self._api("POST")
        if self.path.startswith("/checkout/"):
            payment_id = self.path.split("/")[2]
            form = parse_qs(self._read().decode())
            if payment_id not in self.fake.payments:
                return self._send(404, b"not found", "text/plain")
            target = self.fake.decide(payment_id, (form.get("decision") or ["decline"])[0])
            return self._send(303, b"", "text/plain", {"Location": target})
        self._send(404, b"{}")

    def _page(self, payment_id):
        payment = self.fake.payments.get(payment_id)
        if payment is None:
            return self._send(404, b"not found", "text/plain")
        amount = html.escape(f"{payment['amount']['value']} {payment['amount']['currency']}")
        method = html.escape(payment["payment_method"]["type"])
        description = html.escape(payment["description"])
        body = f"""<!doctype html><html lang="ru"><head><meta charset="utf-8">
<title>Fake YooKassa</title></head><body>
<h1>Fake YooKassa</h1><p data-testid="fake-description">{description}</p>
<p data-testid="fake-amount">{amount}</p><p data-testid="fake-method">{method}</p>
<form method="post"><button name="decision" value="pay" data-testid="fake-pay">Pay</button>
<button name="decision" value="decline" data-testid="fake-decline">Decline</button></form>
</body></html>"""
        self._send(200, body.encode(), "text/html; charset=utf-8")


# YooKassa's own address for notifications in tests (inside its published 185.71.76.0/27).
YOOKASSA_ADDRESS = "185.71.76.10"


def serve_for(app, **timeouts):
    """Start a fake and point `app` at it (shop id, key, API URL, short timeouts); returns the
    fake and a function that stops it and puts the settings back."""
    fake = FakeYooKassa().start()
    settings = {
        "YOOKASSA_SHOP_ID": fake.shop_id,
        "YOOKASSA_SECRET_KEY": fake.secret_key,
        "YOOKASSA_API_URL": fake.api_url,
        "YOOKASSA_CONNECT_TIMEOUT": 2,
        "YOOKASSA_TIMEOUT": timeouts.get("timeout", 5),
        "YOOKASSA_RETURN_TIMEOUT": timeouts.get("return_timeout", 0.5),
    }
    saved = {name: app.config.get(name) for name in settings}
    app.config.update(settings)

    def stop():
        fake.stop()
        app.config.update(saved)

    return fake, stop
