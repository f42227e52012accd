// The atlas loader (lib/map_layers.py, _AtlasLoader; and the standalone embed,
// lib/embed.py): fetches the atlas of every layer on every day once (or takes it as
// an object: the embed has it in a script), draws the basemap from it, and defines
// window.__atlasShow(day, keys), which shows that day's features of those layers, and
// window.__atlasPlay(day, keys, seconds), which plays the days from `day` in the browser,
// and window.__atlasThenRest(), which asks the page for the rest of itself once the day
// is on screen, or the atlas is late or failed (ui/state.map_first).
// (The first view, all of Syria or a link's, is base_map's: lib/assets/fit_bounds.js.)
// `page`: what it is told of the page around the map (ui/page_map.py owns it): the
// selectors of the date slider, the Pause button, the day panel (lib/day_panel.py,
// which then shows the map's day at every moment, Play's days included) and the
// buttons that first take the view; Streamlit's box class and slider thumb text; the
// address's names in Play's hand-over. `placeSearch`: the search box
// (lib/assets/place_search.js), made once its index has come.
function(map, url, mode, tileUrl, tileAttr, page, drawLabels, tileFallback, viewLink,
         placeSearch, mapList) {
  page = page || {};
  var slider = page.slider, viewSync = page.viewSync, pauseButton = page.pause;
  var panel = page.panel, KEY_CLASS = page.keyClass || '', SLIDER_VALUE = page.sliderValue;
  var PARAMS = page.params || {date: 'date', played: 'played', paused: 'paused'};
  var keepView = viewLink(map, viewSync);
  var state = {data: null, popups: null, groups: {}, items: {}, pending: null, keys: null};
  window.__atlas = state;
  // Points go in the marker pane, above every zone: a click on a town opens the town.
  // Hatched (contested) zones are drawn as SVG, which can fill with a pattern.
  var hatch = null;
  function hatchRenderer() {
    if (hatch) return hatch;
    hatch = L.svg();
    hatch.once('add', function() {
      var ns = 'http://www.w3.org/2000/svg', svg = hatch._container;
      var defs = document.createElementNS(ns, 'defs');
      var pattern = document.createElementNS(ns, 'pattern');
      var attrs = {id: 'contested-hatch', patternUnits: 'userSpaceOnUse', width: 7, height: 7,
                   patternTransform: 'rotate(45)'};
      for (var k in attrs) pattern.setAttribute(k, attrs[k]);
      var bg = document.createElementNS(ns, 'rect'), stripe = document.createElementNS(ns, 'rect');
      bg.setAttribute('width', 7); bg.setAttribute('height', 7); bg.setAttribute('fill', '#e0e0e0');
      stripe.setAttribute('width', 2.5); stripe.setAttribute('height', 7);
      stripe.setAttribute('fill', '#757575');
      pattern.appendChild(bg); pattern.appendChild(stripe); defs.appendChild(pattern);
      svg.insertBefore(defs, svg.firstChild);
    });
    return hatch;
  }
  // Points are drawn as SVG in the marker pane: one canvas there would cover the whole
  // map and take every click and hover meant for the zones under it.
  var points = null;
  function toLayer(g, style) {
    if (g.type === 'Point') {
      points = points || L.svg({pane: 'markerPane'});
      return L.circleMarker([g.coordinates[1], g.coordinates[0]],
                            {pane: 'markerPane', renderer: points});
    }
    var options = style && style.hatch ? {renderer: hatchRenderer()} : {};
    return L.GeoJSON.geometryToLayer({type: 'Feature', geometry: g, properties: {}}, options);
  }
  function styleKey(v) {  // a variant's style as text, made once
    if (v.sk === undefined) v.sk = JSON.stringify(v[0]);
    return v.sk;
  }
  function styleOf(v) {  // a variant's style, with the hatch where it is drawn as SVG
    return v[0].hatch ? Object.assign({}, v[0], {fillColor: 'url(#contested-hatch)'}) : v[0];
  }
  function group(key) {
    if (!state.groups[key]) {
      var g = L.featureGroup(); g._layerKey = key;
      // A feature's Leaflet layer is made the first time a day shows it: a page load
      // builds the day on screen only, not every geometry of every day.
      state.items[key] = state.data.layers[key].features.map(function(f) {
        return {layer: null, g: f.g, v: f.v, cur: null};
      });
      state.groups[key] = g;
    }
    return state.groups[key];
  }
  // A feature's popup: in the atlas itself (the embed's), or in the atlas's popups
  // file, which the map asks for once the first day is drawn (lib/map_layers.py,
  // split_popups): a page load parses half as much before its first map.
  function infoOf(key, vi) {
    var v = state.data.layers[key].variants[vi];
    if (v.length > 2) return v[2];
    if (state.popups) return state.popups[key][vi];
    return state.popupsError ? 'The details failed to load: reload the page.'
                             : 'Loading the details\u2026';
  }
  function loadPopups() {
    if (typeof url === 'object' || !state.data.popups) return;
    var at = new URL(state.data.popups, new URL(url, window.location.href));
    fetch(at).then(function(r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    }).then(function(popups) { state.popups = popups; syncPanel(); startSearch(); }, function(e) {
      state.popupsError = String(e);
    }).then(function() {  // a popup opened meanwhile shows its words now
      map.eachLayer(function(l) { if (l.isPopupOpen && l.isPopupOpen()) l.getPopup().update(); });
    });
  }
  function make(it, key, variant) {  // a feature's Leaflet layer, made once
    if (it.layer) return;
    it.layer = toLayer(it.g, variant[0]);
    it.layer.feature = {type: 'Feature', geometry: it.g, properties: {layer: key}};
  }
  // The layers of the features no day has shown yet are made while the page is idle,
  // a few at a time: a later day (played or scrubbed to) then only restyles.
  function prebuild() {
    var queue = [];
    state.data.order.forEach(function(key) {
      var variants = state.data.layers[key].variants;
      group(key);
      state.items[key].forEach(function(it) {
        var vi = it.v.find(function(x) { return x !== null && x !== undefined; });
        if (vi !== undefined) queue.push([it, key, variants[vi]]);
      });
    });
    var idle = window.requestIdleCallback || function(f) {
      return setTimeout(function() { f({timeRemaining: function() { return 8; }}); }, 50); };
    (function work(deadline) {
      while (queue.length && deadline.timeRemaining() > 2) {
        var job = queue.shift(); make(job[0], job[1], job[2]);
      }
      if (queue.length) idle(work);
    })({timeRemaining: function() { return 0; }});
  }
  function apply(key, day) {
    var g = group(key), variants = state.data.layers[key].variants;
    state.items[key].forEach(function(it) {
      var vi = it.v[day];
      if (vi === null || vi === undefined) {
        if (it.layer && g.hasLayer(it.layer)) g.removeLayer(it.layer);
        return;
      }
      make(it, key, variants[vi]);
      var l = it.layer;
      if (vi !== it.cur) {
        // A day changes most features' words (the date, the shares) but few of their
        // styles: restyle (and so redraw) only what looks different; the tooltip and
        // popup read the day's words when they open.
        var v = variants[vi], was = it.cur === null ? null : variants[it.cur];
        it.cur = vi;
        if (!was || styleKey(was) !== styleKey(v)) l.setStyle(styleOf(v));
        l.feature.properties = {layer: key, tip: v[1]};
        if (!l.getTooltip()) {
          l.bindTooltip(function() { return variants[it.cur][1]; }, {sticky: true});
          l.bindPopup(function() { return infoOf(key, it.cur); }, {maxWidth: 380});
        }
        if (l.isTooltipOpen()) l.getTooltip().update();
        if (l.isPopupOpen()) l.getPopup().update();
        if (!l._hover && !(l instanceof L.CircleMarker)) {
          l._hover = true;
          l.on('mouseover', function() {
            l.setStyle({weight: (variants[it.cur][0].weight || 1) + 2}); });
          l.on('mouseout', function() { l.setStyle(styleOf(variants[it.cur])); });
        }
      }
      if (!g.hasLayer(l)) g.addLayer(l);
    });
  }
  // The page's date slider, when there is one: its value is the index of a day. The
  // browser has every day already, so the map follows the slider as it moves, with no
  // wait for the server; the server's step for the same day then changes nothing.
  function sliderDay() {
    if (!slider || !state.data) return null;
    try {
      var input = window.parent.document.querySelector(slider + ' input[type="range"]');
      var i = input ? parseInt(input.value, 10) : NaN;
      return i >= 0 && i < state.data.days.length ? i : null;
    } catch (e) { return null; }  // no access to the page: the server's steps still work
  }
  function followSlider() {
    var doc;
    try { doc = window.parent.document; } catch (e) { return; }
    if (!slider || !doc || doc === document) return;
    var observer = new MutationObserver(function() {
      if (play.timer) return;  // the slider shows the days Play draws: nothing to follow
      var i = sliderDay();
      if (i !== null && state.keyList && i !== state.day) show(i, state.keyList);
    });
    observer.observe(doc.body, {subtree: true, attributes: true,
                                attributeFilter: ['aria-valuetext']});
    // A panel the page draws for another day than the map's (a run that was under way
    // as the reader moved on) is swapped for the map's day at once.
    var panels = new MutationObserver(function() { syncPanel(); });
    if (panel) panels.observe(doc.body, {subtree: true, childList: true});
    window.addEventListener('pagehide', function() { observer.disconnect(); panels.disconnect(); });
  }
  function show(day, keys, played) {
    if (!state.data) { state.pending = [day, keys]; return; }
    var moved = played ? null : sliderDay();
    if (moved !== null) day = moved;  // a step from the server may be older than the slider
    var order = state.data.order, same = state.keys === keys.join(',');
    order.forEach(function(k) {  // a new set of layers: re-add all, in draw order
      var g = state.groups[k];
      if (!same && g && map.hasLayer(g)) map.removeLayer(g);
    });
    order.forEach(function(k) {
      if (keys.indexOf(k) < 0) return;
      apply(k, day);
      if (!map.hasLayer(state.groups[k])) map.addLayer(state.groups[k]);
    });
    var moved = state.day !== day;
    state.keys = keys.join(','); state.keyList = keys; state.day = day;
    showLegend(keys);
    syncPanel();
    if (moved && !played && state.shownOnce) announce(dayWords(day));
    state.shownOnce = true;
    if (state.list) setTimeout(state.list.refresh, 50);  // new shapes: untabbed, after the frame
    keepView();
  }
  // The day's facts and words (lib/day_panel.py): in the atlas itself (the embed's),
  // or in its popups file, which comes once the first day is drawn.
  function dayText(kind, i) {
    var src = (state.popups && state.popups[kind]) || (state.data && state.data[kind]);
    return src ? src[i] : null;
  }
  function dayWords(i) { return dayText('day words', i) || state.data.labels[i]; }
  // The panel beside the map shows the map's day, swapped here when the browser moves
  // the day (Play, the slider before the server's step); the server's own run draws
  // the same.
  function syncPanel() {
    if (!panel || !state.data) return;
    var doc = parentDoc() || document, box = doc.querySelector(panel);
    var facts = box && box.querySelector('.day-facts');
    if (!facts || box.dataset.day === String(state.day)) return;
    var html = dayText('day facts', state.day);
    if (html === null || html === undefined) return;
    facts.innerHTML = html; box.dataset.day = String(state.day);
  }
  function panelDay() {  // the day the panel names (its heading), for the log of Play
    var doc = parentDoc() || document, h = panel && doc.querySelector(panel + ' h3');
    return h ? h.textContent : null;
  }
  // A press on Play/Pause or Previous/Next reruns the page, and Streamlit draws the
  // button anew (Play becomes Pause): the keyboard's place fell to the page's body. It
  // goes back to the button, or to its partner (Next, where Previous is now disabled).
  var PARTNERS = {play: 'pause', pause: 'play', story_prev: 'story_next',
                  story_next: 'story_prev'};
  // Focus given by this frame's script leaves the keyboard in this frame: Enter on the
  // button went to the map. The page's own realm gives it (a function made there).
  function focusIn(doc, el) {
    try { doc.defaultView.Function('el', 'el.focus()')(el); } catch (e) { el.focus(); }
  }
  function keepFocus() {
    var doc = parentDoc();
    if (!doc || doc === document) return;
    var last = null, at = 0;
    doc.addEventListener('focusin', function(e) {
      var box = KEY_CLASS && e.target.closest && e.target.closest('[class*="' + KEY_CLASS + '"]');
      var key = box && Array.prototype.slice.call(box.classList).map(function(c) {
        return c.slice(KEY_CLASS.length); }).filter(function(k) { return PARTNERS[k]; })[0];
      if (key) { last = key; at = Date.now(); }
    });
    new MutationObserver(function() {
      if (!last || Date.now() - at > 5000) return;
      var active = doc.activeElement;
      if (active && active !== doc.body) return;
      [last, PARTNERS[last]].some(function(k) {
        var b = doc.querySelector('.' + KEY_CLASS + k + ' button:not([disabled])');
        // the page's window first: focus given from this frame would leave the keys
        // going to the frame, not to the button
        if (b) { focusIn(doc, b); last = k; at = Date.now(); }
        return !!b;
      });
    }).observe(doc.body, {subtree: true, childList: true});
  }
  // A polite live region, outside what the page's framework redraws: a new day (not
  // each of Play's), a story step, and the end of Play are read out.
  function announce(text) {
    var doc = parentDoc() || document, live = doc.getElementById('atlas-live');
    if (!live) {
      live = doc.createElement('div'); live.id = 'atlas-live';
      live.setAttribute('role', 'status'); live.setAttribute('aria-live', 'polite');
      live.className = 'visually-hidden';
      live.style.cssText = 'position:absolute;width:1px;height:1px;overflow:hidden;'
        + 'clip:rect(0 0 0 0);white-space:nowrap';
      doc.body.appendChild(live);
    }
    live.textContent = '';
    setTimeout(function() { live.textContent = text; }, 50);  // a change, even if the same
  }
  window.__atlasAnnounce = announce;
  // The search box, once its index is here (the embed's atlas has it; the app's comes
  // in the popups file). A card named in the address (?place=id, or #place=id in the
  // embed) opens then, and a card chosen goes into the address, so a link reopens it.
  // The address that holds the view: the page's around the app's map frame; the
  // embed's own (framed by a host page of another origin, the host's is out of reach).
  function pageWindow() {
    if (typeof url === 'object') return window;
    try { return window.parent.location.search !== undefined ? window.parent : window; }
    catch (e) { return window; }
  }
  function addressPlace() {
    var loc = pageWindow().location;
    return new URLSearchParams(loc.search).get('place')
      || new URLSearchParams(loc.hash.slice(1)).get('place');
  }
  function setAddressPlace(id) {
    try {
      var w = pageWindow(), loc = w.location;
      if (typeof url === 'object') {  // the embed keeps its view in the #hash
        var h = new URLSearchParams(loc.hash.slice(1)); h.set('place', id);
        w.history.replaceState(w.history.state, '', loc.pathname + loc.search + '#' + h);
      } else {
        var q = new URLSearchParams(loc.search); q.set('place', id);
        w.history.replaceState(w.history.state, '', loc.pathname + '?' + q + loc.hash);
      }
    } catch (e) {}
  }
  function startSearch() {
    var src = (state.popups && state.popups['search index']) || (state.data && state.data['search index']);
    if (!placeSearch || state.search || !src) return;
    state.search = placeSearch(map, {index: src.index, cards: src.cards, labels: state.data.labels},
      function(id) { setAddressPlace(id); });
    var wanted = state.focus || addressPlace();
    if (wanted) state.search.open(wanted);
  }
  window.__atlasFocus = function(id) {  // open a card (the server's, for a link)
    state.focus = id;
    if (state.search) state.search.open(id);
  };
  function drawBasemap(base) {
    var opaque = mode === 'offline', group = L.featureGroup();
    group._layerKey = 'basemap'; state.groups.basemap = group;
    var countries = L.geoJSON(base.countries, {interactive: false, style: function(f) {
      var s = Object.assign({}, f.properties.style);
      if (!opaque) s.fillOpacity = 0;  // tiles show through until they fail
      return s; }}).addTo(group);
    group.addTo(map);  // its names and towns come after the first day's paint (ready)
    if (!opaque) {
      var tiles = L.tileLayer(tileUrl, {attribution: tileAttr, subdomains: 'abcd', maxZoom: 19});
      tileFallback(tiles, countries, map, null);
    }
  }
  // The key to the holders' colours, on the map itself (a reader of a screenshot or an
  // embedded map has no panel beside it).
  var legend = null;
  // The key on the map: the holders' colours while the control zones are shown, and a
  // line for each buffer-zone proposal shown (which outline is 10 miles, which 22).
  function showLegend(keys) {
    var box = legend && legend.getContainer();
    if (!box) return;
    var holders = box.querySelector('.holders'), lines = box.querySelector('.lines');
    holders.style.display = keys.indexOf('control') >= 0 ? '' : 'none';
    var known = state.data.lines || {}, shown = keys.filter(function(k) { return known[k]; });
    if (lines.dataset.keys !== shown.join(',')) {
      lines.textContent = '';
      shown.forEach(function(k) {
        var item = L.DomUtil.create('div', '', lines), line = L.DomUtil.create('span', 'line', item);
        line.style.borderTopColor = known[k][1];
        if (known[k][2]) line.style.borderTopStyle = 'dashed';
        item.appendChild(document.createTextNode(known[k][0]));  // a label: text, not markup
      });
      lines.dataset.keys = shown.join(',');
    }
    box.style.display = holders.style.display === 'none' && !shown.length ? 'none' : '';
  }
  function drawLegend(rows) {
    if (!rows.length) return;
    legend = L.control({position: 'bottomright'});
    legend.onAdd = function() {
      var div = L.DomUtil.create('div', 'map-legend');
      var holders = L.DomUtil.create('div', 'holders', div);
      L.DomUtil.create('div', 'lines', div);
      rows.forEach(function(r) {
        var item = L.DomUtil.create('div', '', holders), sw = L.DomUtil.create('span', 'swatch', item);
        sw.style.background = r[2] ? 'repeating-linear-gradient(45deg,#757575 0 2px,#e0e0e0 2px 5px)'
                                   : r[1];
        item.appendChild(document.createTextNode(r[0]));
      });
      return div;
    };
    legend.addTo(map);
    showLegend(state.keyList || ['control']);
  }
  // On a server's first start on new data or code the atlas is still being written
  // when the map asks for it (HTTP 404): wait for it, saying so on the map.
  var notice = L.control({position: 'topright'}), started = Date.now();
  notice.onAdd = function() {
    var div = L.DomUtil.create('div', 'atlas-notice');
    div.style.cssText = 'background:#fff;padding:4px 8px;border-radius:4px;font:13px sans-serif;'
      + 'box-shadow:0 1px 4px rgba(0,0,0,.3)';
    div.textContent = 'Preparing the map for every day\u2026';
    return div;
  };
  function ready(data) {
    notice.remove();
    state.data = data;
    drawBasemap(data.basemap);
    drawLegend(data.legend || []);
    if (state.pending) { var p = state.pending; state.pending = null; show(p[0], p[1]); }
    if (state.pendingPlay) { var q = state.pendingPlay; state.pendingPlay = null; startPlay(q[0], q[1], q[2]); }
    followSlider();
    keepFocus();
    if (mapList) state.list = mapList(map, state);
    prebuild();
    if (typeof url === 'object') startSearch();  // the embed's atlas holds the index
    // after the first day's frame is painted (a task queued from its rAF runs after
    // the paint): the rest of the page, the basemap's names and towns, then, when the
    // page is idle, the popups; none in the way of the day's zones. Asked in the rAF
    // itself, Streamlit's handling of the history event ran before that paint (bench.ab:
    // 0.944x and 0.960x). The 30 names, as Leaflet markers, made that first frame late:
    // drawn a frame after the zones, a reload is 0.86x (bench/README, issue 21).
    requestAnimationFrame(function() { setTimeout(function() {
      restReady('drawn');
      drawLabels(state.groups.basemap, data.basemap.labels, map);
      state.labelled = true;
      if (window.requestIdleCallback) window.requestIdleCallback(loadPopups, {timeout: 1000});
      else setTimeout(loadPopups, 0);
    }, 0); });
  }
  // The map page's first run draws the map alone (ui/state.map_first). The map then
  // asks for a run of the whole page, as Play's hand-over asks (Streamlit reruns the
  // page on a history event), once it is ready: its day on screen ('drawn'), or the
  // atlas still being written ('missing') or failed ('failed'), or REST_WAIT_MS after
  // the run asked, whatever the atlas ('waited': a slow line). Every run asks until one
  // has drawn the whole page, so a run in a new session (after a reconnect) asks again.
  // (If the frame's scripts never run, nothing asks: the map is broken anyway.)
  var REST_WAIT_MS = window.__atlasRestWaitMs || 2000;  // a test may wait for the day
  var rest = {asked: false, ready: null, done: false, session: null};
  function restReady(why) {
    if (!rest.ready) rest.ready = why;
    askRest();
  }
  function askRest() {
    if (!rest.asked || !rest.ready || rest.done) return;
    rest.done = true;
    state.restAsked = rest.ready;
    rerunPage();
  }
  // Once per session: st_folium may run a step twice, and a second request made a
  // second run of the whole page, in which a press could be lost.
  window.__atlasThenRest = function(session) {
    if (session !== rest.session) { rest.session = session; rest.done = false; }
    rest.asked = true; askRest();
    setTimeout(function() { restReady('waited'); }, REST_WAIT_MS);
  };
  // A run of the page's script, asked for with a history event. Streamlit ignores one
  // when the address has a '#' and it already has the address's page and query (a
  // permalink with an anchor): the '#' part is left out while the event is handled.
  function rerunPage() {
    try {
      var w = window.parent, href = w.location.href, at = href.indexOf('#');
      if (at >= 0) w.history.replaceState(w.history.state, '', href.slice(0, at));
      try {
        w.dispatchEvent(new PopStateEvent('popstate', {state: w.history.state}));
      } finally {
        if (at >= 0) {
          w.history.replaceState(w.history.state, '', w.location.href.split('#')[0] + href.slice(at));
        }
      }
    } catch (e) {}
  }
  function load(attempt) {
    if (typeof url === 'object') { ready(url); return; }
    fetch(url, {cache: attempt ? 'reload' : 'default'}).then(function(r) {
      if (r.status === 404 && Date.now() - started < 120000) {
        if (!attempt) { notice.addTo(map); restReady('missing'); }
        setTimeout(function() { load(attempt + 1); }, 150);
        return null;
      }
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    }).then(function(data) {
      if (data) ready(data);
    }).catch(function(e) {
      notice.remove();
      state.error = String(e);
      restReady('failed');
      map.attributionControl.addAttribution('<b>Map data failed to load: reload the page</b>');
    });
  }
  // Play, in the browser: the days advance here, from the atlas, with no run of the
  // server a day. At every day the map, the page's slider and the address agree. The
  // server hears where Play got to only when the reader presses something on the page,
  // or at the end: the day goes into the address, and a history event makes Streamlit
  // rerun with it (ui/state.follow_url_day).
  var play = {timer: null, keys: null, seconds: 1};
  window.__drawTimes = [];  // each played day's drawing time, ms (bench: play)
  window.__playLog = [];  // [map day, slider's day, address's day, panel's day] a played day
  // The page around the map: the app's page (the map is in st_folium's frame); the
  // embed's own page, even inside a host page's frame of the same origin.
  function parentDoc() {
    if (typeof url === 'object') return document;
    try { return window.parent.document; } catch (e) { return null; }
  }
  function setAddressDay(i, handing, paused) {
    try {
      var loc = window.parent.location, q = new URLSearchParams(loc.search);
      q.set(PARAMS.date, state.data.days[i]);
      // a hand-over is marked, once: a run that merely carries an older address (a
      // rerun asked for before the last one's address arrived) is not one
      if (handing) q.set(PARAMS.played, String(Date.now()));
      if (paused) q.set(PARAMS.paused, '1'); else q.delete(PARAMS.paused);
      window.parent.history.replaceState(window.parent.history.state, '', loc.pathname + '?' + q);
    } catch (e) {}
  }
  function setSliderDay(i) {  // what the page's slider shows, until its next render
    var doc = parentDoc(), box = doc && slider && doc.querySelector(slider);
    if (!box) return null;
    var input = box.querySelector('input[type="range"]');
    var label = state.data.labels[i];
    if (input) {
      input.value = String(i); input.setAttribute('aria-valuetext', label);
      var thumb = input.closest('[style*="left"]'), last = state.data.days.length - 1;
      if (thumb) thumb.style.left = (100 * i / last) + '%';
    }
    var text = SLIDER_VALUE && box.querySelector(SLIDER_VALUE);
    if (text) text.textContent = label;
    return text ? text.textContent : label;
  }
  function handOver(paused) {
    setAddressDay(state.day, true, paused);
    rerunPage();
  }
  // A press on the page while Play runs: Play stops here and hands its day over. A
  // press on Pause says so in the hand-over, which then stops Play on the server even
  // if the button's own run is lost to the hand-over's.
  function onPress(e) {
    if (!play.timer) return;
    var t = e && e.target, paused = !!(pauseButton && t && t.closest && t.closest(pauseButton));
    stopPlay(); handOver(paused);
  }
  function stopPlay() {
    if (play.timer) clearTimeout(play.timer);
    play.timer = null;
    var doc = parentDoc();
    if (doc) {
      doc.removeEventListener('pointerdown', onPress, true);
      doc.removeEventListener('keydown', onPress, true);
    }
  }
  function tick() {
    play.timer = setTimeout(function() {
      var i = state.day + 1, t0 = performance.now();
      show(i, play.keys, true);
      var done = performance.now();
      // + the canvas's redraw, which Leaflet does at the next frame, before this. The
      // frame's time is when it was due: if the script ran past it, that part is the
      // script's, counted once.
      var last = i >= state.data.days.length - 1;
      requestAnimationFrame(function(frame) {
        window.__drawTimes.push(done - t0 + performance.now() - Math.max(frame, done));
        // the page's rerun, after the last day is on screen: not in its frame
        if (last) setTimeout(function() {
          handOver(); announce('Play ended. ' + dayWords(i));
        }, 0);
      });
      var shown = setSliderDay(i);
      setAddressDay(i);
      window.__playLog.push([state.data.days[i], shown, new URLSearchParams(
        (parentDoc() || document).location.search).get(PARAMS.date), panelDay()]);
      if (last) stopPlay(); else tick();
    }, play.seconds * 1000);
  }
  function startPlay(day, keys, seconds) {
    stopPlay();
    show(day, keys, true);
    if (!state.data) { state.pendingPlay = [day, keys, seconds]; return; }
    play.keys = keys; play.seconds = seconds;
    var doc = parentDoc();
    if (doc) {
      doc.addEventListener('pointerdown', onPress, true);
      doc.addEventListener('keydown', onPress, true);
    }
    if (state.day >= state.data.days.length - 1) { handOver(); return; }
    tick();
  }
  window.addEventListener('pagehide', stopPlay);
  load(0);
  // `quiet`: a day of the embed's own Play (not announced, and the slider not read)
  window.__atlasShow = function(day, keys, quiet) { stopPlay(); show(day, keys, quiet); };
  window.__atlasPlay = startPlay;
}

