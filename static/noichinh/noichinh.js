// Noichinh: small progressive enhancements; every page works without them.
(function () {
  "use strict";
  function onReady(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function enhance(root) {
    // Selects marked data-autosubmit submit their form (scope picker, language).
    root.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
      if (el.dataset.bound) { return; }
      el.dataset.bound = "1";
      el.addEventListener("change", function () { el.form.submit(); });
    });
    // Dates are typed d/m/yyyy (25/5/2021); a native calendar beside the field fills it.
    root.querySelectorAll("input[data-datepicker]").forEach(function (el) {
      if (el.dataset.bound) { return; }
      el.dataset.bound = "1";
      var wrap = document.createElement("div");
      wrap.className = "datepicker-wrap";
      el.parentNode.insertBefore(wrap, el);
      wrap.appendChild(el);
      var picker = document.createElement("input");
      picker.type = "date";
      picker.className = "form-control";
      picker.tabIndex = -1;
      picker.setAttribute("aria-hidden", "true");
      picker.title = "Lịch";
      wrap.appendChild(picker);
      picker.addEventListener("change", function () {
        var p = picker.value.split("-");
        if (p.length === 3) { el.value = String(+p[2]) + "/" + (+p[1]) + "/" + p[0]; el.dispatchEvent(new Event("change", { bubbles: true })); }
      });
      el.addEventListener("change", function () {
        var m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(el.value.trim());
        if (m) { picker.value = m[3] + "-" + pad(+m[2]) + "-" + pad(+m[1]); }
      });
      el.dispatchEvent(new Event("change"));
    });
    // A list that fits shows its frame unclipped (its header sticks to the window); one still
    // wider than its frame scrolls inside it (noichinh.css, "Tables").
    root.querySelectorAll(".table-responsive").forEach(function (el) {
      el.classList.toggle("is-wide", el.scrollWidth > el.clientWidth + 1);
    });
    // A form with errors moves focus to its summary so screen readers announce it.
    var summary = root.querySelector("#form-errors");
    if (summary) { summary.focus(); }
  }
  onReady(function () { enhance(document); });
  document.addEventListener("htmx:afterSwap", function (e) { enhance(e.target); });
})();
