/* The fleet map: loads the markers of its view from the JSON feed (data-markers-url?bbox=...),
   again when the view moves, shows them clustered and coloured by state, and a list beside them
   (the same vans) whose filters narrow the map. */
(function () {
  "use strict";
  var root = document.getElementById("fleetmap");
  if (!root || !window.L || !window.mproMap) {
    return;
  }
  var mapElement = root.querySelector(".map");
  var listElement = root.querySelector("[data-van-list]");
  var countElement = root.querySelector("[data-shown-count]");
  var moreElement = root.querySelector("[data-more]");
  var form = root.querySelector("form.fleetmap-filters");
  var panel = root.querySelector("details.fleetmap-panel");
  var labels = {};
  root.querySelectorAll("[data-state-label]").forEach(function (item) {
    labels[item.dataset.stateLabel] = item.textContent.trim();
  });
  var vanUrl = root.dataset.vanUrl;  // ends in "/VIN/"
  var listLimit = 200;

  var map = window.mproMap.create(mapElement);
  var cluster = window.mproMap.clusterGroup().addTo(map);
  var vans = [];
  var onMap = new Set();  // the markers in the cluster now

  try {
    JSON.parse(root.dataset.geofences || "[]").forEach(function (g) {
      L.circle([g.lat, g.lon], { radius: g.radius_m, className: "geofence-circle", weight: 2 })
        .bindTooltip(g.name)
        .addTo(map);
    });
  } catch (e) { /* no geofences shown */ }

  // The list collapses on a phone: the map first, the list one tap away.
  if (panel && window.matchMedia("(max-width: 760px)").matches) {
    panel.open = false;
  }

  function matches(van, filters) {
    if (filters.low && !van.low) return false;
    if (filters.service_due && !van.service_due) return false;
    if (filters.stale && van.state !== "stale") return false;
    if (filters.alert && van.state !== "alert") return false;
    if (filters.q) {
      var hay = (van.vin + " " + (van.plate || "") + " " + (van.name || "")).toLowerCase();
      if (hay.indexOf(filters.q) === -1) return false;
    }
    return true;
  }

  function currentFilters() {
    var data = new FormData(form);
    return {
      q: String(data.get("q") || "").trim().toLowerCase().replace(/\s+/g, " "),
      low: data.get("low") === "1",
      service_due: data.get("service_due") === "1",
      stale: data.get("stale") === "1",
      alert: data.get("alert") === "1",
    };
  }

  function listItem(van) {
    var li = document.createElement("li");
    li.className = "van-row";
    li.dataset.vin = van.vin;
    var dot = document.createElement("span");
    dot.className = "state-dot state-" + van.state;
    dot.setAttribute("aria-hidden", "true");
    var link = document.createElement("a");
    link.href = vanUrl.replace("VIN", van.vin);
    link.textContent = van.plate || van.vin;
    var meta = document.createElement("span");
    meta.className = "muted small";
    meta.textContent = " " + (van.name ? van.name + " · " : "") + (labels[van.state] || van.state) +
      " · " + (van.electric ? labels.battery : labels.fuel) + " " + van.level + " %";
    var show = document.createElement("button");
    show.type = "button";
    show.className = "map-action small";
    show.textContent = root.dataset.showLabel || "show";
    show.addEventListener("click", function () {
      if (van.marker && cluster.zoomToShowLayer) {
        cluster.zoomToShowLayer(van.marker, function () { van.marker.openPopup(); });
      } else if (van.marker) {
        map.setView(van.marker.getLatLng(), 15);
      }
    });
    li.append(dot, " ", link, meta, " ", show);
    return li;
  }

  function apply() {
    var filters = currentFilters();
    var shown = vans.filter(function (van) { return matches(van, filters); });
    // Only what changed leaves or joins the map: a marker that stays keeps its open popup.
    var next = new Set(shown.map(function (van) { return van.marker; }));
    var gone = [], added = [];
    onMap.forEach(function (marker) { if (!next.has(marker)) gone.push(marker); });
    next.forEach(function (marker) { if (!onMap.has(marker)) added.push(marker); });
    cluster.removeLayers(gone);
    cluster.addLayers(added);
    onMap = next;
    listElement.replaceChildren.apply(listElement, shown.slice(0, listLimit).map(listItem));
    countElement.textContent = String(shown.length);
    root.dataset.shown = String(shown.length);
    moreElement.hidden = shown.length <= listLimit;
    return shown;
  }

  function popup(van) {
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = van.plate || van.vin;
    var line = document.createElement("div");
    line.textContent = (labels[van.state] || van.state) + " · " +
      (van.electric ? labels.battery : labels.fuel) + " " + van.level + " %";
    var link = document.createElement("a");
    link.href = vanUrl.replace("VIN", van.vin);
    link.textContent = van.vin;
    box.append(title, line, link);
    return box;
  }

  // The markers of the map's view: asked for again (debounced) when the view moves, so a fleet of
  // 50,000 vans never travels whole; vans still in view keep their marker (and an open popup).
  var byVin = {};
  var requested = 0;
  var moveTimer = null;

  function clamp(value, low, high) { return Math.min(high, Math.max(low, value)); }

  function viewBox() {
    var b = map.getBounds();
    var west = clamp(b.getWest(), -180, 180), east = clamp(b.getEast(), -180, 180);
    if (b.getEast() - b.getWest() >= 360) { west = -180; east = 180; }  // the whole world in view
    return [west, clamp(b.getSouth(), -90, 90), east, clamp(b.getNorth(), -90, 90)]
      .map(function (n) { return n.toFixed(5); }).join(",");
  }

  function markerOf(van) {
    var known = byVin[van.vin];
    if (known && known.state === van.state) {
      known.marker.setLatLng([van.lat, van.lon]);
      van.marker = known.marker;
      return van;
    }
    van.marker = L.marker([van.lat, van.lon], {
      icon: window.mproMap.dot("van-marker state-" + van.state, van.plate || van.vin),
      title: (van.plate || van.vin) + " – " + (labels[van.state] || van.state),
      keyboard: true,
    }).bindPopup(function () { return popup(van); });
    return van;
  }

  function load() {
    var mine = ++requested;
    var url = root.dataset.markersUrl + "?bbox=" + encodeURIComponent(viewBox());
    root.dataset.loading = "1";
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (payload) {
        if (mine !== requested) return;  // the view moved on meanwhile: a newer answer is coming
        vans = payload.vans.map(markerOf);
        byVin = {};
        vans.forEach(function (van) { byVin[van.vin] = van; });
        apply();
        root.dataset.loading = "0";
        root.dataset.loaded = "1";
        root.dataset.fetches = String(Number(root.dataset.fetches || 0) + 1);
      })
      .catch(function () {
        root.dataset.loading = "0";
        var error = root.querySelector("[data-load-error]");
        if (error) error.hidden = false;
      });
  }

  var extent = null;
  try { extent = JSON.parse(root.dataset.extent || "null"); } catch (e) { extent = null; }
  if (extent) {  // [south, west, north, east] of the vans: start there
    map.fitBounds(L.latLngBounds([extent[0], extent[1]], [extent[2], extent[3]]).pad(0.15), { maxZoom: 13 });
  }
  map.on("moveend", function () {
    clearTimeout(moveTimer);
    moveTimer = setTimeout(load, 300);
  });

  form.addEventListener("input", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  load();
})();
