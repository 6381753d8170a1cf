/* Crumb gate: the only Crumb code that runs in a website's own page.
 *
 * Served as /sites/{site}/gate.js with the site's config (server/gate_config.py) in place of the
 * token at the bottom. It reads the consent cookie, signals Google Consent Mode, honours Global
 * Privacy Control, wakes the elements the visitor agreed to, offers window.crumb, and shows the
 * settings button: all a returning visitor needs. Everything else (the widget frame, embed
 * placeholders, deleting withdrawn storage) is in gate_ui.js, loaded from the Crumb origin only
 * when it is needed. Its only text is the settings button's.
 * Contracts: README ("How it fits together", "Embedding on your website") and widget/PROTOCOL.md.
 * ES2018, no dependencies.
 *
 * Auto-blocking (README, "Auto-blocking") is written between the markers that open with
 * "+block" and close with "-block": package_builder.py builds two templates from this file, one
 * with those parts for sites whose policy lists service hosts, one without them for every other
 * site.
 *
 * The page may hold hostile HTML (README, "Running in production": DOM clobbering): an element
 * named `cookie`, `body` or `currentScript` shadows the document's own property of that name,
 * and an element with id `crumb` or `dataLayer` becomes a global. So the gate reads the document
 * only through Document.prototype (`dg`, `dc`), never takes its own origin from the page (the
 * server bakes it in as C.origin), and checks the type of every global it reads.
 *
 * Size: the budget is 3 KB brotli with the config (3.5 KB with auto-blocking). The builder strips
 * comments and shortens every local name, so names here are chosen for reading; what sets the
 * size is the code itself: one path per job, no helper for a single use.
 *
 * Outside a browser page (no `document`: the V8 test of tests/vectors/consent_cookie.json) the
 * gate only exports its consent-cookie reader and encoder, as globalThis.crumbCookie.
 */
