// folium's page head says `user-scalable=no, maximum-scale=1.0`, which forbids pinch
// zoom (WCAG 1.4.4; axe's meta-viewport): the map's frame says nothing of the kind.
// st_folium may add the head after the map's script has run: watched for.
function() {
  function fix() {
    var metas = document.querySelectorAll('meta[name="viewport"]');
    for (var i = 0; i < metas.length; i++) {
      if (/user-scalable\s*=\s*no|maximum-scale/.test(metas[i].content)) {
        metas[i].setAttribute('content', 'width=device-width, initial-scale=1');
      }
    }
  }
  fix();
  new MutationObserver(fix).observe(document.head, {childList: true, subtree: true});
}
