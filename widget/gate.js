/* Crumb gate: the only Crumb code that runs in a website's own page.
 *
 * Served as /sites/{site}/gate.js with the site's config (server/gate_config.py) in place of the
 * token at the bottom. It reads the consent cookie, wakes the elements the visitor agreed to,
 * keeps embed placeholders, offers window.crumb, and opens the widget frame (Python, from the
 * Crumb origin) only when a decision is needed or asked for. Its only texts are the placeholders'
 * and the settings button's: everything else a visitor reads is in the frame.
 * Contracts: DESIGN.md sections 4-7 and widget/PROTOCOL.md. ES2017, no dependencies.
 *
 * Size: the budget is 3 KB brotli with the config, and rjsmin keeps names, so the code is
 * terse on purpose: short local names, each explained where it is declared.
 *
 * Outside a browser page (no `document`: the V8 test of tests/vectors/consent_cookie.json) the
 * gate only exports its consent-cookie reader and encoder, as globalThis.crumbCookie.
 */
(C => {
  const HOW = ['accept_all', 'reject_all', 'custom', 'gpc'],
    UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    cats = C.categories,                                  // category ids, in policy order
    req = C.required,                                     // ids of the required categories
    svcs = Object.keys(C.services),                       // service id -> [category id, name]
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
    gpc = C.gpc == 'respect' && navigator.globalPrivacyControl === true,  // honour the browser's signal
    done = new WeakSet,                                    // elements woken, or made by waking
    holders = new Map,                                     // blocked iframe -> its placeholder
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
  const cm = C.consent_mode, dl = cm.enabled && (w.dataLayer = w.dataLayer || []),
    KEYS = ['ad_storage', 'ad_user_data', 'ad_personalization', 'analytics_storage',
            'functionality_storage', 'personalization_storage', 'security_storage'],
    gtag = function () { dl.push(arguments); },
    grants = yes => Object.fromEntries(KEYS.map(k => [k, k == KEYS[6] || yes(k) ? 'granted' : 'denied']));
  if (dl) {
    gtag('consent', 'default', {...grants(() => 0), wait_for_update: cm.wait_for_update});
    gtag('set', 'ads_data_redaction', cm.ads_data_redaction);
    gtag('set', 'url_passthrough', cm.url_passthrough);
  }

  /* After a decision and on every page view with valid consent: a key is granted when an
   * accepted category or service lists it; then an event for tag managers. */
  function signal() {
    if (!dl) return;
    gtag('consent', 'update', grants(k => Object.keys(cm.keys).some(id => accepted(id) && cm.keys[id].includes(k))));
    dl.push({event: 'crumb_consent_update', crumb_categories: consent.cats.slice(), crumb_services: consent.svcs.slice()});
  }

  let found = read(cookie(ck.consent), now()),
    consent = found && found.v ? found : null,
    lang = language(),
    frame, spent, mode, focusBack, inert = [], button,  // spent: the last closed frame
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

  const text = (key, name, category) => C.texts[lang][key].replace('{service}', () => name).replace('{category}', () => category);

  /* --- deciding ------------------------------------------------------------------------ */

  /* A random UUID4 (crypto.randomUUID exists only on https pages). */
  const uuid = () => '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, x =>
    (x ^ crypto.getRandomValues(new Uint8Array(1))[0] & 15 >> x / 4).toString(16));

  /* Record a decision: write the cookie, tell the page, delete what was withdrawn and reload if
   * it had run, wake what is now allowed. `receipt`: the gate posts the receipt itself (API calls
   * and placeholders); the widget posts its own. */
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
    close();
    fire('consent', copy());
    fire('change', {accepted: all.filter(accepted), rejected: all.filter(i => !accepted(i))});
    const gone = before.filter(i => !accepted(i));
    forget(gone);
    if (gone.some(i => ran.has(i))) return loc.reload();
    activate();
  }

  /* Delete the first-party cookies and storage entries of withdrawn categories and services
   * (names may hold *); a cookie may sit on this host or any parent domain: expire it on each. */
  function forget(gone) {
    const hosts = ['', ck.domain], parts = loc.hostname.split('.');
    while (parts.length > 1) hosts.push(parts.join('.')), parts.shift();
    for (const [kind, pattern, category, service] of C.storage) {
      if (!gone.includes(category) && !gone.includes(service)) continue;
      const re = RegExp('^' + pattern.replace(/[^\w*]/g, '\\$&').replace(/\*/g, '.*') + '$');
      try {
        if (kind == 'cookie') {
          for (const part of d.cookie.split('; ')) {
            const name = part.split('=')[0];
            if (re.test(name)) hosts.forEach(h => setCookie(name, '', 0, h));
          }
        } else {
          const store = w[kind == 'local_storage' ? 'localStorage' : 'sessionStorage'];
          Object.keys(store).forEach(k => re.test(k) && store.removeItem(k));
        }
      } catch (e) {}  // storage the browser blocks holds nothing of ours
    }
  }

  /* --- waking elements (DESIGN 6) ------------------------------------------------------ */

  /* Wake every allowed sleeping element in document order; blocked iframes get a placeholder. */
  function activate() {
    for (const el of d.querySelectorAll('script[type="text/plain"][data-category],[data-category][data-src]')) {
      const s = el.dataset.service, id = C.services[s] ? s : el.dataset.category;
      if (done.has(el)) continue;
      if (accepted(id)) wake(el);
      else if (el.tagName == 'IFRAME' && !holders.has(el)) block(el, s, el.dataset.category);
    }
  }

  function wake(el) {
    done.add(el);
    ran.add(el.dataset.category).add(el.dataset.service);
    if (holders.has(el)) holders.get(el).remove(), el.style.display = '';
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

  /* A blocked iframe: hidden behind a placeholder built from DOM nodes (texts stay text). */
  function block(el, s, category) {
    const title = C.texts[lang]['cat_' + category] || category, name = (C.services[s] || [])[1] || title,
      box = make('div', 'display:flex;flex-direction:column;justify-content:center;align-items:start;gap:8px;padding:16px;border:1px solid;' +
        'background:#eee;color:#111;max-width:100%;width:' + (el.width || 480) + 'px;min-height:' + (el.height || 270) + 'px');
    box.dataset.crumbPlaceholder = s || category;
    box.append(text('blocked', name, title),
      make('button', '', text('load_once'), () => wake(el)),
      make('button', '', text('always_allow', name), () =>
        decide((consent || {cats: []}).cats.concat(s ? [] : category), (consent || {svcs: []}).svcs.concat(s || []),
          'custom', consent && consent.id, 1)));
    el.style.display = 'none';
    el.before(box);
    holders.set(el, box);
  }

  function make(tag, css, label, onClick) {
    const el = d.createElement(tag);
    el.style.cssText = (label ? 'font:15px system-ui;padding:6px 12px;border:1px solid;border-radius:6px;' +
      'background:#fff;color:#111;cursor:pointer;' : '') + css;
    if (label) el.textContent = label, el.type = 'button', el.onclick = onClick;
    return el;
  }

  /* --- the widget frame (PROTOCOL.md) -------------------------------------------------- */

  /* Where the banner's frame sits, by theme position: bar (bottom, full width), box-left and
   * box-right (a bottom corner), modal (centred). Its height then follows `resize`. */
  const pos = C.position, place = 'height:200px;' + (pos == 'bar' ? 'left:0;width:100%' : pos == 'modal'
    ? 'left:50%;top:50%;transform:translate(-50%,-50%);width:min(560px,100% - 32px)'
    : pos.slice(4) + ':16px;bottom:16px;width:min(420px,100% - 32px)');

  function open(next) {
    if (!d.body) return d.addEventListener('DOMContentLoaded', () => open(next));
    if (frame && mode == next) return frame.focus();
    close(1);
    focusBack = focusBack || d.activeElement;
    frame = make('iframe', '');
    frame.title = C.texts[lang].frame_title;
    frame.src = ORIGIN + '/sites/' + C.site + '/widget?lang=' + lang + '&mode=' + next +
      '&origin=' + encodeURIComponent(loc.origin);
    layout(next);
    d.body.append(frame);
    frame.focus();
    settings();
    fire('shown', {mode});
  }

  /* Place the frame for its layer: the banner per theme position, the preferences dialog over
   * the whole viewport with the page behind it inert (it is modal). */
  function layout(next) {
    mode = frame.dataset.crumbFrame = next;
    frame.style.cssText = 'position:fixed;bottom:0;border:0;z-index:2147483647;max-height:100%;' +
      (mode == 'banner' ? place : 'left:0;top:0;width:100%;height:100%');
    inert.forEach(el => el.inert = false);
    inert = mode == 'banner' ? [] : [...d.body.children].filter(el => el != frame && !el.inert);
    inert.forEach(el => el.inert = true);
  }

  /* Close the frame; focus goes back where it was, unless another frame replaces this one. The
   * frame is hidden, not removed, until the next one opens: the widget may still be posting
   * the receipt of the decision just made, and removing it would abort that request. */
  function close(replacing) {
    if (!frame) return;
    if (spent) spent.remove();
    spent = frame;
    frame.style.display = 'none';
    delete frame.dataset.crumbFrame;
    frame = 0;
    inert.forEach(el => el.inert = false);
    inert = [];
    fire('hidden', {mode});
    if (replacing) return;
    focusBack && focusBack.focus && focusBack.focus();
    focusBack = 0;
    settings();
  }

  /* Only our own frame, from the Crumb origin, is listened to (DESIGN 4). */
  w.addEventListener('message', e => {
    const m = e.data || {}, type = m.type;
    if (!frame || e.origin != ORIGIN || e.source != frame.contentWindow || m.v !== 1) return;
    if (type == 'ready') {
      frame.contentWindow.postMessage({type: 'init', v: 1, mode, consent: copy(), page,
        gpc, policy_changed: found == 'outdated'}, ORIGIN);
    } else if (type == 'resize' && mode == 'banner' && m.height > 0) {
      frame.style.height = Math.ceil(m.height) + 'px';
    } else if (type == 'decision' && HOW.includes(m.method) && Array.isArray(m.categories) && Array.isArray(m.services)) {
      decide(m.categories, m.services, m.method, m.consent_id);
    } else if (type == 'mode' && (m.mode == 'banner' || m.mode == 'preferences')) {
      layout(m.mode);
    } else if (type == 'language' && C.languages.includes(m.lang)) {
      setCookie(ck.language, lang = m.lang, ck.language_days, ck.domain);
    } else if (type == 'close' && (consent || cats.length == req.length)) {
      close();
    }
  });

  /* The optional floating "Cookie settings" button (policy setting settings_button). */
  function settings() {
    if (C.settings_button == 'none') return;
    if (!button) {
      button = make('button', 'position:fixed;bottom:16px;z-index:2147483646;' + C.settings_button + ':16px',
        C.texts[lang].settings, api.showPreferences);
      button.dataset.crumbSettings = '';
    }
    frame ? button.remove() : d.body.append(button);
  }

  /* --- window.crumb (DESIGN 7) --------------------------------------------------------- */

  /* Calls made before the gate loaded wait in `window.crumb = window.crumb || []`: functions
   * (called with the API) or arrays such as ['show'] and ['acceptAll']. After loading,
   * crumb.push() runs them at once, so a page can always use that form. */
  const api = {
    show: () => open('banner'),
    showPreferences: () => open('preferences'),
    acceptAll: () => decide(cats, svcs, 'accept_all', consent && consent.id, 1),
    rejectAll: () => decide([], [], 'reject_all', consent && consent.id, 1),
    consent: copy,
    accepted,
    push: item => item.call ? item(api) : api[item[0]](...item.slice(1)),
  }, early = w.crumb;

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
  if (!consent && gpc && cats.some(i => !req.includes(i)) && cats.every(i => req.includes(i) || C.sale_or_share.includes(i))) {
    decide([], svcs.filter(s => req.includes(C.services[s][0])), 'gpc', 0, 1);
  } else {
    if (consent) signal();
    activate();
    if (consent) fire('consent', copy());
  }
  new MutationObserver(activate).observe(d.documentElement, {childList: true, subtree: true});
  if (!consent && cats.length > req.length) open('banner');
  else d.body ? settings() : d.addEventListener('DOMContentLoaded', settings);
})(__CRUMB_CONFIG__);
