// The compare page's key (lib/map_layers.zone_key): which outline is which zone. One
// control on the map, its rows replaced with every step: [label, colour, dashed, kind]
// (kind 'line' for an outline, 'fill' for a shaded ring).
function(map, rows) {
  if (!map.__zoneKey) {
    map.__zoneKey = L.control({position: 'bottomright'});
    map.__zoneKey.onAdd = function() { return L.DomUtil.create('div', 'map-legend zone-key'); };
    map.__zoneKey.addTo(map);
  }
  var box = map.__zoneKey.getContainer();
  box.textContent = '';
  box.style.display = rows.length ? '' : 'none';
  rows.forEach(function(r) {
    var item = L.DomUtil.create('div', '', box);
    var mark = L.DomUtil.create('span', r[3] === 'fill' ? 'swatch' : 'line', item);
    if (r[3] === 'fill') { mark.style.background = r[1]; mark.style.opacity = 0.45; }
    else { mark.style.borderTopColor = r[1]; if (r[2]) mark.style.borderTopStyle = 'dashed'; }
    item.appendChild(document.createTextNode(r[0]));  // labels from the data: text only
  });
}
