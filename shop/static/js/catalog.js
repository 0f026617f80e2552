// Catalogue helpers: the product gallery, the variant selector and auto-submitting sort.
// Everything works without JavaScript; this only saves clicks. No inline scripts (CSP).
(function () {
  "use strict";

  // Gallery: a thumbnail shows its photo in the main frame instead of opening it.
  var main = document.getElementById("gallery-main");
  document.querySelectorAll("[data-gallery-src]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (!main) { return; }
      event.preventDefault();
      main.src = link.getAttribute("data-gallery-src");
      main.srcset = link.getAttribute("data-gallery-srcset");
      main.alt = link.getAttribute("data-gallery-alt");
      document.querySelectorAll("[data-gallery-src]").forEach(function (other) {
        other.classList.toggle("active", other === link);
        if (other === link) { other.setAttribute("aria-current", "true"); } else { other.removeAttribute("aria-current"); }
      });
    });
  });

  // Variant selector: the price and the quantity limit follow the chosen variant.
  var price = document.getElementById("variant-price");
  var oldPrice = document.getElementById("variant-old-price");
  var quantity = document.getElementById("quantity");
  document.querySelectorAll("input[name=variant_id][type=radio]").forEach(function (radio) {
    radio.addEventListener("change", function () {
      if (price) { price.textContent = radio.getAttribute("data-price"); }
      if (oldPrice) {
        var old = radio.getAttribute("data-old-price");
        oldPrice.querySelector("[data-old-price]").textContent = old;
        oldPrice.classList.toggle("d-none", !old);
      }
      if (quantity) {
        var max = parseInt(radio.getAttribute("data-max"), 10) || 1;
        quantity.max = String(max);
        if (parseInt(quantity.value, 10) > max) { quantity.value = String(max); }
      }
    });
  });

  // Filter forms: changing the sort order applies it at once.
  document.querySelectorAll("form[data-autosubmit] select[name=sort]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
