"""The shopper's return pages: the request form of a delivered order, and the return's status
on the order page.

A signed-in shopper reaches their own order by number, a guest by the order's signed link
(shop.orders.access): anyone else gets a 404. The form posts back to the page that showed it;
every refusal (too late, too many units, a forged line, a return already open) is a translated
message on the form and changes nothing.
"""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from shop.core.errors import DomainError
from shop.orders.access import guest_order, own_order
from shop.orders.services import guest_token
from shop.returns import services
from shop.returns.forms import ReturnForm, quantities

bp = Blueprint("returns", __name__)


@bp.app_template_global("return_panel")
def return_panel(order) -> dict:
    """What the order page shows about returns: the latest return (its status), and whether
    the shopper may ask for one now (the "Return items" button)."""
    returns = services.returns_of(order)
    return {
        "latest": returns[-1] if returns else None,
        "can_request": services.can_request_return(order),
        "deadline": services.return_deadline(order),
    }


@bp.route("/account/orders/<number>/return", methods=["GET", "POST"])
@login_required
def request_own(number):
    order = own_order(number)
    back = url_for("orders.detail", number=order.number)
    return _request(order, back, url_for("returns.request_own", number=order.number),
                    user_id=current_user.id)


@bp.route("/orders/view/<token>/return", methods=["GET", "POST"])
def request_guest(token):
    order = guest_order(token)
    back = url_for("orders.guest_view", token=guest_token(order))
    return _request(order, back, url_for("returns.request_guest", token=token))


def _request(order, back, action, user_id=None):
    if request.method == "GET" and not services.can_request_return(order):
        flash(_("Items of this order cannot be returned now."), "error")
        return redirect(back)
    form = ReturnForm()
    left = services.returnable(order)
    error = None
    if form.validate_on_submit():
        try:
            wanted = quantities(request.form, set(left))
            services.request_return(order.id, wanted, form.reason.data, form.comment.data,
                                    user_id=user_id)
        except DomainError as exc:
            error = str(exc.message)
        else:
            flash(_("Your return request has been sent. We will email you our answer."),
                  "success")
            return redirect(back)
    elif request.method == "POST" and form.csrf_token.errors:
        error = _("The form has expired, please try again.")
    status = 400 if request.method == "POST" else 200
    return render_template("returns/request.html", order=order, form=form, left=left,
                           back=back, action=action, error=error,
                           entered=request.form if request.method == "POST" else {},
                           deadline=services.return_deadline(order)), status
