// The measuring probe, installed by Playwright in every frame before any of the frame's own
// scripts run. It reports to Python through the `__benchReport` binding as things happen, so a
// frame that is removed after the click (Crumb's widget frame) has already told what it saw.
//
// Times are `performance.now()` values of this frame plus its `performance.timeOrigin`, so
// Python can put the host page and a cross-origin frame on one clock: milliseconds since the
// host page's navigation started.
(() => {
  "use strict";
  // {watch: {origin: {banner: selector, accept: selector (optional)}}}
  const config = __BENCH_CONFIG__;
  const watched = config.watch[location.origin] || null;
  const timeOrigin = performance.timeOrigin;
  const pending = [];

  function deliver(item) {
    pending.push(item);
    if (typeof window.__benchReport !== "function") return;  // flushed on the next report
    while (pending.length) window.__benchReport(pending.shift());
  }

  // A frame's reports reach Python only when the frame's current task ends, and a frame
  // starting Brython runs long tasks. So a frame also posts what Python acts on (the button is
  // clickable) to the website's page, whose free thread relays it at once. The gate ignores
  // the message: it has no `v: 1`.
  const URGENT = new Set(["banner", "clickable"]);
  function report(kind, data) {
    const item = Object.assign({kind, timeOrigin, url: location.href}, data);
    if (window !== top && URGENT.has(kind)) top.postMessage({__benchProbe: item}, "*");
    deliver(item);
  }
  if (window === top) {
    addEventListener("message", (event) => {
      if (event.data && event.data.__benchProbe) deliver(event.data.__benchProbe);
    });
  }

  // Visible: in the DOM, rendered, not `visibility: hidden`, no opacity 0 on it or an ancestor,
  // with an area inside the viewport.
  function visible(element) {
    if (!element.checkVisibility({opacityProperty: true, visibilityProperty: true})) return false;
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0 &&
      box.top < innerHeight && box.left < innerWidth;
  }

  // Clickable: the accept button is visible, wholly inside the viewport, and a click at its
  // centre would land on it (what a person needs; not Playwright's wait for the end of motion).
  function clickable(button) {
    if (!visible(button)) return false;
    const box = button.getBoundingClientRect();
    if (box.top < 0 || box.left < 0 || box.bottom > innerHeight || box.right > innerWidth) return false;
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return hit !== null && button.contains(hit);
  }

  if (watched) {
    let seen = false, done = false;
    const check = () => {
      if (done) return true;
      if (!seen) {
        const banner = document.querySelector(watched.banner);
        if (banner && visible(banner)) {
          seen = true;
          report("banner", {at: performance.now()});
        }
      }
      if (seen && !watched.accept) return done = true;
      if (seen) {
        const button = document.querySelector(watched.accept);
        if (button && clickable(button)) {
          const box = button.getBoundingClientRect();  // Python clicks at this point at once
          report("clickable", {at: performance.now(), point: {x: box.left + box.width / 2, y: box.top + box.height / 2}});
          return done = true;
        }
      }
      return false;
    };
    // Checked in animation-frame callbacks only: they run just before the browser paints, so the
    // first one that finds the banner is the frame that shows it. (A check on DOM mutation would
    // be earlier than the paint when a long script runs right after the banner is parsed.)
    const everyFrame = () => { if (!check()) requestAnimationFrame(everyFrame); };
    requestAnimationFrame(everyFrame);
  }

  // When the visitor pressed the accept button: the press's own timestamp, which is when the
  // input happened, not when a busy main thread got round to it (a "click" event is stamped
  // only when it is made, after the release has been handled). Only a press that lands on the
  // accept button counts: a banner still sliding in can move away from the point aimed at.
  addEventListener("pointerdown", (event) => {
    const button = watched && watched.accept && document.querySelector(watched.accept);
    if (!event.isTrusted || !button || !button.contains(event.target) || window.__benchAcceptClicked) return;
    window.__benchAcceptClicked = true;
    report("click", {at: event.timeStamp});
  }, {capture: true});

  // Where a document's time goes: every resource it loads, and (in the website's page) the
  // messages a consent frame sends it, such as Crumb's "ready" when the Python widget runs.
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      report("resource", {at: entry.startTime, end: entry.responseEnd, name: entry.name});
    }
  }).observe({type: "resource", buffered: true});
  addEventListener("DOMContentLoaded", () => {
    const nav = performance.getEntriesByType("navigation")[0];
    if (nav) report("navigation", {at: nav.responseStart, end: nav.responseEnd, dom: nav.domInteractive});
  });
  addEventListener("message", (event) => {
    if (event.origin !== location.origin && event.data && typeof event.data.type === "string") {
      report("message", {at: performance.now(), type: event.data.type, from: event.origin});
    }
  });

  // Which scripts the long frames were spent in (Long Animation Frames, with script attribution).
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      for (const script of entry.scripts || []) {
        report("script", {at: script.startTime, duration: script.duration, name: script.sourceURL || script.invoker,
                          layout: script.forcedStyleAndLayoutDuration, invoker: script.invoker});
      }
    }
  }).observe({type: "long-animation-frame", buffered: true});

  const longTasks = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) report("longtask", {at: entry.startTime, duration: entry.duration});
  });
  longTasks.observe({type: "longtask", buffered: true});

  // Called by Python at the end of a visit: hand over long tasks not yet delivered.
  window.__benchFlush = () => {
    for (const entry of longTasks.takeRecords()) report("longtask", {at: entry.startTime, duration: entry.duration});
    return pending.length;
  };
})();
