// Draws the basemap's labels into a Leaflet group as divIcon markers, placed by an
// anchor rather than by measuring the label (the CSS may still be loading).
function(group, labels) {
  labels.features.forEach(function(f) {
    var ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]], p = f.properties;
    if (p.kind === 'place') {
      L.circleMarker(ll, Object.assign({interactive: false}, p.style)).addTo(group); }
    L.marker(ll, {interactive: false, keyboard: false, icon: L.divIcon({
      className: p.kind + '-label', html: '<span>' + p.tip + '</span>', iconSize: null,
      iconAnchor: p.kind === 'place' ? [-5, 8] : [0, 0]})}).addTo(group);
  });
}
