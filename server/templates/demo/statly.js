/* "Statly Analytics": a fictional third-party analytics script for the demo. It does what real
   ones do: sets first-party cookies and a local-storage queue on the page that loads it. */
(function () {
  'use strict';
  var year = 365 * 86400;
  if (document.cookie.indexOf('_st_id=') < 0) {
    document.cookie = '_st_id=' + Math.random().toString(36).slice(2) + '; path=/; max-age=' + year + '; samesite=lax';
  }
  document.cookie = '_st_ses_' + Date.now().toString(36) + '=1; path=/; max-age=1800; samesite=lax';
  var queue = JSON.parse(localStorage.getItem('statly_queue') || '[]');
  queue.push({event: 'pageview', path: location.pathname});
  localStorage.setItem('statly_queue', JSON.stringify(queue.slice(-20)));
  if (window.demoMark) window.demoMark('statly', 'running: page view counted');
  else document.addEventListener('DOMContentLoaded', function () { window.demoMark('statly', 'running: page view counted'); });
})();
