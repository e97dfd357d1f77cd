/* The project's map component (fleet map, geofences, dealer finder): Leaflet from django-leaflet,
   marker clustering from the vendored Leaflet.markercluster, tiles from MAP_TILES_URL.
   Reads its settings from data attributes (no inline script). With tiles unreachable the map
   stays usable: markers on the plain background of .map. */
(function () {
  "use strict";

  function create(element, options) {
    options = options || {};
    var map = L.map(element, {
      zoomControl: true,
      attributionControl: true,
      zoomSnap: 0.25,
      worldCopyJump: true,
    });
    var tiles = element.dataset.tilesUrl;
    if (tiles) {
      L.tileLayer(tiles, {
        maxZoom: 19,
        attribution: element.dataset.tilesAttribution || "",
      }).addTo(map);
    }
    map.setView([options.lat || 51.0, options.lon || 10.0], options.zoom || 5);
    return map;
  }

  function clusterGroup() {
    if (typeof L.markerClusterGroup !== "function") {
      return L.featureGroup();
    }
    return L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 50,
      disableClusteringAtZoom: 16,
      chunkedLoading: true,
    });
  }

  function fit(map, layer, fallbackZoom) {
    var bounds = layer.getBounds ? layer.getBounds() : null;
    if (bounds && bounds.isValid()) {
      map.fitBounds(bounds.pad(0.15), { maxZoom: fallbackZoom || 14 });
    }
  }

  function dot(className, label) {
    var text = document.createElement("span");
    text.className = "visually-hidden";
    text.textContent = label || "";  // plates are user input: text, never HTML
    return L.divIcon({
      className: "map-dot " + className,
      html: text,
      iconSize: [18, 18],
      iconAnchor: [9, 9],
      popupAnchor: [0, -9],
    });
  }

  window.mproMap = { create: create, clusterGroup: clusterGroup, fit: fit, dot: dot };
})();
