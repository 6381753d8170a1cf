// The lower bound: the least a consent banner can do, hand-written, no library.
// Shows two buttons, keeps the choice in a cookie, and wakes the sleeping scripts on "Accept all".
(function () {
  "use strict";
  var COOKIE = "plain_consent";

  function stored() {
    var match = document.cookie.match(/(?:^|; )plain_consent=([^;]*)/);
    return match ? match[1] : null;
  }

  function activate() {
    var sleeping = document.querySelectorAll('script[type="text/plain"][data-category]');
    for (var i = 0; i < sleeping.length; i++) {
      var live = document.createElement("script");
      live.src = sleeping[i].getAttribute("src");
      sleeping[i].replaceWith(live);
    }
  }

  function decide(value, banner) {
    document.cookie = COOKIE + "=" + value + "; Path=/; Max-Age=" + 182 * 86400 + "; SameSite=Lax";
    banner.remove();
    if (value === "all") activate();
  }

  function button(label, value, banner) {
    var element = document.createElement("button");
    element.type = "button";
    element.textContent = label;
    element.dataset.choice = value;
    element.style.cssText = "margin:0 .5rem 0 0;padding:.5rem 1rem;font:inherit;cursor:pointer";
    element.addEventListener("click", function () { decide(value, banner); });
    return element;
  }

  function show() {
    var banner = document.createElement("div");
    banner.id = "plain-banner";
    banner.setAttribute("role", "dialog");
    banner.setAttribute("aria-label", "Cookie consent");
    banner.style.cssText = "position:fixed;left:0;right:0;bottom:0;padding:1rem;background:#fff;" +
      "color:#1b1b1f;box-shadow:0 -2px 8px rgba(0,0,0,.2);font:15px/1.4 system-ui,sans-serif;z-index:9999";
    var text = document.createElement("p");
    text.textContent = "We use cookies and similar technologies. Some are necessary for the site to " +
      "work. Others are optional: we use them for statistics and marketing only if you allow it.";
    banner.appendChild(text);
    banner.appendChild(button("Accept all", "all", banner));
    banner.appendChild(button("Reject all", "none", banner));
    document.body.appendChild(banner);
  }

  function start() {
    var choice = stored();
    if (choice === "all") activate();
    else if (choice === null) show();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
