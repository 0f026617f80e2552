// The product page (catalog/product.html): colour swatches and sizes that choose a variant, a
// gallery that follows the colour (swipe, arrows, thumbnails, a zoom dialog), the chosen
// variant kept in the address, and add-to-cart without a reload.
// Without JavaScript the page works as it is: all photos link to their large size and a plain
// list of variants (in <noscript>) is sent. No inline scripts (CSP); the variants' data is a
// JSON block rendered by the server (formatted prices, translated stock lines).
(function () {
  "use strict";

  var page = document.querySelector("[data-product-page]");
  if (!page) { return; }
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  // --- Gallery --------------------------------------------------------------------------------
  var gallery = page.querySelector("[data-gallery]");
  var track = gallery && gallery.querySelector("[data-gallery-track]");
  var slides = track ? Array.prototype.slice.call(track.children) : [];
  var thumbList = gallery && gallery.querySelector(".gallery-thumbs");
  var thumbItems = thumbList ? Array.prototype.slice.call(thumbList.children) : [];
  var counter = gallery && gallery.querySelector("[data-gallery-counter]");
  var prev = gallery && gallery.querySelector("[data-gallery-prev]");
  var next = gallery && gallery.querySelector("[data-gallery-next]");
  var current = 0;

  function visibleSlides() {
    return slides.filter(function (s) { return !s.classList.contains("is-off"); });
  }

  function showActive(index) {
    var shown = visibleSlides();
    current = Math.max(0, Math.min(index, shown.length - 1));
    if (counter) { counter.textContent = (current + 1) + " / " + shown.length; }
    if (prev) { prev.disabled = current === 0; }
    if (next) { next.disabled = current >= shown.length - 1; }
    var active = shown[current] && shown[current].getAttribute("data-index");
    thumbItems.forEach(function (item) {
      var link = item.querySelector("a");
      var on = item.getAttribute("data-index") === active;
      link.classList.toggle("active", on);
      if (on) { link.setAttribute("aria-current", "true"); } else { link.removeAttribute("aria-current"); }
    });
  }

  function goTo(index, instant) {
    var shown = visibleSlides();
    if (!track || !shown.length) { return; }
    index = Math.max(0, Math.min(index, shown.length - 1));
    track.scrollTo({ left: shown[index].offsetLeft - track.offsetLeft, behavior: instant || reduceMotion ? "auto" : "smooth" });
    showActive(index);
  }

  // Pictures of this colour first, then those of any colour; a colour without any shows all.
  function filterGallery(colour) {
    if (!track) { return; }
    var own = slides.filter(function (s) { return colour && s.getAttribute("data-colour") === colour; });
    var common = slides.filter(function (s) { return !s.getAttribute("data-colour"); });
    var shown = colour && (own.length || common.length) ? own.concat(common) : slides.slice();
    var order = shown.concat(slides.filter(function (s) { return shown.indexOf(s) < 0; }));
    var byIndex = {};
    order.forEach(function (slide) {
      var off = shown.indexOf(slide) < 0;
      slide.classList.toggle("is-off", off);
      byIndex[slide.getAttribute("data-index")] = off;
      track.appendChild(slide);
    });
    if (thumbList) {
      order.forEach(function (slide) {
        var item = thumbItems.filter(function (t) { return t.getAttribute("data-index") === slide.getAttribute("data-index"); })[0];
        if (item) {
          item.classList.toggle("is-off", byIndex[item.getAttribute("data-index")]);
          thumbList.appendChild(item);
        }
      });
      thumbList.hidden = shown.length < 2;
    }
    var several = shown.length > 1;
    if (prev) { prev.hidden = !several; }
    if (next) { next.hidden = !several; }
    if (counter) { counter.hidden = !several; }
    goTo(0, true);
  }

  if (track) {
    var ticking = false;
    track.addEventListener("scroll", function () {
      if (ticking) { return; }
      ticking = true;
      window.requestAnimationFrame(function () {
        ticking = false;
        var width = track.clientWidth || 1;
        showActive(Math.round(track.scrollLeft / width));
      });
    }, { passive: true });
    if (prev) { prev.addEventListener("click", function () { goTo(current - 1); }); }
    if (next) { next.addEventListener("click", function () { goTo(current + 1); }); }
    gallery.addEventListener("keydown", function (event) {
      if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
        if (event.target.closest && event.target.closest(".gallery-thumbs, .gallery-stage")) {
          event.preventDefault();
          goTo(current + (event.key === "ArrowRight" ? 1 : -1));
        }
      }
    });
    thumbItems.forEach(function (item) {
      item.querySelector("a").addEventListener("click", function (event) {
        event.preventDefault();
        goTo(visibleSlides().indexOf(slides.filter(function (s) {
          return s.getAttribute("data-index") === item.getAttribute("data-index");
        })[0]));
      });
    });
    var several = visibleSlides().length > 1;
    if (prev) { prev.hidden = !several; }
    if (next) { next.hidden = !several; }
    showActive(0);
  }

  // --- Zoom: a dialog with the large photo; arrows and swipes move, Esc closes -------------
  var dialog = page.querySelector("[data-zoom-dialog]");
  var zoomImage = dialog && dialog.querySelector("[data-zoom-image]");
  var zoomFrame = dialog && dialog.querySelector("[data-zoom-frame]");
  var zoomCaption = dialog && dialog.querySelector("[data-zoom-caption]");
  var zoomIndex = 0;

  function zoomTo(index) {
    var shown = visibleSlides();
    if (!shown.length) { return; }
    zoomIndex = (index + shown.length) % shown.length;
    var link = shown[zoomIndex].querySelector("a");
    var img = link.querySelector("img");
    zoomImage.classList.remove("is-zoomed");
    zoomImage.src = link.getAttribute("data-zoom-src");
    zoomImage.alt = img.alt;
    zoomImage.width = img.width;
    zoomImage.height = img.height;
    zoomCaption.textContent = img.alt + " · " + (zoomIndex + 1) + " / " + shown.length;
    var several = shown.length > 1;
    dialog.querySelector("[data-zoom-prev]").hidden = !several;
    dialog.querySelector("[data-zoom-next]").hidden = !several;
  }

  if (dialog && typeof dialog.showModal === "function") {
    slides.forEach(function (slide) {
      slide.querySelector("a").addEventListener("click", function (event) {
        event.preventDefault();
        zoomImage.loading = "eager";
        zoomTo(visibleSlides().indexOf(slide));
        dialog.showModal();
      });
    });
    dialog.querySelector("[data-zoom-close]").addEventListener("click", function () { dialog.close(); });
    dialog.querySelector("[data-zoom-prev]").addEventListener("click", function () { zoomTo(zoomIndex - 1); });
    dialog.querySelector("[data-zoom-next]").addEventListener("click", function () { zoomTo(zoomIndex + 1); });
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "ArrowLeft") { event.preventDefault(); zoomTo(zoomIndex - 1); }
      if (event.key === "ArrowRight") { event.preventDefault(); zoomTo(zoomIndex + 1); }
    });
    // A click on the backdrop (the dialog itself, outside its frame) closes it.
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog || event.target === zoomFrame) { dialog.close(); }
    });
    dialog.addEventListener("close", function () { goTo(zoomIndex, true); });
    // A click on the photo magnifies it twice around the pointer; moving the pointer pans.
    zoomImage.addEventListener("click", function (event) {
      event.stopPropagation();
      if (swiped) { swiped = false; return; }
      zoomImage.classList.toggle("is-zoomed");
      pan(event);
    });
    zoomImage.addEventListener("pointermove", pan);
    var startX = null;
    var swiped = false;
    zoomFrame.addEventListener("pointerdown", function (event) { startX = event.clientX; swiped = false; });
    zoomFrame.addEventListener("pointerup", function (event) {
      if (startX === null || zoomImage.classList.contains("is-zoomed")) { startX = null; return; }
      var dx = event.clientX - startX;
      startX = null;
      if (Math.abs(dx) > 40) { swiped = true; zoomTo(zoomIndex + (dx < 0 ? 1 : -1)); }
    });
  }

  function pan(event) {
    if (!zoomImage.classList.contains("is-zoomed")) { return; }
    var box = zoomImage.getBoundingClientRect();
    var x = Math.max(0, Math.min(100, (event.clientX - box.left) / box.width * 100));
    var y = Math.max(0, Math.min(100, (event.clientY - box.top) / box.height * 100));
    zoomImage.style.transformOrigin = x + "% " + y + "%";
  }

  // --- Variant picker -------------------------------------------------------------------------
  var form = page.querySelector("form.add-to-cart");
  var dataBlock = document.getElementById("variant-data");
  var variants = dataBlock ? JSON.parse(dataBlock.textContent) : [];
  if (!form || !variants.length) { return; }
  var variantInput = form.querySelector("[data-variant-input]");
  if (variantInput) { variantInput.disabled = false; }
  var chosenId = (variantInput || form.querySelector("input[name=variant_id]")).value;
  var chosen = variants.filter(function (v) { return String(v.id) === chosenId; })[0] || variants[0];
  var text = function (name) { return form.getAttribute("data-text-" + name) || ""; };
  var el = function (selector) { return page.querySelector(selector); };
  var button = form.querySelector("[data-buy-button]");
  var quantity = form.querySelector("#quantity");
  var status = form.querySelector("[data-buy-status]");
  var busy = false;

  function find(colour, size) {
    return variants.filter(function (v) { return v.colour === colour && v.size === size; })[0];
  }

  function setState(label, state) {
    label.classList.toggle("is-sold-out", state === "sold_out");
    label.classList.toggle("is-missing", state === "missing");
    var note = label.querySelector("[data-state-text]");
    if (note) {
      note.textContent = state === "ok" ? "" : ", " + text(state === "missing" ? "missing-option" : "sold-out-option");
    }
  }

  function render(v) {
    form.querySelectorAll("input[name=colour]").forEach(function (r) { r.checked = r.value === v.colour; });
    form.querySelectorAll("input[name=size]").forEach(function (r) { r.checked = r.value === v.size; });
    var colourLabel = form.querySelector("label[data-option=colour][data-value='" + CSS.escape(v.colour) + "']");
    var colourName = el("[data-colour-name]");
    if (colourName && colourLabel) { colourName.textContent = colourLabel.getAttribute("title"); }
    var sizeName = el("[data-size-name]");
    if (sizeName) { sizeName.textContent = v.size; }
    form.querySelectorAll("label[data-option=size]").forEach(function (label) {
      var match = variants.filter(function (o) { return o.colour === v.colour && o.size === label.getAttribute("data-value"); });
      setState(label, !match.length ? "missing" : (match.some(function (o) { return o.stock > 0; }) ? "ok" : "sold_out"));
    });
    var price = el("#variant-price");
    if (price) {
      price.textContent = v.price;
      price.classList.toggle("price-sale", !!v.old);
    }
    var old = el("#variant-old-price");
    if (old) {
      old.querySelector("[data-old-price]").textContent = v.old;
      old.classList.toggle("d-none", !v.old);
    }
    var off = el("[data-price-off]");
    if (off) {
      off.textContent = v.off ? "\u2212" + v.off + "%" : "";
      off.classList.toggle("d-none", !v.off);
    }
    var stock = el("#variant-stock");
    if (stock) {
      stock.textContent = v.stockText;
      stock.classList.toggle("is-in", v.stock > 0);
      stock.classList.toggle("is-out", v.stock <= 0);
    }
    var sku = el("#variant-sku");
    if (sku) { sku.textContent = v.sku; }
    var barPrice = el("[data-bar-price]");
    if (barPrice) { barPrice.textContent = v.price; }
    var barOld = el("[data-bar-old]");
    if (barOld) { barOld.textContent = v.old; barOld.classList.toggle("d-none", !v.old); }
    if (button) {
      button.disabled = v.stock <= 0 || busy;
      button.textContent = v.stock > 0 ? text("add") : text("sold-out");
    }
    if (quantity) {
      quantity.max = String(Math.max(1, v.max));
      if (parseInt(quantity.value, 10) > v.max && v.max > 0) { quantity.value = String(v.max); }
    }
    if (variantInput) { variantInput.value = String(v.id); }
  }

  function addressOf(v) {
    var url = new URL(window.location.href);
    url.searchParams.set("variant", String(v.id));
    return url.pathname + url.search;
  }

  function choose(v) {
    var colourChanged = v.colour !== chosen.colour;
    chosen = v;
    render(v);
    if (colourChanged) { filterGallery(v.colour); }
    var address = addressOf(v);
    window.history.replaceState(window.history.state, "", address + window.location.hash);
    var nextField = form.querySelector("[data-next]");
    if (nextField) { nextField.value = address; }
    // The language switch returns to this very choice.
    document.querySelectorAll(".lang-switch a[href]").forEach(function (link) {
      var url = new URL(link.href, window.location.href);
      if (url.searchParams.has("next")) {
        url.searchParams.set("next", address);
        link.href = url.pathname + url.search;
      }
    });
    if (status) { status.textContent = ""; status.classList.remove("is-error", "is-done"); }
  }

  // The clicked value wins: its combination with the other choice when it is sold (even sold
  // out, shown as such), else the first variant of that value in stock.
  function pick(kind, value) {
    var colour = kind === "colour" ? value : chosen.colour;
    var size = kind === "size" ? value : chosen.size;
    var v = find(colour, size);
    if (!v) {
      var same = variants.filter(function (o) { return kind === "colour" ? o.colour === value : o.size === value; });
      v = same.filter(function (o) { return o.stock > 0; })[0] || same[0];
    }
    if (v) { choose(v); }
  }

  form.querySelectorAll("input[name=colour], input[name=size]").forEach(function (radio) {
    radio.addEventListener("change", function () { pick(radio.name, radio.value); });
  });
  render(chosen);

  // The phone's buy bar is fixed at the bottom; product.css pads the page by its usual height,
  // and a bar grown taller (a long translation wrapping) pads it by its real one.
  var bar = form.querySelector("[data-buy-bar]");
  if (bar && window.ResizeObserver) {
    new ResizeObserver(function () {
      var fixed = window.getComputedStyle(bar).position === "fixed";
      document.body.style.paddingBottom = fixed && bar.offsetHeight > 72 ? bar.offsetHeight + "px" : "";
    }).observe(bar);
  }

  // --- Add to cart without a reload -------------------------------------------------------
  function say(message, isError, withLink) {
    if (!status) { return; }
    status.textContent = "";
    status.classList.toggle("is-error", !!isError);
    status.classList.toggle("is-done", !isError);
    var line = document.createElement("span");
    line.textContent = message;
    status.appendChild(line);
    if (withLink) {
      status.appendChild(document.createTextNode(" "));
      var link = document.createElement("a");
      link.href = form.getAttribute("data-cart-url");
      link.textContent = text("cart");
      link.setAttribute("data-testid", "go-to-cart");
      status.appendChild(link);
    }
    // On a phone the line floats over the page above the buy bar: it goes after a while.
    window.clearTimeout(say.timer);
    if (window.matchMedia("(max-width: 767.98px)").matches) {
      say.timer = window.setTimeout(function () {
        status.textContent = "";
        status.classList.remove("is-error", "is-done");
      }, 8000);
    }
  }

  function done() {
    busy = false;
    if (button) { button.disabled = chosen.stock <= 0; button.removeAttribute("aria-busy"); }
  }

  form.addEventListener("submit", function (event) {
    if (!window.fetch || !window.FormData || event.defaultPrevented) { return; }
    event.preventDefault();
    if (busy) { return; }
    busy = true;
    if (button) { button.disabled = true; button.setAttribute("aria-busy", "true"); }
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "Accept": "application/json" },
      credentials: "same-origin",
      redirect: "manual"
    }).then(function (response) {
      // A server that answers with its page's redirect has added already and keeps its own
      // message for the next page: show it (the address keeps the variant).
      if (response.type === "opaqueredirect") { window.location.reload(); return; }
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") < 0) {
        HTMLFormElement.prototype.submit.call(form);
        return;
      }
      return response.json().then(function (data) {
        done();
        if (response.ok && data.ok) {
          say(data.message || "", false, true);
          document.dispatchEvent(new CustomEvent("lavka:cart-changed", { detail: { count: data.count, open: true } }));
        } else {
          say(data.error || text("error"), true, false);
        }
      });
    }).catch(function () {
      done();
      say(text("error"), true, false);
    });
  });
})();
