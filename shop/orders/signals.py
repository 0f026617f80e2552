"""What the orders layer tells (and asks) the layers that build on it, without importing them.

`shop.payments` calls public `shop.orders.services` functions (`mark_paid`,
`record_late_payment`, `record_late_refund`) and reads order models; orders never imports
payments. The two things orders needs from payments go through these signals, which
`shop.payments.init_app` subscribes to when the app is built:

- `order_closed`: an order was cancelled or refunded. Sent with `sender=order` and
  `refund=<bool>` inside the transaction that moves the order, after its row is updated and
  before commit, so the receivers' writes (cancelling pending payments, refunding taken money)
  land or fail with the move; a receiver that raises undoes the move.
- `payment_check`: a question, "does the shop hold this order's money?". Sent with
  `sender=order`; each receiver returns True or False (blinker hands back the answers). With no
  receiver the answer is no, so a prepaid order is never fulfilled unpaid by mistake.
- `order_page_opened`: the shopper opened the page of an order (the page a payment provider
  sends them back to). Sent with `sender=order` before the page renders; a receiver may bring
  the order up to date in its own transaction (payments reads the status of a payment it still
  waits for from the provider, with a short timeout) and returns a note for the page or None:
  "confirming" (the payment is not confirmed yet) or "declined" (it did not go through).
- `order_handed_over`: the order was delivered to the shopper (or collected). Sent with
  `sender=order` after the commit that moves it, so nothing a receiver does can undo the move;
  payments sends the settlement receipt of a prepaid order (54-FZ) and records a failure to
  retry it later.

- `order_edited`: staff changed an unshipped order's lines or delivery (shop.orders.editing).
  Sent with `sender=order`, `new_total`, `refund_parts` (shop.payments.base.RefundPart-like
  tuples of what was taken off, for a refund receipt) and `key` (the edit's own idempotence
  key) inside the edit's transaction, with the order row locked, before the lines change; a
  receiver settles the money (payments: refunds the difference, or opens an attempt for the
  extra amount) and returns what it did as a dict, or None; one that raises undoes the edit.

Receivers are module-level functions, connected once per process however many apps are built
(blinker keeps one connection per receiver).
"""

from blinker import Namespace

_signals = Namespace()

order_closed = _signals.signal("order-closed")
payment_check = _signals.signal("order-payment-check")
order_page_opened = _signals.signal("order-page-opened")
order_handed_over = _signals.signal("order-handed-over")
order_edited = _signals.signal("order-edited")
