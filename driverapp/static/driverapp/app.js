// The driver app: registers the service worker (offline page, cached shell), shows the decline
// form on demand and tells the driver when the connection drops or returns.
(function () {
  "use strict";
  var body = document.body;
  if ("serviceWorker" in navigator && body.dataset.serviceWorker) {
    navigator.serviceWorker.register(body.dataset.serviceWorker, { scope: body.dataset.scope })
      .catch(function () { /* the app works without it, only not offline */ });
  }
  document.querySelectorAll("[data-reveal]").forEach(function (button) {
    var target = document.getElementById(button.getAttribute("data-reveal"));
    if (!target) return;
    target.hidden = true;
    button.hidden = false;
    button.addEventListener("click", function () {
      target.hidden = false;
      button.hidden = true;
      var field = target.querySelector("textarea, input");
      if (field) field.focus();
    });
  });
  var banner = document.querySelector("[data-offline-banner]");
  function connection() { if (banner) banner.hidden = navigator.onLine; }
  window.addEventListener("online", connection);
  window.addEventListener("offline", connection);
  connection();
})();

// Forms that ask first (releasing the van): the same data-confirm as the portal's pages.
document.querySelectorAll("form[data-confirm]").forEach(function (form) {
  form.addEventListener("submit", function (event) {
    if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
  });
});
