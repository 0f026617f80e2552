// The header's mini-cart: the header's cart link opens an off-canvas panel (Bootstrap) whose
// content is fetched from /cart/mini when it opens, a person's cart that no page keeps. Any
// script that changes the cart without a page load says so with
//   document.dispatchEvent(new CustomEvent("lavka:cart-changed", {detail: {count: 3, open: true}}))
// and the header's count follows; with `open` the panel opens to show the cart. Without
// scripts the header's link leads to the cart page, as it does on the cart page itself.
(function () {
  "use strict";
  var panel = document.getElementById("mini-cart");
  var link = document.querySelector("[data-testid=header-cart]");
  if (!panel || !link || !window.fetch) {
    return;
  }
  var body = panel.querySelector("[data-mini-body]");
  var onCartPage = window.location.pathname === panel.getAttribute("data-cart-url");
  var stale = true;
  var loading = null;
  var opener = null;

  function offcanvas() {
    var bs = window.bootstrap;
    return bs && bs.Offcanvas ? bs.Offcanvas.getOrCreateInstance(panel) : null;
  }

  function isOpen() {
    return panel.classList.contains("show") || panel.classList.contains("showing");
  }

  // The header's badge, its spoken words ("Cart, 3 items") and its total.
  function setHeader(count, label, total) {
    var badge = link.querySelector(".badge");
    if (badge) {
      badge.textContent = String(count);
      badge.hidden = !count;
    }
    var words = link.querySelector(":scope > .visually-hidden");
    if (words && label) {
      words.textContent = label;
    }
    var sum = link.querySelector("[data-header-cart-total]");
    if (sum) {
      if (total) {
        sum.textContent = total;
      }
      sum.hidden = !count;
    }
  }

  function showError() {
    var message = document.createElement("p");
    message.className = "text-danger mb-0";
    message.setAttribute("role", "alert");
    message.textContent = body.getAttribute("data-error-text");
    body.replaceChildren(message);
  }

  function load() {
    stale = false;
    loading = fetch(panel.getAttribute("data-mini-url"), {
      credentials: "same-origin",
      cache: "no-store",
      headers: { "Accept": "text/html" },
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("mini-cart: " + response.status);
      }
      return response.text();
    }).then(function (html) {
      body.innerHTML = html;
      var root = body.querySelector("[data-mini-cart]");
      if (root) {
        setHeader(parseInt(root.getAttribute("data-count"), 10) || 0,
          root.getAttribute("data-header-label"), root.getAttribute("data-header-total"));
      }
    }).catch(function () {
      stale = true;
      showError();
    }).then(function () {
      loading = null;
    });
    return loading;
  }

  panel.addEventListener("show.bs.offcanvas", function () {
    opener = document.activeElement;
    if (stale && !loading) {
      load();
    }
  });
  // Back where the shopper was (the header's link, or the button that added to the cart).
  panel.addEventListener("hidden.bs.offcanvas", function () {
    panel.setAttribute("role", "dialog"); // Bootstrap drops it; its aria-labelledby needs it
    // (A button disabled while its add was on the way lost the focus: the header's link then.)
    var back = opener && opener.isConnected && opener !== document.body && !opener.disabled
      ? opener : link;
    if (typeof back.focus === "function") {
      back.focus();
    }
    opener = null;
  });

  if (!onCartPage) {
    link.setAttribute("aria-controls", "mini-cart");
    link.setAttribute("aria-haspopup", "dialog");
    link.addEventListener("click", function (event) {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
        return; // a new tab or window: the cart page
      }
      var control = offcanvas();
      if (control) {
        event.preventDefault();
        control.show();
      }
    });
  }

  document.addEventListener("lavka:cart-changed", function (event) {
    var detail = event.detail || {};
    var header = detail.header || {};
    if (typeof detail.count === "number") {
      setHeader(detail.count, header.label, header.total);
    }
    stale = true;
    var control = offcanvas();
    if (detail.open && !onCartPage && control) {
      if (isOpen()) {
        load();
      } else {
        control.show();
      }
    } else if (isOpen() || !header.label) {
      load(); // the count's words (Russian has three forms) come with the content
    }
  });
})();
