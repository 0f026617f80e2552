// The cart page: a changed quantity is sent at once, no "Update" click needed. Without
// scripts the same forms work through their buttons (the stepper buttons post the quantity
// one lower or higher; the number has an "Update" button inside <noscript>).
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches(".cart-lines .qty-input")) {
      return;
    }
    var form = input.form;
    if (!form || input.value === input.defaultValue) {
      return;
    }
    if (!input.checkValidity()) {
      input.reportValidity();
      return;
    }
    // The steppers of this line are now stale: keep them from posting an old quantity.
    var line = input.closest(".cart-line");
    if (line) {
      line.querySelectorAll(".qty-step:not([disabled])").forEach(function (b) {
        b.disabled = true;
        b.setAttribute("data-js-off", "");
      });
    }
    input.readOnly = true;
    if (form.requestSubmit) {
      form.requestSubmit();
    } else {
      form.submit();
    }
  });
  // Back to a page kept by the browser's back-forward cache: make its controls usable again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    document.querySelectorAll(".cart-lines .qty-input").forEach(function (input) {
      input.readOnly = false;
      input.value = input.defaultValue;
    });
    document.querySelectorAll(".cart-lines .qty-step[data-js-off]").forEach(function (b) {
      b.disabled = false;
      b.removeAttribute("data-js-off");
    });
  });
})();
