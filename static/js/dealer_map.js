/* The dealer finder's map: the dealers listed below it, clustered (same component as the fleet map). */
(function () {
  "use strict";
  var element = document.getElementById("dealer-map");
  if (!element || !window.L || !window.mproMap) {
    return;
  }
  var map = window.mproMap.create(element);
  var cluster = window.mproMap.clusterGroup().addTo(map);
  var markers = JSON.parse(element.dataset.dealers || "[]").map(function (dealer) {
    var box = document.createElement("div");
    var name = document.createElement("strong");
    name.textContent = dealer.name;
    var address = document.createElement("div");
    address.textContent = dealer.address;
    box.append(name, address);
    return L.marker([dealer.lat, dealer.lon], {
      icon: window.mproMap.dot("dealer-marker state-dealer", dealer.name),
      title: dealer.name,
    }).bindPopup(box);
  });
  cluster.addLayers(markers);
  element.dataset.markers = String(markers.length);
  if (markers.length) {
    window.mproMap.fit(map, L.featureGroup(markers), 12);
  }
})();
