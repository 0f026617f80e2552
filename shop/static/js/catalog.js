// Catalogue helpers: auto-submitting sort on listings. (The product page has js/product.js.)
// Everything works without JavaScript; this only saves clicks. No inline scripts (CSP).
(function () {
  "use strict";

  // Filter forms: changing the sort order applies it at once.
  document.querySelectorAll("form[data-autosubmit] select[name=sort]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
