// Back office helpers (no inline scripts: the CSP forbids them).
(function () {
  "use strict";
  var root = document.documentElement;
  // Flask-Admin's base template writes <html> without lang; screen readers need it.
  var language = document.querySelector('meta[name="content-language"]');
  if (language && !root.lang) {
    root.lang = language.content;
  }
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // Inline yes/no edits in lists: Flask-Admin's form.js draws them as a bare icon (a link with
  // no name for screen readers) whenever it (re)renders one; say the value in words inside it.
  function nameBoolean(link) {
    var words = {};
    try {
      JSON.parse(link.getAttribute("data-source") || "[]").forEach(function (option) {
        words[option.value] = option.text;
      });
    } catch (ignored) { return; }
    var yes = link.querySelector(".fa-check") !== null;
    var text = words[yes ? "1" : ""] || "";
    var current = link.querySelector(".sr-only");
    if (current && current.textContent === text) { return; }
    if (current) { current.remove(); }
    var span = document.createElement("span");
    span.className = "sr-only";
    span.textContent = text;
    link.appendChild(span);
  }
  document.querySelectorAll('a[data-role="x-editable-boolean"]').forEach(function (link) {
    nameBoolean(link);
    new MutationObserver(function () { nameBoolean(link); }).observe(link, { childList: true });
  });

  // select2's "remove this choice" crosses are unnamed links kept out of the tab order; the
  // keyboard removes a choice with Backspace in the box, so they are hidden from screen readers.
  function hideChoiceCrosses(scope) {
    scope.querySelectorAll(".select2-search-choice-close:not([aria-hidden])").forEach(function (a) {
      a.setAttribute("aria-hidden", "true");
    });
  }
  if (document.querySelector("select[multiple], input[data-role=select2-ajax], input[data-multiple]")) {
    hideChoiceCrosses(document);
    new MutationObserver(function () { hideChoiceCrosses(document); })
      .observe(document.body, { childList: true, subtree: true });
  }

  // Lists on a phone: each row a card (admin.css, .model-list-cards), every value under its
  // column's name, copied here from the header (the server's cells stay as Flask-Admin's).
  document.querySelectorAll("table.model-list").forEach(function (table) {
    var names = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      var copy = th.cloneNode(true);
      copy.querySelectorAll(".sr-only, .fa").forEach(function (el) { el.remove(); });
      return copy.textContent.replace(/\s+/g, " ").trim();
    });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, index) {
        if (!/^col-/.test(cell.className) || !names[index]) { return; }
        cell.setAttribute("data-label", names[index]);
        var value = document.createElement("div");
        value.className = "cell-value";
        while (cell.firstChild) { value.appendChild(cell.firstChild); }
        cell.appendChild(value);
      });
    });
    table.classList.add("model-list-cards");
  });

  // A table that scrolls sideways in its box (a phone) must be reachable by keyboard to be
  // scrolled: the box becomes focusable, named by the heading before it when there is one.
  function focusableScrollers() {
    document.querySelectorAll(".table-responsive").forEach(function (box, index) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-admin-scroller", "");
        var heading = box.previousElementSibling;
        if (heading && /^H[1-6]$/.test(heading.tagName)) {
          heading.id = heading.id || "admin-table-heading-" + index;
          box.setAttribute("role", "region");
          box.setAttribute("aria-labelledby", heading.id);
        }
      } else if (!scrolls && box.hasAttribute("data-admin-scroller")) {
        ["tabindex", "data-admin-scroller", "role", "aria-labelledby"].forEach(function (name) {
          box.removeAttribute(name);
        });
      }
    });
  }
  focusableScrollers();
  window.addEventListener("resize", focusableScrollers);

  // The side navigation on narrow screens (issue 19.1): an off-canvas panel opened by the menu
  // button in the top bar, closed by its close button, the backdrop, Escape or a link in it.
  // Without this script the buttons stay hidden and the menu sits above the page.
  var sidebar = document.getElementById("admin-sidebar");
  var toggle = document.querySelector("[data-admin-nav-toggle]");
  if (!sidebar || !toggle) {
    return;
  }
  var closers = document.querySelectorAll("[data-admin-nav-close]");
  var narrow = window.matchMedia("(max-width: 991.98px)");
  root.classList.add("admin-nav-js");
  toggle.hidden = false;
  closers.forEach(function (el) { el.hidden = false; });

  function isOpen() { return root.classList.contains("admin-nav-open"); }

  function setOpen(open, returnFocus) {
    root.classList.toggle("admin-nav-open", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (narrow.matches) {
      // closed and off screen: out of the tab order and the accessibility tree
      if (open) { sidebar.removeAttribute("inert"); } else { sidebar.setAttribute("inert", ""); }
    }
    if (open) {
      var current = sidebar.querySelector("[aria-current=page]") || sidebar.querySelector("a");
      if (current) { current.focus(); }
    } else if (returnFocus) {
      toggle.focus();
    }
  }

  function fit() {
    if (narrow.matches) {
      if (!isOpen()) { sidebar.setAttribute("inert", ""); }
    } else {
      root.classList.remove("admin-nav-open");
      toggle.setAttribute("aria-expanded", "false");
      sidebar.removeAttribute("inert");
    }
  }

  toggle.addEventListener("click", function () { setOpen(!isOpen(), false); });
  closers.forEach(function (el) {
    el.addEventListener("click", function () { setOpen(false, true); });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && isOpen()) { setOpen(false, true); }
  });
  if (narrow.addEventListener) {
    narrow.addEventListener("change", fit);
  } else if (narrow.addListener) {
    narrow.addListener(fit);
  }
  fit();
})();

// Flask-Admin's list filters (filters.js) add each active filter as a row of a table: its name
// (a "remove" link), the operation and the value, the last two without a label. Name them
// from the row, "Created at: between", whenever rows are added (issue 19.7).
(function () {
  "use strict";
  var form = document.getElementById("filter_form");
  if (!form || !window.MutationObserver) { return; }

  function label(row) {
    var link = row.querySelector(".remove-filter");
    if (!link) { return; }
    var name = link.textContent.replace("\u00d7", "").trim();
    var op = row.querySelector("select.filter-op");
    var opText = op && op.selectedIndex >= 0 ? op.options[op.selectedIndex].text : "";
    if (op) { op.setAttribute("aria-label", name); }
    row.querySelectorAll(".filter-val").forEach(function (field) {
      if (field.type !== "hidden") {
        field.setAttribute("aria-label", opText ? name + ": " + opText : name);
      }
    });
  }

  function labelAll() { form.querySelectorAll("tr").forEach(label); }
  new MutationObserver(labelAll).observe(form, { childList: true, subtree: true });
  form.addEventListener("change", labelAll);
  labelAll();
})();
