/* The frame's boot script: runs as soon as the server-rendered first layer is parsed, long
 * before the Python widget is ready. It does three things and decides nothing:
 * - applies the theme's custom properties, so the first layer shows in the site's colours;
 * - tells the gate the banner's height (`resize`), so the gate can show it now, and again
 *   whenever it changes; and the layer (`mode`) when the widget switches between banner and
 *   preferences, so the gate re-places the frame;
 * - records clicks on the layer's buttons in `window.crumbEarly`; the Python widget
 *   replays them when it starts, so a visitor who clicks first is not ignored.
 * The Python widget takes the recorded clicks with `crumbTakeEarly()` and recording stops.
 * It also starts the Python widget, once the first layer has painted (see the end). */
(function () {
  'use strict';
  var d = document, policy = JSON.parse(d.getElementById('crumb-policy').textContent),
    root = d.getElementById('crumb-root'), html = d.documentElement,
    asked = new URLSearchParams(location.search).get('origin'),
    target = asked && (policy.origins.indexOf(asked) >= 0 || asked == location.origin) ? asked : null,
    props = policy.theme.properties, last = 0;
  for (var name in props) if (name.indexOf('--crumb-') == 0) html.style.setProperty(name, props[name]);
  // Only inside a frame of an allowed website (or of Crumb's own cookie-policy page) does the
  // widget do anything: opened on its own, as a popup of any site, it records and sends nothing.
  if (!target || parent === window) return;

  function post(message) {
    if (target && parent !== window) parent.postMessage(message, target);
  }
  function report() {
    var height = Math.ceil(root.getBoundingClientRect().height);
    if (height && height != last && d.body.getAttribute('data-crumb-mode') == 'banner') {
      post({type: 'resize', v: 1, height: last = height});
    }
  }
  /* The widget switched layer (banner <-> preferences): the gate re-places the frame. */
  function switched() {
    var mode = d.body.getAttribute('data-crumb-mode');
    if (mode == 'banner' || mode == 'preferences') post({type: 'mode', v: 1, mode: mode});
    last = 0;
    report();
  }
  switched();  // the first word to the gate: it shows the frame only once this script runs
  if (window.ResizeObserver) new ResizeObserver(report).observe(root);
  new MutationObserver(switched).observe(d.body, {attributes: true, attributeFilter: ['data-crumb-mode']});

  /* The Python widget's transport to the gate. Brython cannot hold a cross-origin window (it
   * reads properties of what it wraps), so `parent` is only ever touched here; which origin to
   * post to and which messages to accept is decided in Python (widget/messages.py). */
  window.crumbTransport = {
    framed: parent !== window,
    post: function (text, origin) { parent.postMessage(JSON.parse(text), origin); },
    listen: function (receive) {
      addEventListener('message', function (event) {
        var text;
        try { text = JSON.stringify(event.data); } catch (error) { return; }
        receive(event.origin, event.source === parent, text || 'null');
      });
    }
  };

  window.crumbEarly = [];
  window.crumbTakeEarly = function () {
    var early = window.crumbEarly || [];
    window.crumbEarly = null;
    return early;
  };
  root.addEventListener('click', function (event) {
    var button = event.target.closest('[data-crumb-action]');
    if (!button || !window.crumbEarly) return;
    event.preventDefault();
    window.crumbEarly.push(button.getAttribute('data-crumb-action'));
    button.setAttribute('aria-busy', 'true');
  });

  /* The Brython runtime and the widget run only after the first layer has painted: evaluating
   * them holds this frame's main thread for some 300 ms, and as deferred scripts they would run
   * before that paint. The page preloads both, so the network is not waited for either. */
  requestAnimationFrame(function () {
    setTimeout(function () {
      d.querySelectorAll('link[rel=preload][as=script]').forEach(function (link) {
        var script = d.createElement('script');
        script.src = link.href;
        script.async = false;  // in order: the runtime, then the widget
        d.head.appendChild(script);
      });
    });
  });
})();
