// The product editor (issue 19.2), loaded on the product create and edit pages only.
// The page works without it: sections under an in-page menu, a textarea per description,
// a blank variant row, position numbers for the images. This script adds, on top:
//   * ARIA tabs (arrow keys, Home, End) instead of the long page of sections;
//   * a small formatting editor (bold, italic, heading, lists, link) that writes its HTML into
//     the description's textarea, which stays the field the form sends; the server sanitises
//     it as before (nh3), the cleaning here only keeps the editor tidy;
//   * variant rows added and removed, all rows ticked at once, bulk actions' own inputs;
//   * images ordered by dragging their handle or with up/down buttons;
//   * a filter for the category list;
//   * the SEO tab's character counts and its search result preview, kept current as staff type.
// No inline script (the CSP forbids it): the translated words come from a JSON block.
(function () {
  "use strict";

  var form = document.querySelector("[data-product-editor]");
  if (!form) { return; }
  var stringsNode = document.getElementById("editor-strings");
  var S = stringsNode ? JSON.parse(stringsNode.textContent) : {};

  function say(template, values) {
    return String(template || "").replace(/%\((\w+)\)[sd]/g, function (_all, name) {
      return values && name in values ? values[name] : "";
    });
  }

  var dirty = false;
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });

  // Buttons that act at once (remove an image, bulk actions) say that unsaved edits are lost.
  document.querySelectorAll("[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      var always = !button.hasAttribute("data-bulk-submit");
      if ((always || dirty) && !window.confirm(button.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });

  // --- Tabs ---------------------------------------------------------------------------------
  var tabList = form.querySelector("[data-editor-tabs]");
  var tabs = tabList ? Array.prototype.slice.call(tabList.querySelectorAll("a.editor-tab")) : [];
  var panels = tabs.map(function (tab) { return document.getElementById(tab.hash.slice(1)); });

  function panelIndexOf(element) {
    for (var i = 0; i < panels.length; i++) {
      if (panels[i] && panels[i].contains(element)) { return i; }
    }
    return -1;
  }

  function selectTab(index, focus, remember) {
    tabs.forEach(function (tab, i) {
      var on = i === index;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
      tab.classList.toggle("active", on);
      panels[i].hidden = !on;
    });
    if (focus) { tabs[index].focus(); }
    if (remember && window.history.replaceState) {
      window.history.replaceState(null, "", tabs[index].hash);
    }
  }

  if (tabs.length && panels.every(Boolean)) {
    form.classList.add("editor-tabbed");
    tabList.setAttribute("role", "tablist");
    tabList.setAttribute("aria-label", tabList.parentNode.getAttribute("aria-label") || "");
    tabs.forEach(function (tab, i) {
      var panel = panels[i];
      tab.parentNode.setAttribute("role", "presentation");
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", panel.id);
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      if (panel.querySelector(".is-invalid, .editor-errors, .invalid-feedback, [aria-invalid='true']")) {
        tab.classList.add("editor-tab-invalid");
        var mark = document.createElement("span");
        mark.className = "sr-only";
        mark.textContent = " " + (S.hasErrors || "");
        tab.appendChild(mark);
      }
      tab.addEventListener("click", function (event) {
        event.preventDefault();
        selectTab(i, false, true);
      });
      tab.addEventListener("keydown", function (event) {
        var next = null;
        if (event.key === "ArrowRight" || event.key === "ArrowDown") { next = (i + 1) % tabs.length; }
        else if (event.key === "ArrowLeft" || event.key === "ArrowUp") { next = (i - 1 + tabs.length) % tabs.length; }
        else if (event.key === "Home") { next = 0; }
        else if (event.key === "End") { next = tabs.length - 1; }
        if (next !== null) {
          event.preventDefault();
          selectTab(next, true, true);
        }
      });
    });
    var start = 0;
    var invalid = tabs.findIndex(function (tab) { return tab.classList.contains("editor-tab-invalid"); });
    var target = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
    if (invalid >= 0) { start = invalid; }
    else if (target && panelIndexOf(target) >= 0) { start = panelIndexOf(target); }
    selectTab(start, false, false);

    // The browser's own check of a required field in a hidden tab: show that tab first.
    var shown = false;
    form.addEventListener("invalid", function (event) {
      var index = panelIndexOf(event.target);
      if (index >= 0 && !shown) {
        shown = true;
        selectTab(index, false, true);
        window.setTimeout(function () { shown = false; event.target.reportValidity(); }, 0);
      }
    }, true);
  }

  // --- Category picker ------------------------------------------------------------------------
  var picker = form.querySelector("[data-category-picker]");
  if (picker) {
    var select = picker.querySelector("select");
    var filter = picker.querySelector("[data-category-filter]");
    var count = picker.querySelector("[data-category-count]");
    var pathNote = picker.querySelector("[data-category-path]");
    var choices = Array.prototype.slice.call(select.options, 1).map(function (option) {
      return { option: option, tree: option.text, path: option.getAttribute("data-path"),
               words: option.getAttribute("data-search") || "" };
    });
    filter.parentNode.hidden = false;
    var applyFilter = function () {
      var query = filter.value.trim().toLowerCase();
      var words = query ? query.split(/\s+/) : [];
      var chosen = select.value;
      var found = 0;
      while (select.options.length > 1) { select.remove(1); }
      choices.forEach(function (choice) {
        var match = words.every(function (word) { return choice.words.indexOf(word) >= 0; });
        if (match || choice.option.value === chosen) {
          choice.option.text = words.length ? choice.path : choice.tree;
          select.add(choice.option);
          if (match) { found += 1; }
        }
      });
      select.value = chosen;
      count.textContent = words.length ? say(S.categoriesFound, { num: found }) : "";
      return found;
    };
    filter.addEventListener("input", applyFilter);
    filter.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") { return; }
      event.preventDefault(); // Enter here filters; it must not submit the product
      var matches = choices.filter(function (c) { return c.option.parentNode === select; });
      var words = filter.value.trim().toLowerCase().split(/\s+/);
      matches = matches.filter(function (c) {
        return words.every(function (word) { return c.words.indexOf(word) >= 0; });
      });
      if (matches.length === 1) {
        select.value = matches[0].option.value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
      select.focus();
    });
    select.addEventListener("change", function () {
      var option = select.options[select.selectedIndex];
      pathNote.textContent = option && option.value ? option.getAttribute("data-path")
        : pathNote.getAttribute("data-empty");
    });
  }

  // --- Variants -------------------------------------------------------------------------------
  var table = form.querySelector("[data-variant-table]");
  if (table) {
    var rows = table.querySelector("[data-variant-rows]");
    var template = document.getElementById("variant-row-template");
    var addButton = form.querySelector("[data-add-row]");
    var hint = form.querySelector("[data-no-js-hint]");
    var isBlank = function (row) {
      return Array.prototype.every.call(
        row.querySelectorAll("input[type=text], input[type=number]"),
        function (input) { return !input.value.trim(); }
      );
    };
    var rowCount = function () { return rows.querySelectorAll("[data-variant-row]").length; };
    var wireRow = function (row) {
      var remove = row.querySelector("[data-remove-row]");
      if (remove) {
        remove.hidden = false;
        remove.addEventListener("click", function () {
          row.parentNode.removeChild(row);
          addButton.focus();
        });
      }
    };
    // The blank row is the page's way to add a variant without JavaScript; with it, the
    // "Add a variant" button does that, so the blank row goes unless it is the only one.
    var blank = rows.querySelector("tr.variant-row-new:last-child");
    if (blank && isBlank(blank) && rowCount() > 1) {
      blank.parentNode.removeChild(blank);
    }
    Array.prototype.forEach.call(rows.querySelectorAll("[data-variant-row]"), wireRow);
    if (hint) { hint.hidden = true; }
    if (addButton && template) {
      addButton.hidden = false;
      addButton.addEventListener("click", function () {
        var index = Number(table.getAttribute("data-next-index"));
        table.setAttribute("data-next-index", String(index + 1));
        var html = template.innerHTML
          .replace(/__index__/g, String(index))
          .replace(/__number__/g, String(rowCount() + 1));
        rows.insertAdjacentHTML("beforeend", html);
        var row = rows.lastElementChild;
        var positions = Array.prototype.map.call(
          rows.querySelectorAll("[data-variant-position]"),
          function (input) { return Number(input.value) || 0; }
        );
        row.querySelector("[data-variant-position]").value = String(Math.max.apply(null, positions) + 1);
        wireRow(row);
        var first = row.querySelector("input[type=text]");
        if (first) { first.focus(); }
      });
    }
    var all = table.querySelector("[data-select-all]");
    if (all) {
      var boxes = table.querySelectorAll("[data-variant-select]");
      all.hidden = boxes.length === 0;
      all.addEventListener("change", function () {
        boxes.forEach(function (box) { box.checked = all.checked; });
      });
    }
  }

  var bulkAction = document.querySelector("[data-bulk-action]");
  if (bulkAction) {
    var showBulkInputs = function () {
      document.querySelectorAll("[data-bulk-for]").forEach(function (group) {
        group.hidden = group.getAttribute("data-bulk-for") !== bulkAction.value;
      });
    };
    bulkAction.addEventListener("change", showBulkInputs);
    showBulkInputs();
  }

  // --- Images ---------------------------------------------------------------------------------
  var imageList = form.querySelector("[data-image-list]");
  if (imageList) {
    var status = form.querySelector("[data-image-status]");
    var items = function () { return Array.prototype.slice.call(imageList.querySelectorAll("[data-image]")); };
    var renumber = function () {
      var list = items();
      list.forEach(function (item, i) {
        item.querySelector("[data-image-position]").value = String(i + 1);
        var up = item.querySelector("[data-move='-1']");
        var down = item.querySelector("[data-move='1']");
        up.disabled = i === 0;
        down.disabled = i === list.length - 1;
        up.querySelector(".sr-only").textContent = say(S.moveUp, { num: i + 1 });
        down.querySelector(".sr-only").textContent = say(S.moveDown, { num: i + 1 });
      });
    };
    var announce = function (item) {
      var list = items();
      dirty = true;
      status.textContent = say(S.imageMoved, { num: list.indexOf(item) + 1, total: list.length });
    };
    items().forEach(function (item) {
      item.querySelector("[data-position-group]").hidden = true;
      item.querySelectorAll("[data-move]").forEach(function (button) {
        button.hidden = false;
        button.addEventListener("click", function () {
          var step = Number(button.getAttribute("data-move"));
          var sibling = step < 0 ? item.previousElementSibling : item.nextElementSibling;
          if (!sibling) { return; }
          imageList.insertBefore(item, step < 0 ? sibling : sibling.nextElementSibling);
          renumber();
          announce(item);
          (button.disabled ? item.querySelector("[data-move='" + -step + "']") : button).focus();
        });
      });
      var handle = item.querySelector("[data-drag-handle]");
      handle.hidden = false;
      // The listeners sit on the document: moving the item in the list (as the pointer goes)
      // takes it out of the tree for a moment, which ends a pointer capture on the handle.
      handle.addEventListener("pointerdown", function (event) {
        if (event.button !== 0) { return; }
        event.preventDefault();
        item.classList.add("editor-image-dragging");
        var move = function (moveEvent) {
          var over = items().find(function (other) {
            var box = other.getBoundingClientRect();
            return other !== item && moveEvent.clientY >= box.top && moveEvent.clientY <= box.bottom &&
              moveEvent.clientX >= box.left && moveEvent.clientX <= box.right;
          });
          if (!over) { return; }
          var list = items();
          imageList.insertBefore(item, list.indexOf(over) > list.indexOf(item) ? over.nextElementSibling : over);
        };
        var drop = function () {
          document.removeEventListener("pointermove", move);
          document.removeEventListener("pointerup", drop);
          document.removeEventListener("pointercancel", drop);
          item.classList.remove("editor-image-dragging");
          renumber();
          announce(item);
        };
        document.addEventListener("pointermove", move);
        document.addEventListener("pointerup", drop);
        document.addEventListener("pointercancel", drop);
      });
    });
    renumber();
  }

  // --- SEO: character counts and the search result preview ------------------------------------
  // Counted as the server stores the text: control characters dropped, spaces squeezed.
  function squeeze(text) {
    // eslint-disable-next-line no-control-regex
    return String(text || "").replace(/[\u0000-\u0008\u000e-\u001f\u007f]/g, "")
      .replace(/\s+/g, " ").trim();
  }
  function cut(text, limit) {
    return text.length <= limit ? text : text.slice(0, limit - 1) + "\u2026";
  }

  form.querySelectorAll("[data-seo-counter]").forEach(function (input) {
    var shown = Number(input.getAttribute("data-seo-counter"));
    var count = document.getElementById(input.id + "-count");
    var alertBox = document.getElementById(input.id + "-alert");
    var wasLong = null;
    var update = function () {
      var length = squeeze(input.value).length;
      var long = length > shown;
      count.textContent = say(S.seoCount, { num: length, max: shown }) + (long ? " " + S.seoTooLong : "");
      count.classList.toggle("seo-count-over", long);
      // Said once when the text crosses the line, not at every key.
      if (wasLong !== null && long !== wasLong) { alertBox.textContent = long ? S.seoTooLong : ""; }
      wasLong = long;
    };
    input.addEventListener("input", update);
    update();
  });

  form.querySelectorAll("[data-seo-preview]").forEach(function (preview) {
    var lang = preview.getAttribute("data-seo-preview");
    var byId = function (id) { return document.getElementById(id); };
    var metaTitle = byId("meta_title_" + lang);
    var metaDescription = byId("meta_description_" + lang);
    var name = byId("name_" + lang);
    var nameRu = byId("name_ru");
    var slug = byId("slug");
    var titleNode = preview.querySelector("[data-preview-title]");
    var urlNode = preview.querySelector("[data-preview-url]");
    var descriptionNode = preview.querySelector("[data-preview-description]");
    var base = preview.getAttribute("data-url-base");
    var shownTitle = Number(metaTitle && metaTitle.getAttribute("data-seo-counter")) || 60;
    var shownDescription = Number(metaDescription && metaDescription.getAttribute("data-seo-counter")) || 160;
    var update = function () {
      // The page's own fallbacks: the name in this language (else the Russian one), the
      // description's first words as saved.
      var fallbackTitle = squeeze(name && name.value) || squeeze(nameRu && nameRu.value) ||
        preview.getAttribute("data-fallback-title");
      var title = squeeze(metaTitle && metaTitle.value) || fallbackTitle;
      titleNode.textContent = title ? cut(title, shownTitle) : titleNode.getAttribute("data-empty");
      var description = squeeze(metaDescription && metaDescription.value) ||
        preview.getAttribute("data-fallback-description") || fallbackTitle;
      descriptionNode.textContent = cut(description, shownDescription);
      var typedSlug = squeeze(slug && slug.value);
      if (typedSlug) { urlNode.textContent = base + encodeURIComponent(typedSlug) + "?lang=" + lang; }
    };
    [metaTitle, metaDescription, name, nameRu, slug].forEach(function (input) {
      if (input) { input.addEventListener("input", update); }
    });
    update();
  });

  // --- Formatting editor for the descriptions -------------------------------------------------
  // What the editor keeps: the server's list (shop/catalog/sanitize.py) decides what is stored.
  var KEEP = { P: "p", BR: "br", STRONG: "strong", B: "strong", EM: "em", I: "em", U: "u", S: "s",
    UL: "ul", OL: "ol", LI: "li", H2: "h2", H3: "h3", H4: "h4", BLOCKQUOTE: "blockquote", A: "a",
    TABLE: "table", THEAD: "thead", TBODY: "tbody", TR: "tr", TH: "th", TD: "td" };
  var DROP = { SCRIPT: 1, STYLE: 1, TEMPLATE: 1, IFRAME: 1, OBJECT: 1, EMBED: 1, svg: 1, HEAD: 1 };
  var SAFE_LINK = /^(https?:|mailto:)/i;

  function copyClean(source, target) {
    Array.prototype.forEach.call(source.childNodes, function (node) {
      if (node.nodeType === 3) {
        target.appendChild(document.createTextNode(node.nodeValue));
      } else if (node.nodeType === 1 && !DROP[node.nodeName]) {
        var name = KEEP[node.nodeName.toUpperCase()];
        if (node.nodeName === "DIV") { name = "p"; }
        if (!name) { copyClean(node, target); return; }
        var copy = document.createElement(name);
        if (name === "a") {
          var href = (node.getAttribute("href") || "").trim();
          if (SAFE_LINK.test(href)) { copy.setAttribute("href", href); }
        }
        copyClean(node, copy);
        target.appendChild(copy);
      }
    });
    return target;
  }

  function cleanHtml(html) {
    // DOMParser's document is inert: nothing in it runs or loads.
    var parsed = new DOMParser().parseFromString("<body>" + (html || ""), "text/html");
    var box = document.createElement("div");
    copyClean(parsed.body, box);
    return box.innerHTML;
  }

  function escapeHtml(text) {
    var box = document.createElement("div");
    box.textContent = text;
    return box.innerHTML;
  }

  var BUTTONS = [
    { command: "bold", icon: "fa-bold", label: "bold", state: true },
    { command: "italic", icon: "fa-italic", label: "italic", state: true },
    { command: "heading", icon: "fa-header", label: "heading" },
    { command: "insertUnorderedList", icon: "fa-list-ul", label: "bulletList", state: true },
    { command: "insertOrderedList", icon: "fa-list-ol", label: "numberList", state: true },
    { command: "link", icon: "fa-link", label: "link" },
    { command: "unlink", icon: "fa-chain-broken", label: "unlink" }
  ];

  function richText(textarea) {
    var label = document.getElementById(textarea.id + "-label");
    var box = document.createElement("div");
    box.className = "rte";
    var toolbar = document.createElement("div");
    toolbar.className = "rte-toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", say(S.toolbar, { field: label ? label.textContent.trim() : "" }));
    var area = document.createElement("div");
    area.id = textarea.id + "-editor";
    area.className = "form-control rte-area";
    area.contentEditable = "true";
    area.setAttribute("role", "textbox");
    area.setAttribute("aria-multiline", "true");
    if (label) { area.setAttribute("aria-labelledby", label.id); }
    if (textarea.getAttribute("aria-describedby")) {
      area.setAttribute("aria-describedby", textarea.getAttribute("aria-describedby"));
    }
    toolbar.setAttribute("aria-controls", area.id);
    area.innerHTML = cleanHtml(textarea.value);

    var linkRow = document.createElement("div");
    linkRow.className = "rte-link form-inline";
    linkRow.hidden = true;
    var linkId = textarea.id + "-link";
    linkRow.innerHTML =
      '<label class="mr-2" for="' + linkId + '"></label>' +
      '<input type="url" class="form-control form-control-sm mr-2" id="' + linkId + '" placeholder="https://">' +
      '<button type="button" class="btn btn-sm btn-primary mr-1" data-link-apply></button>' +
      '<button type="button" class="btn btn-sm btn-outline-secondary" data-link-cancel></button>' +
      '<p class="rte-link-error text-danger small w-100 mb-0" role="alert"></p>';
    linkRow.querySelector("label").textContent = S.linkAddress || "";
    linkRow.querySelector("[data-link-apply]").textContent = S.apply || "";
    linkRow.querySelector("[data-link-cancel]").textContent = S.cancel || "";
    var linkInput = linkRow.querySelector("input");
    var linkError = linkRow.querySelector(".rte-link-error");

    var buttons = BUTTONS.map(function (spec, i) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-light rte-button";
      button.tabIndex = i === 0 ? 0 : -1;
      button.setAttribute("aria-label", S[spec.label] || spec.label);
      button.title = S[spec.label] || spec.label;
      if (spec.state || spec.command === "heading") { button.setAttribute("aria-pressed", "false"); }
      button.innerHTML = '<span class="fa ' + spec.icon + '" aria-hidden="true"></span>';
      button.addEventListener("mousedown", function (event) { event.preventDefault(); });
      button.addEventListener("click", function () { run(spec.command); });
      toolbar.appendChild(button);
      return button;
    });
    toolbar.addEventListener("keydown", function (event) {
      var index = buttons.indexOf(document.activeElement);
      if (index < 0) { return; }
      var next = null;
      if (event.key === "ArrowRight") { next = (index + 1) % buttons.length; }
      else if (event.key === "ArrowLeft") { next = (index - 1 + buttons.length) % buttons.length; }
      else if (event.key === "Home") { next = 0; }
      else if (event.key === "End") { next = buttons.length - 1; }
      if (next === null) { return; }
      event.preventDefault();
      buttons[index].tabIndex = -1;
      buttons[next].tabIndex = 0;
      buttons[next].focus();
    });

    var sync = function () {
      var text = area.textContent.trim();
      textarea.value = text || area.querySelector("li, a") ? cleanHtml(area.innerHTML) : "";
    };
    var refresh = function () {
      var inside = document.activeElement === area || area.contains(window.getSelection().anchorNode);
      BUTTONS.forEach(function (spec, i) {
        if (!buttons[i].hasAttribute("aria-pressed")) { return; }
        var on = false;
        if (inside && spec.command === "heading") {
          on = /^h3$/i.test(document.queryCommandValue("formatBlock") || "");
        } else if (inside) {
          on = document.queryCommandState(spec.command);
        }
        buttons[i].setAttribute("aria-pressed", on ? "true" : "false");
      });
    };
    var savedRange = null;
    var run = function (command) {
      area.focus();
      if (command === "heading") {
        var current = (document.queryCommandValue("formatBlock") || "").toLowerCase();
        document.execCommand("formatBlock", false, current === "h3" ? "p" : "h3");
      } else if (command === "link") {
        var selection = window.getSelection();
        savedRange = selection.rangeCount ? selection.getRangeAt(0).cloneRange() : null;
        var anchor = selection.anchorNode && (selection.anchorNode.nodeType === 1
          ? selection.anchorNode : selection.anchorNode.parentNode).closest("a");
        linkInput.value = anchor && area.contains(anchor) ? anchor.getAttribute("href") : "";
        linkError.textContent = "";
        linkRow.hidden = false;
        linkInput.focus();
        return;
      } else {
        document.execCommand(command, false, null);
      }
      sync();
      refresh();
    };
    var closeLink = function () {
      linkRow.hidden = true;
      area.focus();
      if (savedRange) {
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(savedRange);
      }
    };
    var applyLink = function () {
      var url = linkInput.value.trim();
      if (!SAFE_LINK.test(url)) {
        linkError.textContent = S.badLink || "";
        linkInput.focus();
        return;
      }
      closeLink();
      if (savedRange && !savedRange.collapsed) {
        document.execCommand("createLink", false, url);
      } else {
        document.execCommand("insertHTML", false,
          '<a href="' + escapeHtml(url).replace(/"/g, "&quot;") + '">' + escapeHtml(url) + "</a>");
      }
      sync();
    };
    linkRow.querySelector("[data-link-apply]").addEventListener("click", applyLink);
    linkRow.querySelector("[data-link-cancel]").addEventListener("click", closeLink);
    linkInput.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); applyLink(); }
      if (event.key === "Escape") { event.preventDefault(); closeLink(); }
    });

    area.addEventListener("input", sync);
    area.addEventListener("keyup", refresh);
    area.addEventListener("mouseup", refresh);
    area.addEventListener("focus", refresh);
    area.addEventListener("paste", function (event) {
      var data = event.clipboardData;
      if (!data) { return; }
      event.preventDefault();
      var html = data.getData("text/html");
      if (html) {
        document.execCommand("insertHTML", false, cleanHtml(html));
      } else {
        document.execCommand("insertText", false, data.getData("text/plain"));
      }
      sync();
    });
    if (label) {
      label.addEventListener("click", function (event) { event.preventDefault(); area.focus(); });
    }
    if (textarea.classList.contains("is-invalid")) { area.classList.add("is-invalid"); }

    box.appendChild(toolbar);
    box.appendChild(linkRow);
    box.appendChild(area);
    textarea.parentNode.insertBefore(box, textarea);
    textarea.hidden = true;
    form.addEventListener("submit", sync);
  }

  var textareas = form.querySelectorAll("textarea[data-rich-text]");
  if (textareas.length && document.queryCommandSupported && document.queryCommandSupported("bold")) {
    document.execCommand("defaultParagraphSeparator", false, "p");
    textareas.forEach(richText);
  }
})();
