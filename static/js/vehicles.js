/* vehicles: the live VIN check on the add form and the import progress bar. Vanilla JS. */
(function () {
  "use strict";

  function text(el, value) { el.textContent = value; return el; }

  // --- live VIN check ---------------------------------------------------------------------------
  var input = document.querySelector("input[data-check-url]");
  var live = document.getElementById("vin-live");
  if (input && live) {
    var timer = null;
    var lastAsked = null;
    var controller = null;

    var render = function (body) {
      live.textContent = "";
      live.className = "vin-live vin-" + body.state;
      if (body.state === "empty") { return; }
      if (body.message) { live.appendChild(text(document.createElement("p"), body.message)); }
      if (body.url) {
        var link = text(document.createElement("a"), live.dataset.labelOpen);
        link.href = body.url;
        live.appendChild(link);
      }
      if (body.decoded) {
        if (body.state === "ok") { live.appendChild(text(document.createElement("p"), live.dataset.labelOk)); }
        var facts = document.createElement("dl");
        facts.className = "facts";
        [["labelMake", body.decoded.make], ["labelModel", body.decoded.model],
         ["labelYear", body.decoded.model_year || live.dataset.labelUnknown],
         ["labelFuel", body.decoded.fuel]].forEach(function (pair) {
          facts.appendChild(text(document.createElement("dt"), live.dataset[pair[0]]));
          facts.appendChild(text(document.createElement("dd"), String(pair[1])));
        });
        live.appendChild(facts);
        (body.decoded.warnings || []).forEach(function (warning) {
          live.appendChild(text(document.createElement("p"), warning)).className = "warn";
        });
      }
    };

    var ask = function () {
      var value = input.value;
      if (value === lastAsked) { return; }
      lastAsked = value;
      if (controller) { controller.abort(); }
      controller = window.AbortController ? new AbortController() : null;
      var url = input.dataset.checkUrl + "?vin=" + encodeURIComponent(value);
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" },
                   signal: controller ? controller.signal : undefined })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (body) { if (body && value === input.value) { render(body); } })
        .catch(function () { /* aborted or offline: the server checks again on submit */ });
    };

    // Show the normalised form as the user types: upper case, no spaces.
    var clean = function () {
      var start = input.selectionStart;
      var cleaned = input.value.replace(/\s+/g, "").toUpperCase();
      if (cleaned !== input.value) {
        var removed = input.value.slice(0, start).length - input.value.slice(0, start).replace(/\s+/g, "").length;
        input.value = cleaned;
        if (start !== null && document.activeElement === input) {
          input.setSelectionRange(start - removed, start - removed);
        }
      }
    };
    input.addEventListener("input", function () {
      clean();
      clearTimeout(timer);
      timer = setTimeout(ask, 250);
    });
    if (input.value) { clean(); ask(); } // typed before this script ran, or sent back with the form
  }

  // --- import progress --------------------------------------------------------------------------
  var box = document.getElementById("import-progress");
  if (box && box.dataset.finished !== "1") {
    var bar = box.querySelector(".progress > div");
    var barWrap = box.querySelector(".progress");
    var label = document.getElementById("import-progress-text");
    var poll = function () {
      fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (body) {
          if (!body) { setTimeout(poll, 3000); return; }
          bar.style.width = body.percent + "%";
          barWrap.setAttribute("aria-valuenow", body.percent);
          if (body.finished) { window.location.reload(); return; }
          var saving = body.status === "running" && body.processed >= body.total;
          label.textContent = body.status_label + " · " + (saving ? box.dataset.labelSaving
            : box.dataset.labelChecking + ": " + body.processed + " / " + body.total);
          setTimeout(poll, 1000);
        })
        .catch(function () { setTimeout(poll, 3000); });
    };
    setTimeout(poll, 500);
  }
})();
