// The online tiles, over the offline basemap, only if they load: one tile is fetched
// first, and the tile layer is added only when it arrives. If it fails (no network), or
// a tile fails later, the offline basemap shows, and the failure is remembered for the
// browser tab, so that no later map on any page tries the tiles again: one failed
// request a tab, not dozens.
// tiles: the tile layer; countries: the offline basemap's layer; map: the map to add
// the tiles to, or null when they are already in `group`, a feature group.
function(tiles, countries, map, group) {
  var KEY = 'aleppo-map-tiles-failed';
  function remember() { try { window.sessionStorage.setItem(KEY, '1'); } catch (e) {} }
  function offline() {
    countries.setStyle(function(f) { return f.properties.style; });
    var m = map || (group && group._map);
    if (m) m.attributionControl.addAttribution('Offline basemap');
    else if (group) group.once('add', function() { offline(); });
    document.documentElement.dataset.basemap = 'offline-fallback';
  }
  if (group) group.removeLayer(tiles);  // until the probe says the tiles load
  var failed = false;
  try { failed = window.sessionStorage.getItem(KEY) === '1'; } catch (e) {}
  if (failed) { offline(); return; }
  tiles.on('tileerror', function() {
    if (!tiles._map) return;
    if (group) group.removeLayer(tiles); else tiles.remove();
    remember();
    offline();
  });
  var probe = new Image();
  probe.onload = function() { if (group) group.addLayer(tiles); else tiles.addTo(map); };
  probe.onerror = function() { remember(); offline(); };
  probe.src = L.Util.template(tiles._url, L.extend({s: 'a', x: 0, y: 0, z: 0, r: ''}, tiles.options));
}
