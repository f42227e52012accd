// The view in the page's address: once the reader moves the map, the address follows
// it (view=lat,lng,zoom), so a reload or a copied address has what is on screen. The
// "Link" control copies it. `syncOn`: a CSS selector of page controls (the print
// popover, ui/publish.py) whose press first hands the address to Streamlit, so the
// run that follows knows the view on screen.
function(map, syncOn) {
  function viewLink() {
    var c = map.getCenter(), z = Math.round(map.getZoom() * 100) / 100;
    var value = c.lat.toFixed(4) + ',' + c.lng.toFixed(4) + ',' + z;
    var loc;
    try { loc = window.parent.location; } catch (err) { loc = window.location; }
    var q = new URLSearchParams(loc.search); q.set('view', value);
    var link = loc.origin + loc.pathname + '?' + q.toString();
    try { window.parent.history.replaceState(window.parent.history.state, '', link); } catch (err) {}
    return link;
  }
  // Only a reader's move: the first fit to Syria is no view of theirs.
  var moved = false, timer = null;
  ['mousedown', 'wheel', 'touchstart', 'keydown'].forEach(function(ev) {
    map.getContainer().addEventListener(ev, function() { moved = true; }, {passive: true});
  });
  map.on('moveend', function() {
    if (!moved) return;
    clearTimeout(timer);
    timer = setTimeout(function() { document.documentElement.dataset.viewNow = viewLink(); }, 250);
  });
  if (syncOn) {
    try {
      var doc = window.parent.document;
      var onPress = function(e) {
        if (!moved || !e.target.closest || !e.target.closest(syncOn)) return;
        viewLink();
        // Streamlit reads the address again on a history event, and reruns with it
        window.parent.dispatchEvent(new PopStateEvent('popstate', {state: window.parent.history.state}));
      };
      doc.addEventListener('pointerdown', onPress, true);
      window.addEventListener('pagehide', function() { doc.removeEventListener('pointerdown', onPress, true); });
    } catch (err) {}  // no access to the page: the print uses the last view it knew
  }
  var control = L.control({position: 'topleft'});
  control.onAdd = function() {
    var a = L.DomUtil.create('a', 'leaflet-bar view-link');
    a.href = '#'; a.title = 'Link to this view'; a.setAttribute('role', 'button');
    a.textContent = 'Link';
    L.DomEvent.on(a, 'click', function(e) {
      L.DomEvent.stop(e);
      var link = viewLink();
      var done = function() { a.textContent = 'Copied'; setTimeout(function() { a.textContent = 'Link'; }, 1500); };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(link).then(done, function() { window.prompt('Link to this view', link); });
      } else { window.prompt('Link to this view', link); }
      document.documentElement.dataset.viewLink = link;
    });
    return a;
  };
  control.addTo(map);
  // Called after each step from the server, whose run rewrites the address from what
  // it knew: the reader's view goes back in.
  return function keepView() { if (moved) document.documentElement.dataset.viewNow = viewLink(); };
}
