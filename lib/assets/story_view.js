// A story step's view (lib/story.py): the first step is fitted at once, every later
// one flown to, so the reader sees the map move from one place to the next. A reader
// who asks for reduced motion gets the jump without the flight. The sites and places
// the step is about are named on the map (`labels`: [lat, lng, name]), and the step is
// read out to a screen reader (`announce`, the atlas loader's live region).
function(map, step) {
  var bounds = step.bounds;
  var still = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  if (map.__storyLabels) map.removeLayer(map.__storyLabels);
  map.__storyLabels = L.layerGroup((step.labels || []).map(function(l) {
    var text = document.createElement('span');
    text.textContent = l[2];  // a name from the data: text, never markup
    return L.tooltip({permanent: true, direction: 'right', offset: [8, 0],
                      className: 'story-label', interactive: false})
      .setLatLng([l[0], l[1]]).setContent(text);
  })).addTo(map);
  if (step.announce && window.__atlasAnnounce) window.__atlasAnnounce(step.announce);
  function go() {
    if (map.__storyShown && !still) map.flyToBounds(bounds, {duration: 1.2});
    else map.fitBounds(bounds, {animate: false});
    map.__storyShown = true;
    document.documentElement.dataset.storyBounds = JSON.stringify(bounds);
  }
  var box = map.getContainer();
  if (box.clientWidth && box.clientHeight) { go(); return; }
  var observer = new ResizeObserver(function() {  // the frame may not be sized yet
    if (!box.clientWidth || !box.clientHeight) return;
    observer.disconnect();
    map.invalidateSize(false);
    go();
  });
  observer.observe(box);
}
