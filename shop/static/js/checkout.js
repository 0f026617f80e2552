// Checkout details: the address block only for a delivery method that delivers to an address.
// Without JavaScript the block stays on the page with its "not needed for pickup" hint, and the
// server ignores the address of a pickup order. No inline scripts: the CSP forbids them.
(function () {
  "use strict";
  var block = document.querySelector("[data-address-block]");
  var radios = document.querySelectorAll("input[name=delivery_method][data-needs-address]");
  if (!block || !radios.length) {
    return;
  }
  function update() {
    var chosen = document.querySelector("input[name=delivery_method][data-needs-address]:checked");
    var needed = !chosen || chosen.getAttribute("data-needs-address") !== "false";
    block.hidden = !needed;
    // A disabled fieldset's fields are not sent, nor in the way of the keyboard.
    block.disabled = !needed;
  }
  radios.forEach(function (radio) {
    radio.addEventListener("change", update);
  });
  // Back/forward cache and form restoration may change the checked radio after load.
  window.addEventListener("pageshow", update);
  update();
})();
