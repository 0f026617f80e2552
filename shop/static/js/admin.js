// Back office helpers (no inline scripts: the CSP forbids them).
(function () {
  "use strict";
  // Flask-Admin's base template writes <html> without lang; screen readers need it.
  var language = document.querySelector('meta[name="content-language"]');
  if (language && !document.documentElement.lang) {
    document.documentElement.lang = language.content;
  }
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
