// Help centre and showcase: small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // "Copy link" next to an answer's shareable address.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var input = document.querySelector(button.getAttribute("data-copy"));
    if (!input || !navigator.clipboard) return;
    button.hidden = false;
    var label = button.textContent;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () {
        button.textContent = button.getAttribute("data-copied");
        window.setTimeout(function () { button.textContent = label; }, 2000);
      });
    });
  });

  // The showcase's country selector shows the prices as soon as a country is picked.
  document.querySelectorAll("[data-autosubmit-button]").forEach(function (button) {
    var form = button.form;
    var select = form && form.querySelector("select");
    if (!select) return;
    button.hidden = true;
    select.addEventListener("change", function () { form.submit(); });
  });

  // "/" jumps to the help search box, as on many help sites (not while typing elsewhere).
  var search = document.querySelector(".help-search input[type=search]");
  if (search) {
    document.addEventListener("keydown", function (event) {
      var tag = (event.target.tagName || "").toLowerCase();
      if (event.key === "/" && tag !== "input" && tag !== "textarea" && tag !== "select") {
        event.preventDefault();
        search.focus();
      }
    });
  }
})();
