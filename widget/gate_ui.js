/* Crumb gate, UI chunk: what the gate needs only when a visitor sees something or withdraws.
 *
 * Served as /sites/{site}/gate-ui.js with its own config (server/gate_config.py: gate_ui_config)
 * in place of the token at the bottom, and loaded by widget/gate.js from the Crumb origin the
 * first time a decision is needed or asked for, a blocked iframe needs a placeholder, or consent
 * is withdrawn. A returning visitor who needs none of that never fetches it (README, "How it
 * fits together"). It holds the widget frame (placement, resizing, inert page, focus, messages:
 * widget/PROTOCOL.md), the embed placeholders, and the deletion of withdrawn storage.
 *
 * Handing over: the chunk puts a function on its own script element (`crumb`, found through
 * Document.prototype: an element named `currentScript` must not catch it); the gate calls it
 * with its internals (`K`, see `core` in gate.js) and keeps what it returns. No globals. It reads
 * the document only through the gate's `dg`/`dc`, for the reason gate.js gives.
 * ES2018, no dependencies; texts from the policy are set as text, never as HTML.
 */
(C => Reflect.get(Document.prototype, 'currentScript', document).crumb = K => {
  const w = window, loc = location, ORIGIN = K.ORIGIN, G = K.C, ck = G.cookies,  // G: the gate's config
    text = (key, name, category) => C.texts[K.lang()][key].replace('{service}', () => name).replace('{category}', () => category),
    /* Write a first-party cookie of the website (README, "The consent cookie"), through
     * Document.prototype as gate.js reads it. */
    setCookie = (name, value, days, domain) => Reflect.set(Document.prototype, 'cookie', name + '=' + value +
      ';Path=/;Max-Age=' + Math.round(days * 864e2) + ';SameSite=Lax' + (loc.protocol == 'https:' ? ';Secure' : '') +
      (domain ? ';Domain=' + domain : ''), document);
  // spent: the last closed frame's box; alive: the frame's boot script has spoken, so it records clicks
  let box, frame, spent, mode, focusBack, alive, inert = [], held = Promise.resolve();

  /* --- deciding ---------------------------------------------------------------------- */

  /* A random UUID4 (crypto.randomUUID exists only on https pages). */
  const uuid = () => '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, x =>
    (x ^ crypto.getRandomValues(new Uint8Array(1))[0] & 15 >> x / 4).toString(16));

  /* Record a decision: write the cookie, signal it, tell the page, delete what was withdrawn and
   * reload if it had run, wake what is now allowed. The services of required categories are
   * always on, whatever the caller lists. `receipt`: post the receipt from here (API
   * calls, GPC, placeholders); the widget posts its own. */
  function decide(yesCats, yesSvcs, how, id, receipt) {
    const cats = G.categories, req = G.required, svcs = Object.keys(G.services), all = cats.concat(svcs),
      before = all.filter(K.accepted), c = cats.filter(i => req.includes(i) || yesCats.includes(i)),
      s = svcs.filter(i => yesSvcs.includes(i) || req.includes(G.services[i])), at = Math.floor(Date.now() / 1e3),
      days = c.length > req.length || s.length ? C.consent_days : C.refusal_days,
      consent = K.commit({v: 1, id: K.UUID4.test(id) ? id : uuid(), rev: G.revision, cats: c, svcs: s,
                          at, exp: at + days * 86400, how});
    setCookie(ck.consent, K.encode(consent), days, C.domain);
    K.signal();
    if (receipt) {
      fetch(ORIGIN + '/api/v1/sites/' + G.site + '/consents', {
        method: 'POST', keepalive: true, credentials: 'omit', headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({consent_id: consent.id, revision: G.revision, categories: c, services: s,
                              method: how, language: K.lang(), page: K.page}),
      }).catch(() => {});  // the choice stands even if the receipt is lost
    }
    close();
    K.fire('consent', K.copy());
    K.fire('change', {accepted: all.filter(K.accepted), rejected: all.filter(i => !K.accepted(i))});
    const gone = before.filter(i => !K.accepted(i));
    forget(gone);
    if (gone.some(i => K.ran.has(i))) return loc.reload();
    for (const el of K.asleep || []) K.done.has(el) || !K.accepted(el.crumbHeld[2]) || wakeHeld(el);
    K.activate();
  }

  /* An element auto-blocking held (gate.js): the page's own element, with its handlers, so
   * setting its URL makes it load; held scripts run one after another, in the order held. */
  function wakeHeld(el) {
    const [name, v, s] = el.crumbHeld, holder = K.holders.get(el), set = () => K.setAttr.call(el, name, v);
    K.done.add(el);
    K.holders.delete(el);
    K.ran.add(G.services[s]).add(s);
    if (holder) holder.remove(), el.style.display = '';
    el.tagName == 'SCRIPT' && el.isConnected ? held = held.then(() => new Promise(next => {
      el.addEventListener('load', next), el.addEventListener('error', next), set();
    })) : set();
  }

  /* Delete the first-party cookies and storage entries of withdrawn categories and services
   * (names may hold *); a cookie may sit on this host or any parent domain: expire it on each. */
  function forget(gone) {
    const hosts = ['', C.domain], parts = loc.hostname.split('.');
    while (parts.length > 1) hosts.push(parts.join('.')), parts.shift();
    for (const [kind, pattern, category, service] of C.storage) {
      if (!gone.includes(category) && !gone.includes(service)) continue;
      const re = RegExp('^' + pattern.replace(/[^\w*]/g, '\\$&').replace(/\*/g, '.*') + '$');
      try {
        if (kind == 'cookie') {
          for (const part of K.dg('cookie').split('; ')) {
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

  /* A blocked iframe: hidden behind a placeholder built from DOM nodes (texts stay text). */
  function block(el, s, category) {
    if (!K.holders.has(el)) return;  // woken while this chunk was on its way
    const title = C.texts[K.lang()]['cat_' + category] || category, name = C.names[s] || title,
      holder = make('div', 'display:flex;flex-direction:column;justify-content:center;align-items:start;gap:8px;padding:16px;border:1px solid;' +
        'background:#eee;color:#111;max-width:100%;width:' + (el.width || 480) + 'px;min-height:' + (el.height || 270) + 'px');
    holder.dataset.crumbPlaceholder = s || category;
    holder.append(text('blocked', name, title),
      make('button', '', text('load_once'), () => (el.crumbHeld ? wakeHeld : K.wake)(el)),
      make('button', '', text('always_allow', name), () => {
        const now = K.consent() || {cats: [], svcs: []};
        decide(now.cats.concat(s ? [] : category), now.svcs.concat(s || []), 'custom', now.id, 1);
      }));
    el.style.display = 'none';
    el.before(holder);
    K.holders.set(el, holder);
  }

  function make(tag, css, label, onClick) {
    const el = K.create(tag);
    el.style.cssText = (label ? 'font:15px system-ui;padding:6px 12px;border:1px solid;border-radius:6px;' +
      'background:#fff;color:#111;cursor:pointer;' : '') + css;
    if (label) el.textContent = label, el.type = 'button', el.onclick = onClick;
    return el;
  }

  /* --- the widget frame (widget/PROTOCOL.md) ------------------------------------------- */

  /* Where the banner sits, by theme position: bar (bottom, full width), box-left and box-right
   * (a bottom corner), modal (centred). Its height then follows `resize`. */
  const pos = C.position, place = 'height:200px;' + (pos == 'bar' ? 'left:0;width:100%' : pos == 'modal'
    ? 'left:50%;top:50%;transform:translate(-50%,-50%);width:min(560px,100% - 32px)'
    : pos.slice(4) + ':16px;bottom:16px;width:min(420px,100% - 32px)');
  // Every declaration !important and inline: the website's own rules must not reach the frame.
  const firm = css => css.replace(/;/g, '!important;');

  /* Open the frame in mode `next`; without one, the first visit's banner, unless a decision was
   * made while this chunk was on its way. The frame sits in a labelled box (`#crumb-consent`)
   * that assistive technology and consent detectors find from the page; it loads without
   * credentials, so no cookie of the website's domain travels to Crumb. */
  function open(next) {
    if (!next && K.consent()) return;
    next = next || 'banner';
    if (!K.dg('body')) return K.dc('addEventListener', 'DOMContentLoaded', () => open(next));
    if (frame && mode == next) return frame.focus();
    close(1);
    focusBack = focusBack || K.dg('activeElement');
    box = make('div', '');
    box.id = 'crumb-consent';
    box.setAttribute('aria-label', C.texts[K.lang()].frame_title);
    frame = make('iframe', firm('display:block;width:100%;height:100%;margin:0;padding:0;border:0;opacity:1;' +
      'position:static;transform:none;filter:none;min-width:0;min-height:0;max-width:100%;max-height:100%;box-shadow:none;'));
    frame.title = C.texts[K.lang()].frame_title;
    frame.credentialless = true;
    frame.src = ORIGIN + '/sites/' + G.site + '/widget?lang=' + K.lang() + '&mode=' + next +
      '&origin=' + encodeURIComponent(loc.origin) + (next == 'banner' && !K.consent() ? '&ask=1' : '');
    alive = 0;
    box.append(frame);
    layout(next);
    K.dg('body').append(box);
    frame.focus();
    K.settings(1);
    K.fire('shown', {mode});
  }

  /* Place the box for its layer: the banner per theme position, the preferences dialog over
   * the whole viewport with the page behind it inert (it is modal). Invisible until the frame's
   * boot script reports: a button a visitor can see must already record the click, even while
   * the Python widget is still starting. */
  function layout(next) {
    mode = frame.dataset.crumbFrame = next;
    box.setAttribute('role', mode == 'banner' ? 'region' : 'dialog');
    mode == 'banner' ? box.removeAttribute('aria-modal') : box.setAttribute('aria-modal', 'true');
    box.style.cssText = firm('display:block;margin:0;padding:0;border:0;opacity:1;' +
      'visibility:' + (alive ? 'visible;' : 'hidden;') +
      'transform:none;filter:none;min-width:0;min-height:0;max-width:100%;box-shadow:none;' +
      'position:fixed;bottom:0;z-index:2147483647;max-height:100%;' +
      (mode == 'banner' ? place : 'left:0;top:0;width:100%;height:100%') + ';');
    inert.forEach(el => el.inert = false);
    inert = mode == 'banner' ? [] : [...K.dg('body').children].filter(el => el != box && !el.inert);
    inert.forEach(el => el.inert = true);
  }

  /* Close the frame; focus goes back where it was, unless another frame replaces this one. The
   * frame is hidden, not removed, until the next one opens: the widget may still be posting
   * the receipt of the decision just made, and removing it would abort that request. */
  function close(replacing) {
    if (!frame) return;
    if (spent) spent.remove();
    spent = box;
    box.style.setProperty('display', 'none', 'important');
    delete frame.dataset.crumbFrame;
    frame = box = 0;
    inert.forEach(el => el.inert = false);
    inert = [];
    K.fire('hidden', {mode});
    if (replacing) return;
    focusBack && focusBack.focus && focusBack.focus();
    focusBack = 0;
    K.settings();
  }

  /* Only our own frame, from the Crumb origin, is listened to (widget/PROTOCOL.md). */
  w.addEventListener('message', e => {
    const m = e.data || {}, type = m.type;
    if (!frame || e.origin != ORIGIN || e.source != frame.contentWindow || m.v !== 1) return;
    if (!alive) {
      alive = 1;
      box.style.setProperty('visibility', 'visible', 'important');
      frame.focus();
    }
    if (type == 'ready') {
      frame.contentWindow.postMessage({type: 'init', v: 1, mode, consent: K.copy(), page: K.page,
        gpc: K.gpc, policy_changed: K.found() == 'outdated'}, ORIGIN);
    } else if (type == 'resize' && mode == 'banner' && m.height > 0) {
      box.style.setProperty('height', Math.ceil(m.height) + 'px', 'important');
    } else if (type == 'decision' && K.HOW.includes(m.method) && Array.isArray(m.categories) && Array.isArray(m.services)) {
      decide(m.categories, m.services, m.method, m.consent_id);
    } else if (type == 'mode' && (m.mode == 'banner' || m.mode == 'preferences')) {
      layout(m.mode);
    } else if (type == 'language' && G.languages.includes(m.lang)) {
      setCookie(ck.language, K.lang(m.lang), C.language_days, C.domain);
    } else if (type == 'close' && (K.consent() || G.categories.length == G.required.length)) {
      close();
    }
  });

  return {open, close, block, decide};
})(__CRUMB_CONFIG__);
