/* Crumb gate: the only Crumb code that runs in a website's own page.
 *
 * Served as /sites/{site}/gate.js with the site's config (server/gate_config.py) in place of the
 * token at the bottom. It reads the consent cookie, signals Google Consent Mode, honours Global
 * Privacy Control, wakes the elements the visitor agreed to, offers window.crumb, and shows the
 * settings button: all a returning visitor needs. Everything else (the widget frame, embed
 * placeholders, deleting withdrawn storage) is in gate_ui.js, loaded from the Crumb origin only
 * when it is needed. Its only text is the settings button's.
 * Contracts: DESIGN.md sections 4-7 and widget/PROTOCOL.md. ES2017, no dependencies.
 *
 * Size: the budget is 3 KB brotli with the config. The builder strips comments and shortens
 * every local name (server/js_names.py), so names here are chosen for reading; what sets the
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

  /* The consent cookie (DESIGN 5) -> the consent object when valid, 'outdated' when it is a
   * well-formed consent to another revision (ask again, saying the policy changed), else null.
   * Anything odd is null: never throw, never read it as yes. Unknown categories or services,
   * a missing required category, or a key too many or too few reject the whole cookie.
   * widget/consent_cookie.py is the Python twin; tests/vectors/consent_cookie.json checks both. */
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

  /* A consent object -> the cookie value: encodeURIComponent(JSON), keys in DESIGN 5's order. */
  const encode = c => encodeURIComponent(JSON.stringify(
    {v: 1, id: c.id, rev: c.rev, cats: c.cats, svcs: c.svcs, at: c.at, exp: c.exp, how: c.how}));

  if (typeof document == 'undefined') return globalThis.crumbCookie = {read, encode};

  const w = window, d = document, ck = C.cookies, loc = location;
  if (w.crumb && w.crumb.accepted) return;  // embedded twice: the first gate is in charge
  const ORIGIN = new URL(d.currentScript.src).origin,         // the Crumb server this gate came from
    page = loc.origin + loc.pathname,
    gpc = !!C.gpc && navigator.globalPrivacyControl === true,  // honour the browser's signal (C.gpc: sale-or-share categories, or null)
    done = new WeakSet,                                    // elements woken, or made by waking
    holders = new Map,                                     // blocked iframe -> its placeholder (0: coming)
    ran = new Set,                                         // categories and services run on this page view
    fire = (name, detail) => d.dispatchEvent(new CustomEvent('crumb:' + name, {detail})),
    copy = () => consent && JSON.parse(JSON.stringify(consent)),
    accepted = id => req.includes(id) || !!consent && (consent.cats.includes(id) || consent.svcs.includes(id)),
    cookie = name => (d.cookie.match('(?:^|; )' + name.replace(/\W/g, '\\$&') + '=([^;]*)') || [])[1],
    setCookie = (name, value, days, domain) => d.cookie = name + '=' + value + ';Path=/;Max-Age=' +
      Math.round(days * 864e2) + ';SameSite=Lax' + (loc.protocol == 'https:' ? ';Secure' : '') +
      (domain ? ';Domain=' + domain : '');

  /* Google Consent Mode v2 (issue 5): the default goes to dataLayer synchronously, before the
   * gate does anything else, in the form Google's tag reads (gtag's Arguments objects), so that a
   * Google tag placed after a non-async gate starts with everything but security denied. */
  const cm = C.consent_mode, dl = cm && (w.dataLayer = w.dataLayer || []),
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

  /* Language cookie, then <html lang>, then the browser's languages, then the default; each as
   * the full code, then its prefix (as the server's Policy.language_for). */
  function language() {
    for (const code of [cookie(ck.language), d.documentElement.lang, ...navigator.languages]) {
      const prefix = (code || '').split('-')[0].toLowerCase(),
        match = C.languages.find(l => l == code) || C.languages.find(l => l.split('-')[0].toLowerCase() == prefix);
      if (code && match) return match;
    }
    return C.languages[0];
  }

  /* The UI chunk (gate_ui.js, from the Crumb origin) runs `f` once it is here; it is fetched the
   * first time anything needs it. It hands its functions over through its own script element. */
  function ui(f) {
    if (U) return f(U);
    if (!waiting) {
      const s = d.createElement('script');
      s.src = ORIGIN + '/sites/' + C.site + '/gate-ui.js';
      s.onload = () => waiting.forEach(g => g(U = U || s.crumb(core)));
      d.head.append(s);
    }
    (waiting = waiting || []).push(f);
  }

  /* --- deciding ------------------------------------------------------------------------ */

  /* A random UUID4 (crypto.randomUUID exists only on https pages). */
  const uuid = () => '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, x =>
    (x ^ crypto.getRandomValues(new Uint8Array(1))[0] & 15 >> x / 4).toString(16));

  /* Record a decision: write the cookie, signal it, tell the page, delete what was withdrawn
   * (the UI chunk does) and reload if it had run, wake what is now allowed. `receipt`: the gate
   * posts the receipt itself (API calls, GPC, placeholders); the widget posts its own. */
  function decide(yesCats, yesSvcs, how, id, receipt) {
    const all = cats.concat(svcs), before = all.filter(accepted),
      c = cats.filter(i => req.includes(i) || yesCats.includes(i)), s = svcs.filter(i => yesSvcs.includes(i)),
      days = c.length > req.length || s.length ? ck.consent_days : ck.refusal_days, at = now();
    consent = found = {v: 1, id: UUID4.test(id) ? id : uuid(), rev: C.revision, cats: c, svcs: s,
                       at, exp: at + days * 86400, how};
    setCookie(ck.consent, encode(consent), days, ck.domain);
    signal();
    if (receipt) {
      fetch(ORIGIN + '/api/v1/sites/' + C.site + '/consents', {
        method: 'POST', keepalive: true, headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({consent_id: consent.id, revision: C.revision, categories: c, services: s,
                              method: how, language: lang, page}),
      }).catch(() => {});  // the choice stands even if the receipt is lost
    }
    U && U.close();
    fire('consent', copy());
    fire('change', {accepted: all.filter(accepted), rejected: all.filter(i => !accepted(i))});
    const gone = before.filter(i => !accepted(i));
    gone.length ? ui(u => { u.forget(gone); gone.some(i => ran.has(i)) ? loc.reload() : activate(); }) : activate();
  }

  /* --- waking elements (DESIGN 6) ------------------------------------------------------ */

  /* Wake every allowed sleeping element in document order; blocked iframes get a placeholder. */
  function activate() {
    for (const el of d.querySelectorAll('script[type="text/plain"][data-category],[data-category][data-src]')) {
      const s = el.dataset.service, id = C.services[s] ? s : el.dataset.category;
      if (done.has(el)) continue;
      if (accepted(id)) wake(el);
      else if (el.tagName == 'IFRAME' && !holders.has(el)) holders.set(el, 0), ui(u => u.block(el, s, el.dataset.category));
    }
  }

  function wake(el) {
    const box = holders.get(el);
    done.add(el);
    holders.delete(el);
    ran.add(el.dataset.category).add(el.dataset.service);
    if (box) box.remove(), el.style.display = '';
    if (el.tagName != 'SCRIPT') return el.src = el.dataset.src;
    /* A live copy: every attribute kept (the nonce by its property: browsers hide the
     * attribute), data-type becoming type (modules); an external one holds the queue until it
     * has loaded or failed. */
    queue = queue.then(() => new Promise(next => {
      const s = d.createElement('script'), src = el.dataset.src || el.getAttribute('src');
      for (const a of el.attributes) s.setAttribute(a.name, a.value);
      s.nonce = el.nonce;
      s.type = el.dataset.type || '';
      done.add(s);
      if (src) s.onload = s.onerror = next, s.src = src;
      else s.text = el.text;
      el.replaceWith(s);
      src || next();
    }));
  }

  /* The optional floating "Cookie settings" button (policy setting settings_button), shown
   * while no frame is open (`hide`: one is). C.settings: [side, {language: text}], or null. */
  function settings(hide) {
    if (!C.settings) return;
    if (!button) {
      button = d.createElement('button');
      button.style.cssText = 'font:15px system-ui;padding:6px 12px;border:1px solid;border-radius:6px;' +
        'background:#fff;color:#111;cursor:pointer;position:fixed;bottom:16px;z-index:2147483646;' + C.settings[0] + ':16px';
      button.textContent = C.settings[1][lang];
      button.onclick = api.showPreferences;
      button.dataset.crumbSettings = '';
    }
    hide ? button.remove() : d.body.append(button);
  }

  /* --- window.crumb (DESIGN 7) --------------------------------------------------------- */

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
    core = {C, HOW, ORIGIN, page, gpc, holders, fire, copy, decide, wake, settings, setCookie,
            consent: () => consent, found: () => found, lang: next => next ? lang = next : lang};

  /* --- start: the steps, in order ------------------------------------------------------ */

  w.crumb = api;
  d.addEventListener('click', e => {
    if (e.target.closest && e.target.closest('[data-crumb-open]')) e.preventDefault(), api.showPreferences();
  });
  // Early calls first, so that a queued function can listen to this page view's events.
  // A bad queued call must not stop the gate: it is reported, and the next one runs.
  if (Array.isArray(early)) early.forEach(item => { try { api.push(item); } catch (e) { setTimeout(() => { throw e; }); } });
  // Global Privacy Control (issue 5): with the signal on and no optional category left but
  // sale-or-share ones, those are refused without asking, recorded as method gpc.
  if (!consent && gpc && cats.length > req.length && cats.every(i => req.includes(i) || C.gpc.includes(i))) {
    decide([], svcs.filter(s => req.includes(C.services[s])), 'gpc', 0, 1);
  } else {
    if (consent) signal();
    activate();
    if (consent) fire('consent', copy());
  }
  new MutationObserver(activate).observe(d.documentElement, {childList: true, subtree: true});
  // The banner (open() with no mode: unless a decision comes first, while the chunk is on its way).
  if (!consent && cats.length > req.length) open();
  else d.body ? settings() : d.addEventListener('DOMContentLoaded', () => settings());
})(__CRUMB_CONFIG__);
