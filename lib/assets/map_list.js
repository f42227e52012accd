// Keyboard all the way (WCAG 2.1.1): "What is on the map", a list of every feature the
// map shows that day (zones, bases, towns, events, proposals), each a button that opens
// the same details a click opens, and puts the keyboard in them (Escape returns). The
// features themselves leave the tab order: 40-60 unnamed stops stood between a reader
// and the page's next control.
// `atlas`: the loader's state (window.__atlas). Returns refresh(), for the loader to call
// when the day or the layers change.
function(map, atlas) {
  var control = L.control({position: 'topleft'}), button, panel, open = false;
  var NAMES = {control: 'Control zones', sites: 'Bases and sites', events: 'Events',
               captured: 'Towns taken'};
  var parser = new DOMParser();
  function text(html) {  // a tooltip's words, as text (parsed inert: nothing loads or runs)
    html = String(html).replace(/<br\s*\/?>/gi, ' \u2013 ');  // its lines, as a sentence
    return parser.parseFromString(html, 'text/html').body.textContent.trim();
  }
  control.onAdd = function() {
    var box = L.DomUtil.create('div', 'map-list leaflet-bar');
    button = L.DomUtil.create('button', 'map-list-button', box);
    button.type = 'button'; button.textContent = 'On the map (list)';
    button.setAttribute('aria-expanded', 'false'); button.setAttribute('aria-controls', 'map-list');
    panel = L.DomUtil.create('div', 'map-list-panel', box);
    panel.id = 'map-list'; panel.hidden = true;
    panel.setAttribute('role', 'region'); panel.setAttribute('aria-label', 'What is on the map');
    L.DomEvent.disableClickPropagation(box); L.DomEvent.disableScrollPropagation(box);
    L.DomEvent.on(box, 'keydown', function(e) {
      L.DomEvent.stopPropagation(e);  // arrows scroll the list, not the map
      if (e.key === 'Escape' && open) { toggle(false); button.focus(); }
    });
    L.DomEvent.on(button, 'click', function() { toggle(!open); });
    return box;
  };
  function toggle(on) {
    open = on; panel.hidden = !on; button.setAttribute('aria-expanded', String(on));
    if (on) refresh();
  }
  function centre(layer) {
    if (layer.getLatLng) return layer.getLatLng();
    try { return layer.getCenter(); } catch (e) { return layer.getBounds().getCenter(); }
  }
  function openDetails(layer, from) {
    var at = centre(layer);
    layer.openPopup(at);
    var popup = layer.getPopup(), box = popup && popup.getElement();
    if (!box) return;
    var content = box.querySelector('.leaflet-popup-content');
    content.setAttribute('tabindex', '-1'); content.focus({preventScroll: true});
    var back = function(e) {
      if (e.key !== 'Escape') return;
      map.closePopup(); from.focus();
      box.removeEventListener('keydown', back);
    };
    box.addEventListener('keydown', back);
  }
  function refresh() {
    untab();
    if (!open || !atlas.data) return;
    panel.textContent = '';
    var heading = L.DomUtil.create('p', 'map-list-day', panel);
    heading.textContent = 'What the map shows on ' + atlas.data.labels[atlas.day];
    (atlas.keyList || []).forEach(function(key) {
      var items = (atlas.items[key] || []).filter(function(it) {
        return it.layer && atlas.groups[key] && atlas.groups[key].hasLayer(it.layer);
      });
      if (!items.length) return;
      var spec = atlas.data.layers[key], lines = atlas.data.lines || {};
      var title = NAMES[key] || (lines[key] ? lines[key][0] : key);
      var section = L.DomUtil.create('section', '', panel);
      L.DomUtil.create('h2', '', section).textContent = title + ' (' + items.length + ')';
      var list = L.DomUtil.create('ul', '', section);
      items.forEach(function(it) {
        var li = L.DomUtil.create('li', '', list), b = L.DomUtil.create('button', '', li);
        b.type = 'button';
        b.textContent = text(spec.variants[it.cur][1]) || title;
        L.DomEvent.on(b, 'click', function() { openDetails(it.layer, b); });
      });
    });
  }
  // The features' own shapes stay for the mouse, out of the tab order.
  function untab() {
    var shapes = map.getContainer().querySelectorAll('path.leaflet-interactive:not([tabindex])');
    for (var i = 0; i < shapes.length; i++) shapes[i].setAttribute('tabindex', '-1');
  }
  control.addTo(map);
  return {refresh: refresh, untab: untab, openDetails: openDetails};
}
