/* Retail (dealer site): small helpers, no framework.
   - inputs marked data-upper (PRO ID, VIN) are shown in upper case as the staff member types;
   - [data-countdown] shows the minutes left in a support session and reloads the page when it ends. */
(function () {
  "use strict";

  function upper(input) {
    var start = input.selectionStart, end = input.selectionEnd;
    if (input.value === input.value.toUpperCase()) { return; }
    input.value = input.value.toUpperCase();
    if (start !== null && document.activeElement === input) { input.setSelectionRange(start, end); }
  }

  document.querySelectorAll("input[data-upper]").forEach(function (input) {
    upper(input); // what was typed before this script ran (a slow connection)
    input.addEventListener("input", function () { upper(input); });
  });

  document.querySelectorAll("[data-countdown]").forEach(function (element) {
    var ends = Date.parse(element.getAttribute("data-countdown"));
    if (isNaN(ends)) { return; }
    function tick() {
      var minutes = Math.ceil((ends - Date.now()) / 60000);
      if (minutes <= 0) { window.location.reload(); return; }
      var label = minutes === 1 && element.dataset.labelOne ? element.dataset.labelOne : element.dataset.label;
      element.textContent = (label || "{minutes}").replace("{minutes}", minutes);
    }
    tick();
    window.setInterval(tick, 30000);
  });
})();
