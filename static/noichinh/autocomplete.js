// Noichinh autocomplete: turns each <div class="ac"> (core.forms.AutocompleteSelect) into an
// ARIA 1.2 combobox that searches /goi-y/<model>/ (core.autocomplete). Without this script the
// field is a plain text input (an id, or words that match one record).
(function () {
  "use strict";
  var DELAY = 200;
  var counter = 0;

  function onReady(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text) { node.textContent = text; }
    return node;
  }

  function fire(node) {
    node.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function setup(box) {
    if (box.dataset.acBound) { return; }
    box.dataset.acBound = "1";
    counter += 1;
    var raw = box.querySelector("input.ac-raw");
    var current = box.querySelector(".ac-current");
    if (!raw) { return; }
    var multiple = box.dataset.acMultiple === "1";
    var url = box.dataset.acUrl;
    var name = raw.name;
    var baseId = raw.id || "ac" + counter;
    var listId = baseId + "_listbox";

    // The visible combobox takes the raw input's id, so the field's <label for> names it.
    var combo = el("input", raw.className.replace("ac-raw", "ac-input"));
    combo.type = "text";
    combo.id = baseId;
    combo.setAttribute("role", "combobox");
    combo.dataset.acName = name;  // the field it fills (it has no name: nothing of it is sent)
    combo.setAttribute("aria-autocomplete", "list");
    combo.setAttribute("aria-expanded", "false");
    combo.setAttribute("aria-controls", listId);
    combo.autocomplete = "off";
    combo.spellcheck = false;
    combo.placeholder = raw.placeholder || "";
    if (raw.required) { combo.required = !multiple; }
    if (raw.getAttribute("aria-invalid")) { combo.setAttribute("aria-invalid", raw.getAttribute("aria-invalid")); }
    var described = (raw.getAttribute("aria-describedby") || "").split(" ").filter(function (part) {
      return part && part !== (current && current.id);
    });
    var status = el("span", "visually-hidden");
    status.id = baseId + "_status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    described.push(status.id);
    combo.setAttribute("aria-describedby", described.join(" "));

    var list = el("ul", "ac-list");
    list.id = listId;
    list.setAttribute("role", "listbox");
    list.hidden = true;
    // Named apart from the field, so that the field's label names the combobox alone.
    list.setAttribute("aria-label", box.dataset.acSuggestions || "Gợi ý");

    var chips = el("ul", "ac-chips");
    var hidden = null;
    var selectedText = "";
    var initial = current ? Array.prototype.slice.call(current.querySelectorAll(".ac-item")) : [];

    function addChip(id, text) {
      if (chips.querySelector('input[value="' + id + '"]')) { return; }
      var item = el("li", "ac-chip");
      item.appendChild(el("span", "", text));
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = id;
      item.appendChild(input);
      var remove = el("button", "ac-remove", "×");
      remove.type = "button";
      remove.setAttribute("aria-label", (box.dataset.acRemove || "Bỏ") + " " + text);
      remove.addEventListener("click", function () {
        item.remove();
        fire(combo.form || box);
        combo.focus();
      });
      item.appendChild(remove);
      chips.appendChild(item);
    }

    if (multiple) {
      initial.forEach(function (item) { addChip(item.dataset.acId, item.textContent); });
      raw.remove();
      box.insertBefore(chips, box.firstChild);
    } else {
      hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = name;
      hidden.id = baseId + "_value";
      hidden.value = initial.length ? initial[0].dataset.acId : "";
      selectedText = initial.length ? initial[0].textContent : "";
      combo.value = selectedText;
      raw.replaceWith(hidden);
    }
    if (current) { current.hidden = true; }
    box.appendChild(combo);
    box.appendChild(list);
    box.appendChild(status);

    var results = [];
    var active = -1;
    var timer = null;
    var request = 0;

    function close() {
      list.hidden = true;
      list.textContent = "";
      combo.setAttribute("aria-expanded", "false");
      combo.removeAttribute("aria-activedescendant");
      active = -1;
      results = [];
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) { return; }
      active = (index + options.length) % options.length;
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
        option.classList.toggle("active", i === active);
      });
      combo.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function choose(index) {
      var row = results[index];
      if (!row) { return; }
      if (multiple) {
        addChip(String(row.id), row.text);
        combo.value = "";
        fire(combo.form || box);
      } else {
        hidden.value = String(row.id);
        selectedText = row.text;
        combo.value = row.text;
        fire(hidden);
        if (box.dataset.acSubmit === "1" && hidden.form) {
          // The top bar's scope: picking a unit is the whole action.
          if (hidden.form.requestSubmit) { hidden.form.requestSubmit(); } else { hidden.form.submit(); }
        }
      }
      close();
    }

    function show(rows, more) {
      results = rows;
      list.textContent = "";
      rows.forEach(function (row, i) {
        var option = el("li", "ac-option", row.text);
        option.id = baseId + "_opt" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(i);
        });
        list.appendChild(option);
      });
      if (!rows.length) {
        list.appendChild(el("li", "ac-empty", box.dataset.acNone || "Không tìm thấy"));
      } else if (more) {
        list.appendChild(el("li", "ac-more", box.dataset.acMore || "Gõ thêm để thu hẹp kết quả"));
      }
      list.hidden = false;
      combo.setAttribute("aria-expanded", "true");
      status.textContent = rows.length ? rows.length + (more ? "+" : "") + " " + (box.dataset.acResults || "kết quả") : (box.dataset.acNone || "Không tìm thấy");
      active = -1;
    }

    function lookup() {
      request += 1;
      var mine = request;
      var separator = url.indexOf("?") >= 0 ? "&" : "?";
      fetch(url + separator + "q=" + encodeURIComponent(combo.value.trim()), {
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      }).then(function (response) {
        return response.ok ? response.json() : { results: [] };
      }).then(function (data) {
        if (mine === request && document.activeElement === combo) { show(data.results || [], data.more); }
      }).catch(function () { /* the field keeps what the user typed */ });
    }

    combo.addEventListener("input", function () {
      if (!multiple && !combo.value.trim() && hidden.value) {
        hidden.value = "";
        selectedText = "";
        fire(hidden);
      }
      clearTimeout(timer);
      timer = setTimeout(lookup, DELAY);
    });
    // The combobox has no name: its own change must not submit a filter form.
    combo.addEventListener("change", function (event) { event.stopPropagation(); });
    combo.addEventListener("keydown", function (event) {
      var open = !list.hidden && results.length;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!open) { lookup(); return; }
        highlight(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter") {
        if (open && active >= 0) { event.preventDefault(); choose(active); }
        else if (!list.hidden || box.dataset.acSubmit === "1") { event.preventDefault(); }
      } else if (event.key === "Escape") {
        if (!list.hidden) { event.preventDefault(); close(); }
        else if (!multiple) { combo.value = selectedText; }
      } else if (event.key === "Backspace" && multiple && !combo.value) {
        var last = chips.lastElementChild;
        if (last) { last.remove(); fire(combo.form || box); }
      }
    });
    combo.addEventListener("blur", function () {
      close();
      if (!multiple && combo.value !== selectedText) { combo.value = selectedText; }
      if (multiple) { combo.value = ""; }
    });
  }

  // A <select data-ac-url> (the top bar's scope picker) lists only a few top choices, its
  // fallback without JavaScript: it becomes a combobox over every choice, keeping its name, id
  // (its <label for>) and selected option, and submits its form when a choice is picked.
  function upgradeSelect(select) {
    var box = el("div", "ac");
    ["acUrl", "acNone", "acMore", "acResults", "acSuggestions", "acRemove"].forEach(function (key) {
      if (select.dataset[key]) { box.dataset[key] = select.dataset[key]; }
    });
    box.dataset.acMultiple = "0";
    if (select.hasAttribute("data-autosubmit")) { box.dataset.acSubmit = "1"; }
    var raw = el("input", "ac-raw " + (select.dataset.acClass || "form-control"));
    raw.type = "text";
    raw.id = select.id;
    raw.name = select.name;
    raw.placeholder = select.dataset.acPlaceholder || "";
    if (select.title) { raw.title = select.title; }
    var current = el("span", "ac-current");
    current.id = (select.id || "ac" + counter) + "_current";
    var picked = select.options[select.selectedIndex];
    if (picked && picked.value) {
      var item = el("span", "ac-item", picked.dataset.acLabel || picked.textContent.replace(/^[·\s]+/, ""));
      item.dataset.acId = picked.value;
      current.appendChild(item);
    }
    box.appendChild(raw);
    box.appendChild(current);
    select.replaceWith(box);
    setup(box);
  }

  function enhance(root) {
    root.querySelectorAll("select[data-ac-url]").forEach(upgradeSelect);
    root.querySelectorAll("div.ac").forEach(setup);
  }
  onReady(function () { enhance(document); });
  document.addEventListener("htmx:afterSwap", function (e) { enhance(e.target); });
})();
