/* The demo site's own script: the panel that shows which services have loaded.
   First-party and necessary, so it is an ordinary script, not gated. */
(function () {
  'use strict';

  function mark(service, text) {
    var status = document.querySelector('[data-demo-status="' + service + '"]');
    if (status) {
      status.textContent = text;
      status.className = 'on';
    }
  }

  function markLoaded(element) {
    var service = element.dataset && element.dataset.service;
    if (service && element.tagName !== 'SCRIPT' && element.getAttribute('src')) mark(service, 'loaded');
  }

  window.demoMark = mark;
  // Images and frames woken by the gate report here (load does not bubble: capture it).
  document.addEventListener('load', function (event) { markLoaded(event.target); }, true);
  document.querySelectorAll('img[data-service], iframe[data-service]').forEach(function (element) {
    // A frame the gate woke while the page was parsed may have loaded before this deferred script.
    if (element.complete || element.tagName === 'IFRAME') markLoaded(element);
  });
  if (document.documentElement.dataset.layout) mark('layout', 'remembered: compact');
  new MutationObserver(function () {
    if (document.documentElement.dataset.layout) mark('layout', 'remembered: compact');
  }).observe(document.documentElement, {attributes: true, attributeFilter: ['data-layout']});
  document.addEventListener('crumb:change', function (event) {
    if (event.detail.rejected.indexOf('vidtube') >= 0) mark('vidtube', 'blocked: placeholder shown');
  });
})();
