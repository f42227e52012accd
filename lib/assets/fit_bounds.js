// A map's first view: fit `bounds` once the frame has a size. streamlit-folium may run
// the map's script while its frame is still unsized, and Leaflet would fit to nothing.
function(map, bounds) {
  function fit() { map.invalidateSize(false); map.fitBounds(bounds, {animate: false}); }
  var box = map.getContainer();
  if (box.clientWidth && box.clientHeight) { fit(); return; }
  var observer = new ResizeObserver(function() {
    if (!box.clientWidth || !box.clientHeight) return;
    observer.disconnect();
    fit();
  });
  observer.observe(box);
}
