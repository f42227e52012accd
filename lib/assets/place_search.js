// Find a place, a site or an event (lib/search.py): a search box on the map that
// suggests as one types, by any name the index holds (English, GeoNames' spellings,
// Arabic), and opens the chosen entry's card: who held it on each day (a strip in the
// holders' colours), when and by whom it was taken, the events there, its sources and
// its own link. Works by keyboard alone (a combobox: arrows, Enter, Escape). Every
// value from the data is set as text, never as markup.
// `data`: {index: [[id, kind, name, detail, lat, lng, [keys], weight]], cards: {...}
// (lib/search.cards_for_browser), labels: [day names]}. `onChoose(id)`: told of a choice.
// Returns {open(id): opens a card, normalize(text): the index's form of a name}.
function(map, data, onChoose) {
  var KINDS = ['place', 'site', 'event'];
  var SAME = {tal: 'tel', tall: 'tel', tell: 'tel', el: 'al', ul: 'al'};
  var APOSTROPHES = /['`\u2018\u2019\u02bf\u02be\u00b4\u02bc]/g;
  var ARABIC = {'\u0623': '\u0627', '\u0625': '\u0627', '\u0622': '\u0627', '\u0671': '\u0627',
                '\u0629': '\u0647', '\u0649': '\u064a'};
  // The same rules as lib/search.normalize (a test holds them to it).
  function normalize(text) {
    var t = String(text).normalize('NFKD').toLowerCase().replace(/\p{M}/gu, '')
      .replace(APOSTROPHES, '').replace(/[\u0623\u0625\u0622\u0671\u0629\u0649]/g,
                                         function(c) { return ARABIC[c]; })
      .replace(/\u0640/g, '');
    var words = t.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    return words.map(function(w) {
      w = w.replace(/(.)\1+/gu, '$1');
      return SAME[w] || w;
    }).join(' ');
  }
  function score(q, keys) {
    var best = null;
    for (var i = 0; i < keys.length; i++) {
      var k = keys[i], s = null;
      if (k === q) return 0;
      if (k.indexOf(q) === 0) s = 1;
      else if ((' ' + k).indexOf(' ' + q) >= 0) s = 2;
      else if (k.indexOf(q) >= 0) s = 3;
      if (s !== null && (best === null || s < best)) best = s;
    }
    return best;
  }
  function ranked(rows) {
    return rows.sort(function(a, b) {
      return a[0] - b[0] || KINDS.indexOf(a[1][1]) - KINDS.indexOf(b[1][1]) || b[1][7] - a[1][7]
        || (a[1][2] < b[1][2] ? -1 : a[1][2] > b[1][2] ? 1 : 0);
    }).map(function(r) { return r[1]; });
  }
  function find(query) {
    var q = normalize(query);
    if (!q) return [];
    var rows = [];
    data.index.forEach(function(e) { var s = score(q, e[6]); if (s !== null) rows.push([s, e]); });
    return ranked(rows).slice(0, 8);
  }
  function distance(a, b) {  // Levenshtein: letters to change, add or drop
    var prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) prev.push(j);
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      for (j = 1; j <= b.length; j++) {
        cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
      }
      prev = cur;
    }
    return prev[b.length];
  }
  function nearest(query) {
    var q = normalize(query), rows = [];
    if (!q) return [];
    data.index.forEach(function(e) {
      var d = Infinity;
      e[6].forEach(function(k) {
        d = Math.min(d, distance(q, k), distance(q, k.slice(0, q.length)) + 1);
      });
      rows.push([d, e]);
    });
    return ranked(rows).slice(0, 3);
  }
  var byId = {};
  data.index.forEach(function(e) { byId[e[0]] = e; });

  // ---- the card ----------------------------------------------------------------
  function el(tag, cls, text, parent) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined && text !== null) n.textContent = text;
    if (parent) parent.appendChild(n);
    return n;
  }
  function runs(holders) {  // "Government 26 Nov to 29 Nov; HTS 30 Nov to 8 Dec"
    var out = [], start = 0;
    for (var i = 1; i <= holders.length; i++) {
      if (i === holders.length || holders[i] !== holders[start]) {
        var who = holders[start] < 0 ? 'unknown' : data.cards.factions[holders[start]][0];
        out.push(who + ' ' + data.labels[start] + (i - 1 > start ? ' to ' + data.labels[i - 1] : ''));
        start = i;
      }
    }
    return out.join('; ');
  }
  function sourceList(ids, parent) {
    var known = ids.filter(function(s) { return data.cards.sources[s]; });
    if (!known.length) return;
    var p = el('p', 'card-sources', 'Sources: ', parent);
    known.forEach(function(s, i) {
      var src = data.cards.sources[s];
      if (i) p.appendChild(document.createTextNode(' \u00b7 '));
      var a = el('a', null, src[0], p);
      a.href = /^https?:\/\//.test(src[2]) ? src[2] : '#';
      a.target = '_blank'; a.rel = 'noopener noreferrer'; a.title = src[1];
    });
    var cite = el('details', 'cite', null, parent);  // ready to paste
    el('summary', null, 'Cite this', cite);
    var lines = el('ul', null, null, cite);
    known.forEach(function(s) { el('li', null, data.cards.sources[s][3], lines); });
  }
  function cardLink(id) {
    var loc = window.location;  // the embed's own; the app's page around its map frame
    try { if (window.parent.location.search !== undefined) loc = window.parent.location; }
    catch (e) {}  // a host page of another origin: the embed's own address
    if (loc.protocol === 'file:' || !loc.search && loc.hash) {  // the embed: its #hash
      var h = new URLSearchParams(loc.hash.slice(1)); h.set('place', id);
      return loc.origin + loc.pathname + '#' + h.toString();
    }
    var q = new URLSearchParams(loc.search); q.set('place', id);
    return loc.origin + loc.pathname + '?' + q.toString();
  }
  function card(id) {
    var e = byId[id], c = data.cards, box = el('div', 'place-card map-tip');
    el('h3', null, e[2], box);
    var info = c.info[id];
    var detail = e[3];
    if (info && info[0]) detail += ' \u00b7 ' + info[0];
    if (info && info[2]) detail += ' \u00b7 population ' + info[2].toLocaleString('en');
    if (info && e[1] === 'site' && info[1]) detail += ' \u00b7 ' + info[1];
    el('p', 'muted', detail, box);
    var holders = c.holders[id];
    if (holders) {
      var strip = el('div', 'day-strip', null, box);
      strip.setAttribute('role', 'img');
      strip.setAttribute('aria-label', 'Who held it each day: ' + runs(holders));
      holders.forEach(function(h, i) {
        var cell = el('span', null, null, strip);
        cell.style.background = h < 0 ? '#ffffff' : c.factions[h][1];
        cell.title = data.labels[i] + ': ' + (h < 0 ? 'unknown' : c.factions[h][0]);
      });
      var ends = el('div', 'day-strip-ends muted', null, box);
      el('span', null, data.labels[0], ends); el('span', null, data.labels[data.labels.length - 1], ends);
      el('p', null, 'Held by ' + runs(holders) + '.', box);
    }
    var t = c.taken[id];
    if (t) {
      el('p', null, 'Taken by ' + c.factions[factionIndex(t[1])][0] + ' on ' + data.labels[t[0]]
        + ' from ' + c.factions[factionIndex(t[2])][0] + ' (confidence ' + t[3] + ').', box);
    }
    var evs = e[1] === 'event' ? [id] : (c.at[id] || []);
    if (evs.length) {
      if (e[1] !== 'event') el('p', 'card-head', 'Events here', box);
      var list = el('ul', 'card-events', null, box);
      evs.forEach(function(eid) {
        var ev = c.events[eid], li = el('li', null, null, list);
        el('b', null, ev[0] + ': ' + ev[1], li);
        if (e[1] === 'event') { li.appendChild(document.createElement('br')); li.appendChild(document.createTextNode(ev[2])); }
      });
    }
    var cited = (c.cites[id] || []).slice();
    if (t) t[4].forEach(function(s) { if (cited.indexOf(s) < 0) cited.push(s); });
    evs.forEach(function(eid) {
      c.events[eid][3].forEach(function(s) { if (cited.indexOf(s) < 0) cited.push(s); });
    });
    sourceList(cited, box);
    var link = el('a', 'card-link', 'Link to this card', box);
    link.href = cardLink(id);
    return box;
  }
  function factionIndex(fid) {  // the cards' factions are listed in the data's order
    var i = data.cards.faction_ids.indexOf(fid);
    return i < 0 ? 0 : i;
  }
  function open(id) {
    var e = byId[id];
    if (!e) return false;
    var zoom = e[1] === 'event' ? 10 : 11;
    var still = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    if (still) map.setView([e[4], e[5]], zoom); else map.flyTo([e[4], e[5]], zoom, {duration: 0.8});
    L.popup({maxWidth: 340, autoPanPadding: [20, 20]}).setLatLng([e[4], e[5]])
      .setContent(card(id)).openOn(map);
    document.documentElement.dataset.card = id;
    return true;
  }

  // ---- the search box ------------------------------------------------------------
  var control = L.control({position: 'topright'});
  var input, list, status, options = [], active = -1;
  control.onAdd = function() {
    var box = L.DomUtil.create('div', 'place-search leaflet-bar');
    input = el('input', null, null, box);
    input.type = 'search'; input.placeholder = 'Find a place, base or event';
    input.setAttribute('role', 'combobox'); input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false'); input.setAttribute('aria-controls', 'place-results');
    input.setAttribute('aria-label', 'Find a place, base or event by any spelling or its Arabic name');
    input.autocomplete = 'off'; input.spellcheck = false;
    list = el('ul', 'place-results', null, box);
    list.id = 'place-results'; list.setAttribute('role', 'listbox'); list.hidden = true;
    status = el('div', 'visually-hidden', null, box);
    status.setAttribute('role', 'status'); status.setAttribute('aria-live', 'polite');
    L.DomEvent.disableClickPropagation(box); L.DomEvent.disableScrollPropagation(box);
    L.DomEvent.on(input, 'keydown', keydown);
    L.DomEvent.on(input, 'input', suggest);
    return box;
  };
  window.__searchTimes = [];  // ms from a keystroke to its suggestions drawn (bench)
  function suggest(ev) {
    var t0 = ev && ev.timeStamp ? ev.timeStamp : performance.now();
    var q = input.value.trim();
    list.textContent = ''; options = []; active = -1;
    input.removeAttribute('aria-activedescendant');
    if (!q) { close(); return; }
    var found = find(q), none = !found.length;
    if (none) {
      el('li', 'place-none', 'No place, base or event named \u201c' + q + '\u201d. Nearest:', list)
        .setAttribute('role', 'presentation');
      found = nearest(q);
    }
    found.forEach(function(e, i) {
      var li = el('li', 'place-option', null, list);
      li.id = 'place-option-' + i; li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      el('span', 'name', e[2], li); el('span', 'muted', ' ' + e[3], li);
      li.addEventListener('mousedown', function(m) { m.preventDefault(); choose(e[0]); });
      options.push([li, e[0]]);
    });
    list.hidden = false; input.setAttribute('aria-expanded', 'true');
    status.textContent = none ? 'No match. ' + found.length + ' nearest names.'
                              : found.length + ' suggestions.';
    requestAnimationFrame(function() { window.__searchTimes.push(performance.now() - t0); });
  }
  function close() {
    list.hidden = true; input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant'); active = -1;
  }
  function mark(i) {
    options.forEach(function(o, j) { o[0].setAttribute('aria-selected', String(j === i)); });
    active = i;
    if (i >= 0) { input.setAttribute('aria-activedescendant', options[i][0].id);
                  options[i][0].scrollIntoView({block: 'nearest'}); }
  }
  function keydown(e) {
    L.DomEvent.stopPropagation(e);  // the map's own keys (arrows pan) stay out of it
    if (e.key === 'ArrowDown' && options.length) {
      if (list.hidden) suggest(); mark((active + 1) % options.length); e.preventDefault();
    } else if (e.key === 'ArrowUp' && options.length) {
      mark(active <= 0 ? options.length - 1 : active - 1); e.preventDefault();
    } else if (e.key === 'Enter') {
      var i = active >= 0 ? active : 0;
      if (options[i]) { choose(options[i][1]); e.preventDefault(); }
    } else if (e.key === 'Escape') {
      if (!list.hidden) { close(); e.preventDefault(); } else { input.value = ''; }
    }
  }
  function choose(id) {
    close();
    input.value = byId[id][2];
    open(id);
    if (onChoose) onChoose(id);
  }
  control.addTo(map);
  return {open: open, normalize: normalize, find: function(q) {
    return find(q).map(function(e) { return e[0]; }); }};
}
