/* Crumb gate, UI chunk: what the gate needs only when a visitor sees something or withdraws.
 *
 * Served as /sites/{site}/gate-ui.js with its own config (server/gate_config.py: gate_ui_config)
 * in place of the token at the bottom, and loaded by widget/gate.js from the Crumb origin the
 * first time a decision is needed or asked for, a blocked iframe needs a placeholder, or consent
 * is withdrawn. A returning visitor who needs none of that never fetches it (DESIGN 10).
 * It holds the widget frame (placement, resizing, inert page, focus, messages: PROTOCOL.md),
 * the embed placeholders, and the deletion of withdrawn storage.
 *
 * Handing over: the chunk puts a function on its own script element (`crumb`); the gate calls it
 * with its internals (`K`, see `core` in gate.js) and keeps what it returns. No globals.
 * ES2017, no dependencies; texts from the policy are set as text, never as HTML.
 */
(C => document.currentScript.crumb = K => {
  const w = window, d = document, loc = location, ORIGIN = K.ORIGIN, G = K.C, ck = G.cookies,  // G: the gate's config
    text = (key, name, category) => C.texts[K.lang()][key].replace('{service}', () => name).replace('{category}', () => category);
  // spent: the last closed frame; alive: the frame's boot script has spoken, so it records clicks
  let frame, spent, mode, focusBack, alive, inert = [];

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
            if (re.test(name)) hosts.forEach(h => K.setCookie(name, '', 0, h));
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
      box = make('div', 'display:flex;flex-direction:column;justify-content:center;align-items:start;gap:8px;padding:16px;border:1px solid;' +
        'background:#eee;color:#111;max-width:100%;width:' + (el.width || 480) + 'px;min-height:' + (el.height || 270) + 'px');
    box.dataset.crumbPlaceholder = s || category;
    box.append(text('blocked', name, title),
      make('button', '', text('load_once'), () => K.wake(el)),
      make('button', '', text('always_allow', name), () => {
        const now = K.consent() || {cats: [], svcs: []};
        K.decide(now.cats.concat(s ? [] : category), now.svcs.concat(s || []), 'custom', now.id, 1);
      }));
    el.style.display = 'none';
    el.before(box);
    K.holders.set(el, box);
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

  /* Open the frame in mode `next`; without one, the first visit's banner, unless a decision was
   * made while this chunk was on its way. */
  function open(next) {
    if (!next && K.consent()) return;
    next = next || 'banner';
    if (!d.body) return d.addEventListener('DOMContentLoaded', () => open(next));
    if (frame && mode == next) return frame.focus();
    close(1);
    focusBack = focusBack || d.activeElement;
    frame = make('iframe', '');
    frame.title = C.texts[K.lang()].frame_title;
    frame.src = ORIGIN + '/sites/' + G.site + '/widget?lang=' + K.lang() + '&mode=' + next +
      '&origin=' + encodeURIComponent(loc.origin);
    alive = 0;
    layout(next);
    d.body.append(frame);
    frame.focus();
    K.settings(1);
    K.fire('shown', {mode});
  }

  /* Place the frame for its layer: the banner per theme position, the preferences dialog over
   * the whole viewport with the page behind it inert (it is modal). */
  function layout(next) {
    mode = frame.dataset.crumbFrame = next;
    // Every declaration !important and inline: the website's own iframe rules (opacity,
    // max-width, borders, positions) must not reach the consent frame.
    // Invisible until the frame's boot script reports: a button a visitor can see must already
    // record the click, even while the Python widget is still starting.
    frame.style.cssText = ('display:block;margin:0;padding:0;border:0;opacity:1;' +
      'visibility:' + (alive ? 'visible;' : 'hidden;') +
      'transform:none;filter:none;min-width:0;min-height:0;max-width:100%;box-shadow:none;' +
      'position:fixed;bottom:0;z-index:2147483647;max-height:100%;' +
      (mode == 'banner' ? place : 'left:0;top:0;width:100%;height:100%') + ';').replace(/;/g, '!important;');
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
    frame.style.setProperty('display', 'none', 'important');
    delete frame.dataset.crumbFrame;
    frame = 0;
    inert.forEach(el => el.inert = false);
    inert = [];
    K.fire('hidden', {mode});
    if (replacing) return;
    focusBack && focusBack.focus && focusBack.focus();
    focusBack = 0;
    K.settings();
  }

  /* Only our own frame, from the Crumb origin, is listened to (DESIGN 4). */
  w.addEventListener('message', e => {
    const m = e.data || {}, type = m.type;
    if (!frame || e.origin != ORIGIN || e.source != frame.contentWindow || m.v !== 1) return;
    if (!alive) {
      alive = 1;
      frame.style.setProperty('visibility', 'visible', 'important');
      frame.focus();
    }
    if (type == 'ready') {
      frame.contentWindow.postMessage({type: 'init', v: 1, mode, consent: K.copy(), page: K.page,
        gpc: K.gpc, policy_changed: K.found() == 'outdated'}, ORIGIN);
    } else if (type == 'resize' && mode == 'banner' && m.height > 0) {
      frame.style.setProperty('height', Math.ceil(m.height) + 'px', 'important');
    } else if (type == 'decision' && K.HOW.includes(m.method) && Array.isArray(m.categories) && Array.isArray(m.services)) {
      K.decide(m.categories, m.services, m.method, m.consent_id);
    } else if (type == 'mode' && (m.mode == 'banner' || m.mode == 'preferences')) {
      layout(m.mode);
    } else if (type == 'language' && G.languages.includes(m.lang)) {
      K.setCookie(ck.language, K.lang(m.lang), C.language_days, ck.domain);
    } else if (type == 'close' && (K.consent() || G.categories.length == G.required.length)) {
      close();
    }
  });

  return {open, close, block, forget};
})(__CRUMB_CONFIG__);
