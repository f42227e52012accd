// "Link to this view": a map control that puts the map's centre and zoom into the
// page's address (view=lat,lng,zoom) and copies that link, so a reader can share
// exactly what they see.
function(map) {
  var control = L.control({position: 'topleft'});
  control.onAdd = function() {
    var a = L.DomUtil.create('a', 'leaflet-bar view-link');
    a.href = '#'; a.title = 'Link to this view'; a.setAttribute('role', 'button');
    a.textContent = 'Link';
    L.DomEvent.on(a, 'click', function(e) {
      L.DomEvent.stop(e);
      var c = map.getCenter(), z = Math.round(map.getZoom() * 100) / 100;
      var value = c.lat.toFixed(4) + ',' + c.lng.toFixed(4) + ',' + z;
      var loc;
      try { loc = window.parent.location; } catch (err) { loc = window.location; }
      var q = new URLSearchParams(loc.search); q.set('view', value);
      var link = loc.origin + loc.pathname + '?' + q.toString();
      try { window.parent.history.replaceState(null, '', link); } catch (err) {}
      var done = function() { a.textContent = 'Copied'; setTimeout(function() { a.textContent = 'Link'; }, 1500); };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(link).then(done, function() { window.prompt('Link to this view', link); });
      } else { window.prompt('Link to this view', link); }
      document.documentElement.dataset.viewLink = link;
    });
    return a;
  };
  control.addTo(map);
}
