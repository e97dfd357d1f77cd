/* mpro: behaviour shared by every page (portal, Retail site, help centre). No framework, and no
   inline handlers in templates (the Content-Security-Policy forbids them), so pages mark elements
   with data- attributes and this file wires them up:
   - the phone menu button opens and closes the top bar's menu;
   - select[data-autosubmit] (the language switch) submits its form on change;
   - form[data-confirm] asks before submitting (removing a user and the like);
   - table.data cells get the text of their column header as data-label, which the phone layout
     shows in front of each value when a table turns into stacked cards. */
(function () {
  "use strict";

  var toggle = document.querySelector(".menu-toggle");
  var topbar = document.querySelector(".topbar");
  if (toggle && topbar) {
    topbar.classList.add("has-menu");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      topbar.classList.toggle("menu-open", open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && topbar.classList.contains("menu-open")) {
        toggle.setAttribute("aria-expanded", "false");
        topbar.classList.remove("menu-open");
        toggle.focus();
      }
    });
  }

  // Bars drawn to a server-computed share (no inline style attributes: the CSP forbids them).
  document.querySelectorAll("[data-percent]").forEach(function (bar) {
    bar.style.width = Math.max(0, Math.min(100, parseFloat(bar.dataset.percent) || 0)) + "%";
  });

  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });

  document.querySelectorAll("table.data").forEach(function (table) {
    var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    if (!headers.length) { return; }
    table.classList.add("stackable");
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, index) {
        if (headers[index] && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", headers[index]); }
      });
    });
  });
})();
