// Remote commands on the van page and in the driver app: sends the form through the API and shows
// the command's progress (queued → sent → succeeded / failed / expired) until it finishes.
(function () {
  "use strict";
  var FINISHED = ["succeeded", "failed", "expired"];

  function show(panel, text) {
    panel.querySelector("[data-command-status]").textContent = text;
  }

  function poll(panel, url, label) {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (c) {
        show(panel, label + ": " + c.status + (c.failure_reason ? " – " + c.failure_reason : ""));
        if (FINISHED.indexOf(c.status) === -1) {
          setTimeout(function () { poll(panel, url, label); }, 1500);
        }
      });
  }

  function send(panel, form, event) {
    event.preventDefault();
    var data = new FormData(form);
    var body = { kind: data.get("kind") };
    if (data.get("departure_at")) body.departure_at = new Date(data.get("departure_at")).toISOString();
    if (data.get("target_temp_c")) body.target_temp_c = parseFloat(data.get("target_temp_c"));
    var label = form.querySelector("button").textContent.trim();
    var base = panel.getAttribute("data-status-url");
    fetch(base, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json",
                 "X-CSRFToken": data.get("csrfmiddlewaretoken") },
      body: JSON.stringify(body),
    })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); })
      .then(function (res) {
        if (!res.ok) {
          var reasons = res.body.reasons ? Object.values(res.body.reasons).join(" ") : "";
          show(panel, (res.body.detail || "") + " " + reasons);
          return;
        }
        show(panel, label + ": " + res.body.status);
        poll(panel, base.replace(/\/?$/, "/") + res.body.id, label);
      });
  }

  document.querySelectorAll("[data-van-actions]").forEach(function (panel) {
    panel.querySelectorAll("[data-command-form]").forEach(function (form) {
      form.addEventListener("submit", function (event) { send(panel, form, event); });
    });
  });
})();
