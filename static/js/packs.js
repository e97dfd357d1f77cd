/* packs: select-all on the purchase page, and live subscription statuses (no reload). */
(function () {
  "use strict";

  // Purchase page: "select all on this page" and the count of ticked vehicles.
  var form = document.getElementById("buy-form");
  if (form) {
    var all = form.querySelector("[data-role=select-all]");
    var counter = form.querySelector("[data-role=selected-count]");
    var boxes = function () { return form.querySelectorAll("input[type=checkbox][name=vin]"); };
    var update = function () {
      var n = 0;
      boxes().forEach(function (box) { if (box.checked) { n += 1; } });
      if (counter) { counter.textContent = counter.dataset.template.replace("%(count)s", n); }
    };
    if (all) {
      all.addEventListener("change", function () {
        boxes().forEach(function (box) { box.checked = all.checked; });
        update();
      });
    }
    form.addEventListener("change", update);
    update();
  }

  // Subscription tables: poll the status endpoint while something is still moving.
  var table = document.querySelector("[data-status-url]");
  if (!table) { return; }
  var url = table.dataset.statusUrl;
  var MOVING = ["awaiting_verification", "activation_pending"];
  var delay = 1500;

  function render(row, info) {
    row.dataset.status = info.status;
    var badge = row.querySelector("[data-role=status]");
    if (badge) {
      badge.textContent = info.label;
      badge.className = "badge " + (info.badge || "");
    }
    var detail = row.querySelector("[data-role=detail]");
    if (detail) {
      detail.textContent = "";
      if (info.reason) {
        var reason = document.createElement("span");
        reason.className = "reason";
        reason.textContent = info.reason;
        detail.appendChild(reason);
      }
      if (info.blockers && info.blockers.length) {
        var list = document.createElement("ul");
        list.className = "blockers";
        info.blockers.forEach(function (text) {
          var item = document.createElement("li");
          item.textContent = text;
          list.appendChild(item);
        });
        detail.appendChild(list);
      }
    }
    var retry = row.querySelector("[data-role=retry]");
    if (retry) { retry.hidden = info.status !== "activation_failed"; }
  }

  function poll() {
    var ids = [];
    table.querySelectorAll("[data-subscription-id]").forEach(function (row) {
      if (MOVING.indexOf(row.dataset.status) !== -1) { ids.push(row.dataset.subscriptionId); }
    });
    if (!ids.length) { return; }
    fetch(url + "?ids=" + ids.join(","), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data) {
          Object.keys(data.subscriptions).forEach(function (id) {
            var row = table.querySelector("[data-subscription-id='" + id + "']");
            if (row) { render(row, data.subscriptions[id]); }
          });
        }
        delay = Math.min(delay * 1.3, 10000);
        window.setTimeout(poll, delay);
      })
      .catch(function () { window.setTimeout(poll, 10000); });
  }
  window.setTimeout(poll, delay);
})();
