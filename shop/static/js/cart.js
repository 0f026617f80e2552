// The cart page, redrawn in place: the quantity steppers and the typed quantity, "Remove" and
// its "Undo" are sent in the background (Accept: application/json) and the line total, the
// summary box and the header's count follow without a page load; a screen reader hears what
// changed (the status region). Without scripts the same forms post and the page reloads (the
// steppers post the quantity one lower or higher, the number has an "Update" button inside
// <noscript>, a removal's message holds the "Undo" form).
(function () {
  "use strict";
  var page = document.querySelector("[data-cart-page]");
  if (!page || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var lines = page.querySelector("[data-cart-lines]");
  var summary = page.querySelector("[data-cart-summary]");
  var status = document.querySelector("[data-cart-status]");
  var errorText = page.getAttribute("data-error-text");
  var DELAY = 450; // ms of quiet after the last click before the quantity is sent

  function announce(text) {
    if (!status || !text) {
      return;
    }
    // Emptied first, so the same words said twice in a row are read twice.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 60);
  }

  // POST a form as the browser would, asking for JSON; resolves to {ok, data} (data null
  // when the answer was not the cart's JSON: a network error, a proxy's page).
  function send(form, overrides) {
    var fields = new URLSearchParams(new FormData(form));
    Object.keys(overrides || {}).forEach(function (name) { fields.set(name, overrides[name]); });
    return fetch(form.action, {
      method: "POST",
      body: fields,
      credentials: "same-origin",
      headers: { "Accept": "application/json" },
    }).then(function (response) {
      return response.json().then(function (data) {
        return { ok: response.ok && !!data && data.ok === true, data: data };
      }, function () { return { ok: false, data: null }; });
    }, function () { return { ok: false, data: null }; });
  }

  function cartChanged(data) {
    document.dispatchEvent(new CustomEvent("lavka:cart-changed", {
      detail: { count: data.count, header: data.header, open: false },
    }));
  }

  function setSteppers(line, quantity, max, problem) {
    var less = line.querySelector(".qty-step[data-step='-1']");
    var more = line.querySelector(".qty-step[data-step='1']");
    if (less) {
      less.value = String(problem === "short" ? Math.min(quantity - 1, max) : quantity - 1);
      less.disabled = quantity <= 1 || problem === "unavailable";
    }
    if (more) {
      more.value = String(quantity + 1);
      more.disabled = quantity >= max;
    }
  }

  function redrawLine(info) {
    var line = lines.querySelector(".cart-line[data-line-id='" + info.id + "']");
    if (!line) {
      return;
    }
    var input = line.querySelector(".qty-input");
    input.value = String(info.quantity);
    input.defaultValue = String(info.quantity);
    input.max = String(info.max);
    setSteppers(line, info.quantity, info.max, info.problem);
    line.querySelector("[data-line-total]").textContent = info.line_total;
    var note = line.querySelector("[data-line-note]");
    if (note && typeof info.note_html === "string") {
      note.innerHTML = info.note_html;
    }
  }

  function redraw(data) {
    if (typeof data.summary_html === "string") {
      summary.innerHTML = data.summary_html;
    }
    if (data.line) {
      redrawLine(data.line);
    }
    cartChanged(data);
  }

  // A button about to be disabled keeps no focus: keep the keyboard in the same line.
  function keepFocus(line, button) {
    if (button && button.disabled && document.activeElement === document.body) {
      line.querySelector(".qty-input").focus();
    }
  }

  // --- quantities: shown at once, sent after a pause (several clicks, one request) --------
  function schedule(line, quantity) {
    var state = line.cartState || (line.cartState = { seq: 0, timer: 0 });
    window.clearTimeout(state.timer);
    line.setAttribute("aria-busy", "true");
    state.timer = window.setTimeout(function () {
      var seq = ++state.seq;
      send(line.querySelector("form.qty-set"), { quantity: String(quantity) }).then(function (res) {
        if (seq !== state.seq) {
          return; // a newer quantity is on its way
        }
        line.removeAttribute("aria-busy");
        if (!res.data) {
          var input = line.querySelector(".qty-input");
          input.value = input.defaultValue;
          setSteppers(line, parseInt(input.defaultValue, 10), parseInt(input.max, 10), null);
          announce(errorText);
          return;
        }
        redraw(res.data);
        announce(res.ok ? res.data.message : res.data.error);
      });
    }, DELAY);
  }

  function changeQuantity(line, quantity, button) {
    var input = line.querySelector(".qty-input");
    var max = parseInt(input.max, 10) || 1;
    quantity = Math.max(1, Math.min(quantity, max));
    input.value = String(quantity);
    setSteppers(line, quantity, max, null);
    keepFocus(line, button);
    schedule(line, quantity);
  }

  // --- remove, and undo -----------------------------------------------------------------------
  function remove(line, form, button) {
    button.disabled = true;
    send(form).then(function (res) {
      if (!res.ok) {
        button.disabled = false;
        if (res.data) {
          redraw(res.data);
        }
        announce(res.data ? res.data.error : errorText);
        return;
      }
      var row = document.createElement("li");
      row.className = "list-group-item py-3 cart-undo-row";
      row.setAttribute("data-testid", "cart-undo-row");
      row.innerHTML = res.data.undo_html;
      line.replaceWith(row);
      redraw(res.data);
      row.querySelector(".cart-undo").focus();
      announce(res.data.message);
    });
  }

  function undo(row, form, button) {
    button.disabled = true;
    send(form).then(function (res) {
      if (!res.ok) {
        button.disabled = false;
        announce(res.data ? res.data.error : errorText);
        return;
      }
      var variant = form.querySelector("[name=variant_id]").value;
      var fresh = document.createElement("ul");
      fresh.innerHTML = res.data.lines_html;
      var line = fresh.querySelector(".cart-line[data-variant-id='" + variant + "']");
      // The same item added meanwhile (another tab) shows once, where it was removed.
      lines.querySelectorAll(".cart-line[data-variant-id='" + variant + "']").forEach(function (old) {
        old.remove();
      });
      if (line) {
        row.replaceWith(line);
        line.querySelector(".qty-input").focus();
      } else {
        row.remove();
      }
      redraw(res.data);
      announce(res.data.message);
    });
  }

  page.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter || form.querySelector("button[type=submit]");
    var line = form.closest(".cart-line");
    if (line && form.closest(".qty-stepper")) {
      event.preventDefault();
      if (form.classList.contains("qty-set")) {
        var input = form.querySelector(".qty-input");
        if (!input.checkValidity()) {
          input.reportValidity();
          return;
        }
        changeQuantity(line, parseInt(input.value, 10), null);
      } else if (button && !button.disabled) {
        changeQuantity(line, parseInt(button.value, 10), button);
      }
    } else if (line && form.classList.contains("cart-remove-form")) {
      event.preventDefault();
      remove(line, form, button);
    } else if (form.classList.contains("cart-undo-form")) {
      event.preventDefault();
      undo(form.closest(".cart-undo-row"), form, button);
    }
  });

  // A typed quantity is sent when the field is left (no "Update" click needed).
  page.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches(".qty-input") || input.value === input.defaultValue) {
      return;
    }
    if (!input.checkValidity()) {
      input.reportValidity();
      return;
    }
    changeQuantity(input.closest(".cart-line"), parseInt(input.value, 10), null);
  });
})();
