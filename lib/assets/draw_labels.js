// Draws the basemap's labels into a Leaflet group as divIcon markers, placed by an
// anchor rather than by measuring the label (the CSS may still be loading). The labels
// sit in a pane of their own above every marker, so no marker hides a name; and at every
// zoom a label that would overlap a more important one gives way (hidden until a zoom
// where it fits). `rank`: larger first (a town's population; countries last).
function(group, labels, map) {
  map = map || group._map;
  if (!map) {  // a group not on its map yet (Compare's basemap, a page's own map)
    group.once('add', function() { draw(group._map); });
    return;
  }
  draw(map);
  function draw(map) {
  var pane = map.getPane('labels') || map.createPane('labels');
  pane.style.zIndex = 640;  // above markers (600), under tooltips (650) and popups (700)
  pane.style.pointerEvents = 'none';
  var items = [];
  labels.features.forEach(function(f) {
    var ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]], p = f.properties;
    if (p.kind === 'place') {
      L.circleMarker(ll, Object.assign({interactive: false}, p.style)).addTo(group); }
    var label = L.marker(ll, {interactive: false, keyboard: false, pane: 'labels', icon: L.divIcon({
      className: p.kind + '-label', html: '<span>' + p.tip + '</span>', iconSize: null,
      iconAnchor: p.kind === 'place' ? [-5, 8] : [0, 0]})}).addTo(group);
    items.push({marker: label, rank: p.rank || 0});
  });
  items.sort(function(a, b) { return b.rank - a.rank; });
  function declutter() {
    var kept = [];
    items.forEach(function(it) {
      var el = it.marker.getElement(), span = el && el.firstChild;
      if (!span) return;
      var r = span.getBoundingClientRect();
      var clash = kept.some(function(k) {
        return r.left < k.right && r.right > k.left && r.top < k.bottom && r.bottom > k.top;
      });
      el.style.visibility = clash ? 'hidden' : '';
      if (!clash) kept.push(r);
    });
    var root = document.documentElement.dataset;
    root.labelsShown = String(kept.length);
    root.labelsChecked = String((parseInt(root.labelsChecked || '0', 10)) + 1);
  }
  // again whenever the names may have moved against each other: a zoom, a new size of
  // the frame, the fonts once loaded, and once the page has settled
  map.on('zoomend resize', declutter);
  requestAnimationFrame(declutter);
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(declutter);
  setTimeout(declutter, 500);
  }
}
