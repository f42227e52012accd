// A story step's view (lib/story.py): the first step is fitted at once, every later
// one flown to, so the reader sees the map move from one place to the next. A reader
// who asks for reduced motion gets the jump without the flight.
function(map, bounds) {
  var still = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
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
