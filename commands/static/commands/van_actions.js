// Remote commands on the van page and in the driver app: sends the form through the API and shows
// the command's progress (queued → sent → succeeded / failed / expired) until it finishes, with the
// texts the page carries translated (the API answers with codes). Without JavaScript the forms post
// to the portal and the page reloads with the outcome.
(function () {
  "use strict";
  var FINISHED = ["succeeded", "failed", "expired"];
  var POLL_MS = 1000;
  // The API speaks Accept-Language; the page speaks the person's language: ask for the page's.
  var LANGUAGE = document.documentElement.lang || "en";

  function text(panel, attribute, code) {
    var item = panel.querySelector("[data-command-texts] [data-" + attribute + '="' + code + '"]');
    return item ? item.textContent.trim() : code;
  }

  function show(panel, message, bad) {
    var status = panel.querySelector("[data-command-status]");
    status.textContent = message;
    status.classList.toggle("van-actions__status--bad", Boolean(bad));
  }

  function showWarnings(panel, codes) {
    var list = panel.querySelector("[data-command-warnings]");
    list.textContent = "";
    (codes || []).forEach(function (code) {
      var item = document.createElement("li");
      item.textContent = text(panel, "warning", code);
      list.appendChild(item);
    });
  }

  function describe(panel, command) {
    var line = text(panel, "kind", command.kind) + ": " + text(panel, "status", command.status);
    return command.failure_reason ? line + " – " + command.failure_reason : line;
  }

  function busy(panel, on) {
    panel.querySelectorAll("[data-command-form] button").forEach(function (button) {
      button.disabled = on;
    });
  }

  function poll(panel, url) {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json", "Accept-Language": LANGUAGE } })
      .then(function (r) { return r.json(); })
      .then(function (command) {
        var done = FINISHED.indexOf(command.status) !== -1;
        show(panel, describe(panel, command), command.status === "failed" || command.status === "expired");
        if (done) {
          busy(panel, false);
        } else {
          setTimeout(function () { poll(panel, url); }, POLL_MS);
        }
      })
      .catch(function () { setTimeout(function () { poll(panel, url); }, POLL_MS * 3); });
  }

  function body(form) {
    var data = new FormData(form);
    var out = { kind: data.get("kind") };
    var days = data.getAll("departure_days");
    if (days.length) {
      out.departure_days = days;
      out.departure_time = data.get("departure_time") || null;
    } else if (data.get("departure_at")) {
      out.departure_at = new Date(data.get("departure_at")).toISOString();
    }
    if (data.get("target_temp_c")) out.target_temp_c = parseFloat(data.get("target_temp_c"));
    return out;
  }

  function refusal(res) {
    var parts = [res.body.detail || ""];
    if (res.body.reasons) {
      parts = parts.concat(Object.keys(res.body.reasons).map(function (k) { return res.body.reasons[k]; }));
    }
    Object.keys(res.body).forEach(function (field) {  // 400: field errors
      if (Array.isArray(res.body[field]) && field !== "unmet") parts = parts.concat(res.body[field]);
    });
    return parts.filter(Boolean).join(" ");
  }

  function send(panel, form, event) {
    event.preventDefault();
    var token = new FormData(form).get("csrfmiddlewaretoken");
    var base = panel.getAttribute("data-status-url");
    busy(panel, true);
    showWarnings(panel, []);
    fetch(base, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json",
                 "Accept-Language": LANGUAGE, "X-CSRFToken": token },
      body: JSON.stringify(body(form)),
    })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); })
      .then(function (res) {
        if (!res.ok) {
          show(panel, refusal(res), true);
          busy(panel, false);
          return;
        }
        show(panel, describe(panel, res.body));
        showWarnings(panel, res.body.warnings);
        poll(panel, base.replace(/\/?$/, "/") + res.body.id);
      })
      .catch(function () {
        show(panel, text(panel, "text", "failed-to-reach"), true);
        busy(panel, false);
      });
  }

  document.querySelectorAll("[data-van-actions]").forEach(function (panel) {
    panel.querySelectorAll("[data-command-form]").forEach(function (form) {
      form.addEventListener("submit", function (event) { send(panel, form, event); });
    });
  });
})();
