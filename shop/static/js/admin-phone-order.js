/* The phone order page (admin/phone_order.py): search products in place, add a found variant
   as a line, add and remove line rows, and hide the address for a delivery that needs none.
   Without this script the page still works: searches reload it and SKUs are typed. */
(function () {
  "use strict";
  var page = document.querySelector(".phone-order");
  if (!page) { return; }
  var table = page.querySelector(".phone-lines tbody");
  var addLine = page.querySelector(".add-line");
  var search = document.getElementById("variant-search");
  var results = document.getElementById("variant-results");

  function renumber() {
    var rows = table.querySelectorAll(".phone-line");
    rows.forEach(function (row, index) {
      var n = String(index + 1);
      row.querySelectorAll("[aria-label]").forEach(function (input) {
        input.setAttribute("aria-label", input.getAttribute("aria-label").replace(/\d+$/, n));
      });
      var hidden = row.querySelector(".remove-line .sr-only");
      if (hidden) { hidden.textContent = hidden.textContent.replace(/\d+$/, n); }
    });
  }

  function newRow() {
    var rows = table.querySelectorAll(".phone-line");
    var row = rows[rows.length - 1].cloneNode(true);
    row.querySelector("[name=sku]").value = "";
    row.querySelector("[name=quantity]").value = "1";
    table.appendChild(row);
    renumber();
    return row;
  }

  function addSku(sku) {
    var rows = Array.prototype.slice.call(table.querySelectorAll(".phone-line"));
    var same = rows.filter(function (r) {
      return r.querySelector("[name=sku]").value.trim().toUpperCase() === sku.toUpperCase();
    })[0];
    if (same) {
      var quantity = same.querySelector("[name=quantity]");
      quantity.value = String(Math.min(99, (parseInt(quantity.value, 10) || 0) + 1));
      quantity.focus();
      return;
    }
    var empty = rows.filter(function (r) { return !r.querySelector("[name=sku]").value.trim(); })[0];
    var row = empty || newRow();
    row.querySelector("[name=sku]").value = sku;
    row.querySelector("[name=quantity]").focus();
  }

  function showAddButtons() {
    results.querySelectorAll(".add-variant").forEach(function (button) { button.hidden = false; });
  }

  addLine.hidden = false;
  addLine.addEventListener("click", function () { newRow().querySelector("[name=sku]").focus(); });
  table.querySelectorAll(".remove-line").forEach(function (b) { b.hidden = false; });
  table.addEventListener("click", function (event) {
    var button = event.target.closest(".remove-line");
    if (!button) { return; }
    var rows = table.querySelectorAll(".phone-line");
    var row = button.closest(".phone-line");
    if (rows.length > 1) { row.remove(); renumber(); } else {
      row.querySelector("[name=sku]").value = "";
      row.querySelector("[name=quantity]").value = "1";
    }
    addLine.focus();
  });
  results.addEventListener("click", function (event) {
    var button = event.target.closest(".add-variant");
    if (button) { addSku(button.getAttribute("data-sku")); }
  });
  showAddButtons();

  search.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = document.getElementById("variant-query").value;
    var url = search.getAttribute("data-fragment") + "?vq=" + encodeURIComponent(query);
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        results.innerHTML = html;
        showAddButtons();
      })
      .catch(function () { search.submit(); });
  });

  var address = page.querySelector(".address-fields");
  function toggleAddress() {
    var chosen = page.querySelector("[name=delivery_method]:checked");
    address.hidden = !!chosen && chosen.getAttribute("data-needs-address") === "0";
  }
  page.querySelectorAll("[name=delivery_method]").forEach(function (radio) {
    radio.addEventListener("change", toggleAddress);
  });
  toggleAddress();
})();
