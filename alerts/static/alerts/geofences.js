/* The geofence page: the company's circles on a map; a click places the centre of a new one and
   the preview circle follows the radius field. */
(function () {
  "use strict";
  var element = document.getElementById("geofence-map");
  if (!element || !window.L || !window.mproMap) {
    return;
  }
  var map = window.mproMap.create(element);
  var circles = L.featureGroup().addTo(map);
  JSON.parse(element.dataset.geofences || "[]").forEach(function (g) {
    L.circle([g.lat, g.lon], { radius: g.radius_m, className: "geofence-circle", weight: 2 })
      .bindTooltip(g.name)
      .addTo(circles);
  });
  if (circles.getLayers().length) {
    window.mproMap.fit(map, circles, 15);
  }
  var form = document.getElementById("geofence-form");
  if (!form) {
    return;
  }
  var lat = form.querySelector("[name=lat]");
  var lon = form.querySelector("[name=lon]");
  var radius = form.querySelector("[name=radius_m]");
  var preview = null;

  function draw() {
    var la = parseFloat(lat.value), lo = parseFloat(lon.value), r = parseFloat(radius.value);
    if (isNaN(la) || isNaN(lo)) return;
    if (!preview) {
      preview = L.circle([la, lo], { radius: r || 500, className: "geofence-circle geofence-preview", dashArray: "6 4" }).addTo(map);
    }
    preview.setLatLng([la, lo]);
    if (r > 0) preview.setRadius(r);
  }

  map.on("click", function (event) {
    lat.value = event.latlng.lat.toFixed(6);
    lon.value = event.latlng.lng.toFixed(6);
    draw();
  });
  [lat, lon, radius].forEach(function (input) { input.addEventListener("input", draw); });
  draw();
})();
