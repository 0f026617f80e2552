// Checkout details, on top of a form that works without JavaScript:
// - the address block only for a delivery method that delivers to an address (pickup needs
//   none; without a script the block stays, with its "not needed for pickup" hint, and the
//   server neither asks for nor keeps the address of a pickup order);
// - the new address's fields only while "New address" is chosen among the saved ones;
// - the summary's delivery and total follow the chosen method (the figures come from the
//   server, on the method's card);
// - on a phone the summary's lines fold away under "N items".
// Hidden parts are disabled too: their fields are then neither sent nor in the keyboard's way.
// No inline scripts: the CSP forbids them.
(function () {
  "use strict";
  var form = document.querySelector("form[action$='/checkout']");
  if (!form) {
    return;
  }
  var block = form.querySelector("[data-address-block]");
  var newAddress = form.querySelector("[data-new-address]");
  var delivery = document.querySelector("[data-summary-delivery]");
  var total = document.querySelector("[data-summary-total]");

  function checked(name) {
    return form.querySelector("input[name=" + name + "]:checked");
  }

  function show(part, shown) {
    if (part) {
      part.hidden = !shown;
      part.disabled = !shown;
    }
  }

  function update() {
    var method = checked("delivery_method");
    if (block) {
      show(block, !method || method.getAttribute("data-needs-address") !== "false");
    }
    var saved = checked("saved_address");
    if (newAddress && form.querySelector("input[name=saved_address]")) {
      show(newAddress, !saved || saved.value === "new");
    }
    if (method && delivery && total) {
      delivery.textContent = method.getAttribute("data-delivery-label");
      total.textContent = method.getAttribute("data-total-label");
    }
  }

  form.querySelectorAll("[data-no-js-hint]").forEach(function (hint) {
    hint.hidden = true;
  });
  form.addEventListener("change", function (event) {
    var name = event.target.name;
    if (name === "delivery_method" || name === "saved_address") {
      update();
    }
  });
  // Back/forward cache and form restoration may change the checked radio after load.
  window.addEventListener("pageshow", update);
  update();

  var lines = document.querySelector("[data-summary-lines][data-fold-on-phone]");
  if (lines && window.matchMedia("(max-width: 991.98px)").matches) {
    lines.open = false;
  }
})();