(C => {
  const HOW = ['accept_all', 'reject_all', 'custom', 'gpc'],
    UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    cats = C.categories,                                  // category ids, in policy order
    req = C.required,                                     // ids of the required categories
    svcs = Object.keys(C.services),                       // service ids (C.services: id -> category id)
    has = (list, known) => Array.isArray(list) && new Set(list).size == list.length &&
      list.every(i => known.includes(i)),
    now = () => Math.floor(Date.now() / 1e3),
    int = Number.isInteger;

  /* The consent cookie (README, "The consent cookie") -> the consent object when valid,
   * 'outdated' when it is a well-formed consent to another revision (ask again, saying the
   * policy changed), else null. Anything odd is null: never throw, never read it as yes.
   * Unknown categories or services, a missing required category, or a key too many or too few
   * reject the whole cookie. widget/consent_cookie.py is the Python twin;
   * tests/vectors/consent_cookie.json checks both. */
  const read = (raw, time) => {
    let c;
    try {
      c = raw.length <= 4096 && JSON.parse(decodeURIComponent(raw));
    } catch (e) {}
    return !c || Object.keys(c).sort() + '' != 'at,cats,exp,how,id,rev,svcs,v' || c.v !== 1 ||
      typeof c.id != 'string' || !UUID4.test(c.id) ||
      ![c.rev, c.at, c.exp].every(int) || !HOW.includes(c.how) || !Array.isArray(c.cats) ||
      !Array.isArray(c.svcs) ? null
      : c.rev !== C.revision ? 'outdated'
      : c.exp > time && c.at <= c.exp && has(c.cats, cats) && req.every(i => c.cats.includes(i)) &&
        has(c.svcs, svcs) ? c : null;
  };

  /* A consent object -> the cookie value: encodeURIComponent(JSON), keys in the README's order. */
  const encode = c => encodeURIComponent(JSON.stringify(
    {v: 1, id: c.id, rev: c.rev, cats: c.cats, svcs: c.svcs, at: c.at, exp: c.exp, how: c.how}));

  if (typeof document == 'undefined') return globalThis.crumbCookie = {read, encode};

  const w = window, d = document, D = Document.prototype, ck = C.cookies, loc = location,
    dg = key => Reflect.get(D, key, d),                    // the document's own property, never an element named so
    dc = (key, ...args) => dg(key).apply(d, args),         // the document's own method
    create = tag => dc('createElement', tag);
  if (w.crumb && typeof w.crumb.accepted == 'function') return;  // embedded twice: the first gate is in charge
  const ORIGIN = C.origin,                                 // the Crumb server, baked in by it (--public-url)
    page = (loc.origin + loc.pathname).slice(0, 512),         // what a receipt may hold (server/receipts/submission.py)
    gpc = !!C.gpc && navigator.globalPrivacyControl === true,  // honour the browser's signal (C.gpc: 0 ignore, 1 respect, 2 refuse alone)
    done = new WeakSet,                                    // elements woken, or made by waking
    holders = new Map,                                     // blocked iframe -> its placeholder (0: coming)
    ran = new Set,                                         // categories and services run on this page view
    fire = (name, detail) => dc('dispatchEvent', new CustomEvent('crumb:' + name, {detail})),
    copy = () => consent && JSON.parse(JSON.stringify(consent)),
    /* Allowed now: a required category, a service of one, or what the consent accepts. */
    accepted = id => req.includes(id) || req.includes(C.services[id]) ||
      !!consent && (consent.cats.includes(id) || consent.svcs.includes(id)),
    cookie = name => (dg('cookie').match('(?:^|; )' + name.replace(/\W/g, '\\$&') + '=([^;]*)') || [])[1];

  /* Google Consent Mode v2 (README, "Consent signals"): the default goes to dataLayer
   * synchronously, before the gate does anything else, in the form Google's tag reads (gtag's
   * Arguments objects), so that a Google tag placed after a non-async gate starts with
   * everything but security denied. A dataLayer that is not an array (an element with that id)
   * is replaced. */
  const cm = C.consent_mode, dl = cm && (w.dataLayer = Array.isArray(w.dataLayer) ? w.dataLayer : []),
    KEYS = 'ad_storage ad_user_data ad_personalization analytics_storage functionality_storage personalization_storage security_storage'.split(' '),
    gtag = function () { dl.push(arguments); },
    grants = yes => Object.fromEntries(KEYS.map(k => [k, k == KEYS[6] || yes(k) ? 'granted' : 'denied']));
  if (dl) {
    gtag('consent', 'default', {...grants(() => 0), wait_for_update: cm.wait_for_update});
    for (const k of ['ads_data_redaction', 'url_passthrough']) gtag('set', k, cm[k]);
  }

  /* After a decision and on every page view with valid consent: a key is granted when an
   * accepted category or service lists it (cm.keys: key -> those ids); then an event for tag
   * managers. */
  function signal() {
    if (!dl) return;
    gtag('consent', 'update', grants(k => (cm.keys[k] || []).some(accepted)));
    dl.push({event: 'crumb_consent_update', crumb_categories: [...consent.cats], crumb_services: [...consent.svcs]});
  }

  let found = read(cookie(ck.consent), now()),
    consent = found && found.v ? found : null,
    lang = language(),
    button, U, waiting,                                    // U: the UI chunk, once loaded
    queue = Promise.resolve();                             // external scripts run one after another

  /*+block*/
  /* --- auto-blocking (README, "Auto-blocking"): what page code inserts from a service's hosts -------
   * C.hosts: [[host or "*." + domain, service id], ...]. An element page code gives such a URL
   * (property, setAttribute) keeps none: the URL is held on the element (`crumbHeld`) and set when
   * the service is accepted, in the order the elements were held (`asleep`). Markup handed over
   * as text (innerHTML, insertAdjacentHTML, document.write) and elements the parser or the DOM
   * inserts with such a URL become sleeping markup, woken like the site's own. fetch, XHR and
   * sendBeacon to those hosts fail. */
  const H = new Map(C.hosts), asleep = new Set, E = Element.prototype, setAttr = E.setAttribute,
    url = el => el.tagName == 'LINK' ? 'href' : 'src',     // the attribute that makes an element load
    stop = v => {                                          // the service blocking a URL, or 0
      let host = '';
      try { host = new URL(v, loc.href).hostname; } catch (e) {}
      const part = host.split('.'), keys = [host];
      while (part.length) keys.push('*.' + part.join('.')), part.shift();
      const s = H.get(keys.find(k => H.has(k)));
      // An accepted service's URL goes through: it has run, so withdrawing it reloads the page.
      return s && (accepted(s) ? (ran.add(C.services[s]).add(s), 0) : s);
    },
    stopping = (el, name, v) => /^(SCRIPT|IFRAME|IMG|LINK)$/.test(el.tagName) && name == url(el) && stop(v),
    // Truthy when the URL is held instead of set.
    hold = (el, name, v, s = stopping(el, name, v)) => s && asleep.add(el, el.crumbHeld = [name, v, s]),
    /* A held URL in markup text: the element becomes sleeping markup, as a site owner writes it. */
    sleep = el => {                                        // (the site's own sleeping markup is left as it is)
      const name = url(el), v = el.getAttribute(name), data = el.dataset, s = !data.category && stopping(el, name, v);
      if (s) data.category = C.services[s], data.service = s, data.src = v, el.removeAttribute(name),
        el.tagName == 'SCRIPT' && (data.type = el.type, el.type = 'text/plain');
    },
    inner = Object.getOwnPropertyDescriptor(E, 'innerHTML'),
    tidy = (html, scripts) => {                            // markup text with its held URLs asleep
      const t = create('template');
      inner.set.call(t, html);
      t.content.querySelectorAll(scripts ? 'iframe,img,link,script' : 'iframe,img,link').forEach(sleep);
      return inner.get.call(t);
    },
    patch = (proto, name, make) => Object.defineProperty(proto, name, make(Object.getOwnPropertyDescriptor(proto, name)));
  for (const P of [HTMLScriptElement, HTMLIFrameElement, HTMLImageElement, HTMLLinkElement]) {
    const name = P == HTMLLinkElement ? 'href' : 'src';
    patch(P.prototype, name, o => ({...o, set(v) { hold(this, name, v) || o.set.call(this, v); }}));
  }
  E.setAttribute = function (name, v) { hold(this, (name + '').toLowerCase(), v) || setAttr.call(this, name, v); };
  patch(E, 'innerHTML', o => ({...o, set(v) { o.set.call(this, tidy(v + '')); }}));
  for (const [P, name, at] of [[E, 'insertAdjacentHTML', 1], [D, 'write'], [D, 'writeln']]) {
    const f = P[name];
    P[name] = function (...args) { args[at | 0] = tidy(args[at | 0] + '', !at); return f.apply(this, args); };
  }
  const fetcher = w.fetch, X = XMLHttpRequest.prototype, xopen = X.open, xsend = X.send, beacon = navigator.sendBeacon;
  w.fetch = function (r) { return stop(r && r.url || r) ? Promise.reject(new TypeError('Crumb')) : fetcher.apply(this, arguments); };
  X.open = function (method, v) { this.crumbStop = stop(v); return xopen.apply(this, arguments); };
  X.send = function () { this.crumbStop ? setTimeout(() => this.dispatchEvent(new ProgressEvent('error'))) : xsend.apply(this, arguments); };
  navigator.sendBeacon = function (v) { return !stop(v) && beacon.apply(this, arguments); };
  /*-block*/

  /* Language cookie, then <html lang>, then the browser's languages, then the default; each as
   * the full code, then its prefix (as the server's Policy.language_for). */
  function language() {
    for (const code of [cookie(ck.language), dg('documentElement').lang, ...navigator.languages]) {
      const prefix = (code || '').split('-')[0].toLowerCase(),
        match = C.languages.find(l => l == code) || C.languages.find(l => l.split('-')[0].toLowerCase() == prefix);
      if (code && match) return match;
    }
    return C.languages[0];
  }

  /* The UI chunk (gate_ui.js, from the Crumb origin) runs `f` once it is here; it is fetched the
   * first time anything needs it, without credentials (a consent cookie scoped to a parent
   * domain must not travel to Crumb). It hands its functions over through its own script element. */
  function ui(f) {
    if (U) return f(U);
    if (!waiting) {
      const s = create('script');
      s.crossOrigin = 'anonymous';
      s.src = ORIGIN + '/sites/' + C.site + '/gate-ui.js';
      s.onload = () => waiting.forEach(g => g(U = U || s.crumb(core)));
      dg('head').append(s);
    }
    (waiting = waiting || []).push(f);
  }

  /* --- deciding ------------------------------------------------------------------------ */

  /* A decision (API calls, GPC, the widget, a placeholder) is made by the UI chunk, which a
   * returning visitor who decides nothing never fetches; the API's calls resolve once it is
   * recorded. */
  const decide = (...args) => new Promise(settled => ui(u => settled(u.decide(...args))));

  /* --- waking elements (README, "Put third-party code to sleep") ---------------------- */

  /* Wake every allowed sleeping element in document order (then, with auto-blocking, every held
   * one in the order it was held); blocked iframes get a placeholder. Only the element kinds the
   * gate wakes are looked at: a form with the same attributes is not one of them. */
  function activate() {
    const block = (el, s, category) => el.tagName == 'IFRAME' && el.isConnected && !holders.has(el) &&
      (holders.set(el, 0), ui(u => u.block(el, s, category)));
    for (const el of dc('querySelectorAll', 'script[type="text/plain"][data-category],:is(iframe,img,link)[data-category][data-src]')) {
      const s = el.dataset.service, id = C.services[s] ? s : el.dataset.category;
      if (done.has(el)) continue;
      if (accepted(id)) wake(el);
      else block(el, s, el.dataset.category);
    }
    /*+block*/
    // Held elements wake in the UI chunk, after a decision: until then none is accepted.
    for (const el of asleep) done.has(el) || block(el, el.crumbHeld[2], C.services[el.crumbHeld[2]]);
    /*-block*/
  }

  function wake(el) {
    const box = holders.get(el), data = el.dataset;
    done.add(el);
    holders.delete(el);
    ran.add(data.category).add(data.service);
    if (box) box.remove(), el.style.display = '';
    if (el.tagName != 'SCRIPT') return el[el.tagName == 'LINK' ? 'href' : 'src'] = data.src;
    /* A live copy: every attribute kept (the nonce by its property: browsers hide the
     * attribute), data-type becoming type (modules); an external one holds the queue until it
     * has loaded or failed. */
    queue = queue.then(() => new Promise(next => {
      const s = create('script'), src = data.src || el.getAttribute('src');
      for (const a of el.attributes) s.setAttribute(a.name, a.value);
      s.nonce = el.nonce;
      s.type = data.type || '';
      done.add(s);
      if (src) s.onload = s.onerror = next, s.src = src;
      else s.text = el.text;
      el.replaceWith(s);
      src || next();
    }));
  }

  /* The optional floating "Cookie settings" button (policy setting settings_button), shown
   * while no frame is open (`hide`: one is). C.settings: [{language: text}, css, focus ring],
   * drawn by the server from the site's theme (its dark colours through CSS light-dark()); the
   * ring shows for keyboard focus, through the CSSOM (style-src may forbid a stylesheet). */
  function settings(hide) {
    if (!C.settings) return;
    if (!button) {
      button = create('button');
      button.style.cssText = C.settings[1];
      button.textContent = C.settings[0][lang];
      button.onclick = api.showPreferences;
      button.onfocus = () => button.style.outline = button.matches(':focus-visible') ? C.settings[2] : '';
      button.onblur = () => button.style.outline = '';
      button.dataset.crumbSettings = '';
    }
    hide ? button.remove() : dg('body').append(button);
  }

  /* --- window.crumb (README, "JavaScript API") ------------------------------------------ */

  /* Calls made before the gate loaded wait in `window.crumb = window.crumb || []`: functions
   * (called with the API) or arrays such as ['show'] and ['acceptAll']. After loading,
   * crumb.push() runs them at once, so a page can always use that form. */
  const open = next => ui(u => u.open(next)),
    api = {
      show: () => open('banner'),
      showPreferences: () => open('preferences'),
      acceptAll: () => decide(cats, svcs, 'accept_all', consent && consent.id, 1),
      rejectAll: () => decide([], [], 'reject_all', consent && consent.id, 1),
      consent: copy,
      accepted,
      push: item => item.call ? item(api) : api[item[0]](...item.slice(1)),
    }, early = w.crumb,
    /* What the UI chunk may use; `lang` reads, or sets when given a language. */
    core = {C, HOW, UUID4, ORIGIN, page, gpc, holders, done, ran, fire, copy, accepted, encode, signal, activate,
            wake, settings, dg, dc, create, /*+block*/asleep, setAttr, /*-block*/
            consent: () => consent, found: () => found,
            commit: c => consent = found = c, lang: next => next ? lang = next : lang};

  /* --- start: the steps, in order ------------------------------------------------------ */

  w.crumb = api;
  dc('addEventListener', 'click', e => {
    if (e.target.closest && e.target.closest('[data-crumb-open]')) e.preventDefault(), api.showPreferences();
  });
  // Early calls first, so that a queued function can listen to this page view's events.
  // A bad queued call must not stop the gate: it is reported, and the next one runs.
  if (Array.isArray(early)) early.forEach(item => { try { api.push(item); } catch (e) { setTimeout(() => { throw e; }); } });
  // Global Privacy Control (README, "Consent signals"): with the signal on and every optional
  // category one that sells or shares (C.gpc 2), they are refused without asking, as method gpc.
  if (!consent && gpc && C.gpc > 1) {
    decide([], [], 'gpc', 0, 1);
  } else {
    if (consent) signal();
    activate();
    if (consent) fire('consent', copy());
  }
  new MutationObserver(records => {
    /*+block*/
    for (const r of records) for (const n of r.addedNodes) {
      // A woken or held element has no URL that stops it: sleep() leaves it alone.
      if (n.nodeType == 1) [n, ...n.querySelectorAll('script,iframe,img,link')].forEach(sleep);
    }
    /*-block*/
    activate();
  }).observe(dg('documentElement'), {childList: true, subtree: true});
  // The banner (open() with no mode: unless a decision comes first, while the chunk is on its way).
  if (!consent && cats.length > req.length) open();
  else dg('body') ? settings() : dc('addEventListener', 'DOMContentLoaded', () => settings());
})(__CRUMB_CONFIG__);
