// The standalone embed's controls (lib/embed.py): the day slider, Play, the speeds,
// the layer toggles and the tiles switch, over the atlas loader of the app. The view
// (day, layers, speed, tiles) is kept in the page's #hash, so a link opens it again.
// Every day change is drawn in the browser from the atlas: no server behind it.
(function() {
  var app = document.getElementById('app');
  var cfg = JSON.parse(app.dataset.config);
  var last = cfg.days.length - 1;
  var hash = new URLSearchParams(location.hash.slice(1));
  var known = cfg.layers.map(function(l) { return l[0]; });
  var keys = hash.has('layers')
    ? hash.get('layers').split(',').filter(function(k) { return known.indexOf(k) >= 0; })
    : cfg.defaults.slice();
  var day = cfg.days.indexOf(hash.get('date'));
  if (day < 0) day = cfg.start;
  var speed = cfg.speeds[hash.get('speed')] ? hash.get('speed') : 'Normal';
  var tiles = hash.has('tiles') ? hash.get('tiles') === '1' : !!cfg.tiles;
  // Display options, in the #hash as a newsroom sets them: controls=0 (no bar, no
  // panel), static=1 (the one day, no slider or Play), theme=dark|light (default: the
  // reader's own, prefers-color-scheme).
  var OPTIONS = ['controls', 'static', 'theme', 'place'];
  var theme = hash.get('theme');
  if (theme !== 'dark' && theme !== 'light') {
    theme = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches
      ? 'dark' : 'light';
  }
  document.documentElement.dataset.theme = theme;
  if (hash.get('controls') === '0') app.classList.add('no-controls');
  if (hash.get('static') === '1') app.classList.add('static-day');
  // In a host page's frame, the page takes its content's height and tells the host, in
  // the messages NPR's Pym.js uses (pym.Parent, and the embed code lib/embed.py writes,
  // listen for them): no scroll bar in the frame, no empty space under it.
  var framed = window.parent !== window;
  if (framed) {
    document.documentElement.classList.add('framed');
    var childId = new URLSearchParams(location.search).get('childId') || 'aleppo-map';
    var lastHeight = 0;
    var sendHeight = function() {
      var h = Math.ceil(document.getElementById('app').getBoundingClientRect().height);
      if (h === lastHeight) return;
      lastHeight = h;
      window.parent.postMessage('pymxPYMx' + childId + 'xPYMxheightxPYMx' + h, '*');
    };
    if (window.ResizeObserver) new ResizeObserver(sendHeight).observe(app);
    window.addEventListener('load', sendHeight);
    window.addEventListener('resize', sendHeight);
  }

  var map = L.map('map', {preferCanvas: true, zoomSnap: 0.25, minZoom: 5, maxZoom: 12});
  window.map = map;
  L.control.scale().addTo(map);
  map.attributionControl.addAttribution(cfg.attribution);
  // the view the page was made with (the app's: the reader's), else all of Syria
  if (cfg.view) map.setView([cfg.view[0], cfg.view[1]], cfg.view[2]);
  else fitBounds(map, cfg.bounds);
  var noViewLink = function() { return function() {}; };  // the #hash holds the view
  atlasLoader(map, window.ATLAS, tiles ? 'auto' : 'offline', cfg.tileUrl,
              cfg.tileAttribution, {panel: '#day-panel'}, drawLabels, tileFallback,
              noViewLink, placeSearch, mapList);

  var slider = document.getElementById('day'), label = document.getElementById('day-label');
  var playBtn = document.getElementById('play'), speedSel = document.getElementById('speed');
  slider.max = String(last);
  Object.keys(cfg.speeds).forEach(function(name) {
    var o = document.createElement('option');
    o.value = name; o.textContent = name + ' (' + cfg.speeds[name] + ' s a day)';
    speedSel.appendChild(o);
  });
  speedSel.value = speed;
  // the time each day change takes to draw, for the benchmark (bench: play)
  window.__drawTimes = [];

  function remember() {
    var q = new URLSearchParams();
    q.set('date', cfg.days[day]); q.set('layers', keys.join(','));
    var now = new URLSearchParams(location.hash.slice(1));
    OPTIONS.forEach(function(k) {  // the display options, and a card the reader opened
      if (now.get(k)) q.set(k, now.get(k));
    });
    if (speed !== 'Normal') q.set('speed', speed);
    if (tiles) q.set('tiles', '1');
    try { history.replaceState(null, '', '#' + q.toString()); } catch (e) {}
  }
  function draw(played) {
    var t0 = performance.now();
    window.__atlasShow(day, keys, played);  // Play's days are not each read out
    var done = performance.now();
    // + the canvas's redraw, which Leaflet does at the next frame, before this (the
    // frame's time is when it was due: a script that ran past it is counted once)
    requestAnimationFrame(function(frame) {
      window.__drawTimes.push(done - t0 + performance.now() - Math.max(frame, done));
    });
    slider.value = String(day);
    label.textContent = window.ATLAS.labels[day];  // as the app's slider names the days
    slider.setAttribute('aria-valuetext', window.ATLAS.labels[day]);
    remember();
  }

  var timer = null;
  function stop() {
    clearTimeout(timer); timer = null;
    playBtn.textContent = 'Play';
    app.dataset.playing = 'false';
  }
  function tick() {
    timer = setTimeout(function() {
      day += 1; draw(true);
      if (day >= last) { stop(); if (window.__atlasAnnounce) window.__atlasAnnounce('Play ended on ' + window.ATLAS.labels[day] + '.'); }
      else tick();
    }, cfg.speeds[speed] * 1000);
  }
  function play() {
    if (day >= last) { day = 0; draw(); }  // at the end, Play starts again
    playBtn.textContent = 'Pause';
    app.dataset.playing = 'true';
    tick();
  }
  playBtn.addEventListener('click', function() { if (timer) stop(); else play(); });
  speedSel.addEventListener('change', function() {
    speed = speedSel.value; remember();
    if (timer) { clearTimeout(timer); tick(); }
  });
  slider.addEventListener('input', function() { stop(); day = parseInt(slider.value, 10); draw(); });

  var boxes = Array.prototype.slice.call(document.querySelectorAll('input[name="layer"]'));
  boxes.forEach(function(box) {
    box.checked = keys.indexOf(box.value) >= 0;
    box.addEventListener('change', function() {
      keys = boxes.filter(function(b) { return b.checked; }).map(function(b) { return b.value; });
      draw();
    });
  });
  var tilesBox = document.getElementById('tiles');
  tilesBox.checked = tiles;
  tilesBox.addEventListener('change', function() {
    tiles = tilesBox.checked; remember(); location.reload();
  });
  var panel = document.getElementById('panel'), toggle = document.getElementById('panel-toggle');
  toggle.addEventListener('click', function() {
    panel.hidden = !panel.hidden;
    toggle.setAttribute('aria-expanded', String(!panel.hidden));
  });
  draw();
  // ready once the first draw's time is logged (its frame), so a count taken then holds
  requestAnimationFrame(function() { app.dataset.ready = 'true'; });
})();
