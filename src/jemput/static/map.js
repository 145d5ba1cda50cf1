// Jemput's map component: draws a GeoJSON FeatureCollection from one of our JSON
// endpoints with Leaflet, served from /static/vendor/leaflet/ (no CDN).
//
// Markup (one element per map; the page also links /static/vendor/leaflet/leaflet.css and
// /static/map.css, and loads /static/vendor/leaflet/leaflet.js before this file):
//   <div class="map-canvas" data-map-source="/api/peta/geojson"
//        data-tile-url="https://..../{z}/{x}/{y}.png"   (optional: JEMPUT_MAP_TILE_URL)
//        data-tile-attribution="© ..."                  (optional)
//        aria-label="..."></div>
// Without data-tile-url the map shows only our own layers on a plain background and
// asks no other host for anything.
//
// Input: the endpoint returns {"type": "FeatureCollection", "features": [...]}.
// Each feature's geometry decides how it is drawn; its properties style it:
//   Polygon / MultiPolygon   an area outline (kecamatan, desa); drawn first, underneath
//   LineString / MultiLineString  a route, e.g. one team's day in a plan
//   Point                    a place: a desa, a stop, a school
//   properties (all optional):
//     name     title of the popup (text, never HTML)
//     href     same-origin path ("/wilayah/33.06.01.2001") the title links to
//     lines    list of text lines under the title in the popup
//     colour   "#rrggbb": fill of a point, stroke of a line or outline
//     radius   a point's radius in pixels (default 6)
//     label    short text shown beside a point all the time (e.g. a stop's order "3")
//     kind     a word naming the layer ("desa", "kecamatan", "stop", "route"); the
//              drawn element gets the class "map-<kind>" and data-code = properties.code
//     code     an identifier kept on the element as data-code
// Features are drawn in order within their layer: give routes in the order of teams,
// stops in the order of the visit. The map fits itself to everything drawn.
(function () {
  "use strict";
  var COLOUR = /^#[0-9a-fA-F]{6}$/;
  var KIND = /^[a-z][a-z0-9-]{0,30}$/;

  function colourOf(properties, fallback) {
    return COLOUR.test(properties.colour || "") ? properties.colour : fallback;
  }

  function classOf(properties, fallback) {
    return "map-" + (KIND.test(properties.kind || "") ? properties.kind : fallback);
  }

  function popupFor(properties) {
    var box = document.createElement("div");
    box.className = "map-popup";
    var title = document.createElement("strong");
    var href = properties.href || "";
    // Only our own pages: a path on this origin, never "//host" or "javascript:".
    if (href.charAt(0) === "/" && href.charAt(1) !== "/") {
      var link = document.createElement("a");
      link.href = href;
      link.textContent = properties.name || href;
      title.appendChild(link);
    } else {
      title.textContent = properties.name || "";
    }
    box.appendChild(title);
    (properties.lines || []).forEach(function (text) {
      var line = document.createElement("div");
      line.textContent = String(text);
      box.appendChild(line);
    });
    return box;
  }

  function mark(layer, properties) {
    var tag = function (part) {
      part.on("add", function () {
        var element = part.getElement && part.getElement();
        if (element && properties.code) {
          element.setAttribute("data-code", String(properties.code));
        }
      });
    };
    // L.geoJSON is a group of one path per geometry part: tag each of them.
    if (layer.eachLayer) { layer.eachLayer(tag); } else { tag(layer); }
    if (properties.name || (properties.lines || []).length) {
      layer.bindPopup(function () { return popupFor(properties); });
    }
    if (properties.label) {
      layer.bindTooltip(String(properties.label), {permanent: true, direction: "right",
                                                   className: "map-label"});
    }
    return layer;
  }

  function layerFor(feature) {
    var properties = feature.properties || {};
    var type = feature.geometry && feature.geometry.type;
    if (type === "Polygon" || type === "MultiPolygon") {
      return mark(L.geoJSON(feature, {style: {
        color: colourOf(properties, "#44546a"), weight: 1.5, opacity: 0.9,
        fill: true, fillOpacity: 0.04, className: classOf(properties, "area")}}), properties);
    }
    if (type === "LineString" || type === "MultiLineString") {
      return mark(L.geoJSON(feature, {style: {
        color: colourOf(properties, "#1f5fa8"), weight: 4, opacity: 0.85,
        className: classOf(properties, "route")}}), properties);
    }
    if (type === "Point") {
      var c = feature.geometry.coordinates;
      var radius = Number(properties.radius) > 0 ? Math.min(Number(properties.radius), 40) : 6;
      return mark(L.circleMarker([c[1], c[0]], {
        radius: radius, color: "#1f2933", weight: 1, fillColor: colourOf(properties, "#1f5fa8"),
        fillOpacity: 0.85, className: classOf(properties, "place")}), properties);
    }
    return null;
  }

  function draw(element, collection) {
    // Without tiles nothing bounds the zoom: keep it where a desa still has context.
    var map = L.map(element, {preferCanvas: false, zoomSnap: 0.25, minZoom: 5, maxZoom: 18});
    var tiles = element.dataset.tileUrl;
    if (tiles) {
      L.tileLayer(tiles, {attribution: element.dataset.tileAttribution || "", maxZoom: 19})
        .addTo(map);
    } else {
      element.classList.add("map-plain");
    }
    // Areas under routes under places, whatever order the features came in.
    var groups = {areas: L.featureGroup(), routes: L.featureGroup(), places: L.featureGroup()};
    (collection.features || []).forEach(function (feature) {
      var layer = layerFor(feature);
      if (!layer) { return; }
      var type = feature.geometry.type;
      var group = type === "Point" ? groups.places
        : (type === "Polygon" || type === "MultiPolygon") ? groups.areas : groups.routes;
      group.addLayer(layer);
    });
    groups.areas.addTo(map);
    groups.routes.addTo(map);
    groups.places.addTo(map);
    var all = L.featureGroup([groups.areas, groups.routes, groups.places]);
    var bounds = all.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, {padding: [12, 12], maxZoom: 14});  // one desa: not a rooftop
    } else {
      map.setView([-2.5, 118], 5);  // nothing to draw: Indonesia
    }
    element.dataset.mapReady = "true";
    element.dispatchEvent(new CustomEvent("jemput:map-ready", {detail: {map: map}}));
    return map;
  }

  function fail(element, message) {
    var note = document.createElement("p");
    note.className = "map-error";
    note.textContent = message;
    element.appendChild(note);
    element.dataset.mapReady = "error";
  }

  function start(element) {
    if (typeof L === "undefined") {
      fail(element, element.dataset.noLibrary || "Leaflet tidak termuat.");
      return;
    }
    fetch(element.dataset.mapSource, {credentials: "same-origin",
                                      headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (collection) { draw(element, collection); })
      .catch(function (error) {
        fail(element, (element.dataset.loadError || "Peta gagal dimuat") + " (" + error.message + ")");
      });
  }

  window.JemputMap = {draw: draw, start: start};
  document.querySelectorAll(".map-canvas[data-map-source]").forEach(start);
})();
