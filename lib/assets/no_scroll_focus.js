// A press on a map focuses it (Leaflet's keyboard handler), and the page that holds the
// map's frame then scrolled the frame into view on the mouse-down: on Compare, the
// click landed 135 px from where the reader aimed. The map takes focus in place.
function(map) {
  var box = map.getContainer(), focus = box.focus;
  box.focus = function() { focus.call(box, {preventScroll: true}); };
}
