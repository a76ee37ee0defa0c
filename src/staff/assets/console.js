// The staff console's one script (no inline script anywhere: the Content-Security-Policy forbids it).
// The menu on a phone, confirmations, the session's end, the live queue and conversation, the tab
// title's count, alerts (a tone and a browser notification), a reply box that sends without a
// reload and never loses what was typed, and photos at full size over the page.
(() => {
  const body = document.body;
  const words = JSON.parse(body.dataset.words || '{}');
  const csrf = body.dataset.csrf || '';
  const pollMs = 4000;
  const baseTitle = document.title;

  /** Sends the browser to the login, to come back to this very page afterwards; once (several polls may ask). */
  let leaving = false;
  const toLogin = () => {
    if (leaving) return;
    leaving = true;
    window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
  };

  /** A GET the page makes by itself: it does not keep the session alive. */
  const poll = async (url) => {
    try {
      const response = await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } });
      if (response.status === 401) {
        toLogin();
        return undefined;
      }
      return response.ok ? response : undefined;
    } catch {
      return undefined; // Offline for a moment: the next poll tries again.
    }
  };

  /** Runs `task` every `ms`, never two at once. */
  const every = (ms, task) => {
    let running = false;
    const run = async () => {
      if (running) return;
      running = true;
      try {
        await task();
      } finally {
        running = false;
      }
    };
    setInterval(run, ms);
    return run;
  };

  // ---- the menu on a phone ----
  const menu = document.getElementById('menu-button');
  menu?.addEventListener('click', () => {
    const open = menu.closest('header').classList.toggle('open');
    menu.setAttribute('aria-expanded', String(open));
  });
  for (const link of document.querySelectorAll('#nav a[href^="/"]')) {
    const path = window.location.pathname;
    const href = link.getAttribute('href');
    if (path === href || (href !== '/' && path.startsWith(`${href}/`))) link.setAttribute('aria-current', 'page');
  }
  // A conversation belongs to the queue.
  if (window.location.pathname.startsWith('/conversations/')) {
    document.querySelector('#nav a[href="/queue"]')?.setAttribute('aria-current', 'page');
  }

  // ---- confirmation for the actions that cannot be undone lightly ----
  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  });

  // ---- the session: warn a minute before it ends, then go to the login and come back ----
  let expiresAt = Number(body.dataset.expires || 0);
  const warning = document.getElementById('session-warning');
  const watchSession = () => {
    if (!expiresAt) return;
    const left = expiresAt - Date.now();
    if (left <= 0) toLogin();
    else if (warning) warning.hidden = left > 60_000;
  };
  if (expiresAt) setInterval(watchSession, 1000);
  document.getElementById('stay')?.addEventListener('click', async () => {
    const response = await fetch('/session', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-requested-with': 'fetch' },
      body: new URLSearchParams({ _csrf: csrf }),
    }).catch(() => undefined);
    if (response?.status === 401) return toLogin();
    if (response?.ok) expiresAt = (await response.json()).expiresAt;
    watchSession();
  });

  // ---- alerts: a short tone and, once allowed, a browser notification ----
  let audio;
  const sound = () => {
    try {
      audio ??= new AudioContext();
      if (audio.state === 'suspended') audio.resume();
      return audio;
    } catch {
      return undefined; // No sound where the browser has none.
    }
  };
  // Browsers let a page sound only after the person did something on it.
  const unlock = () => {
    sound();
    document.removeEventListener('pointerdown', unlock);
    document.removeEventListener('keydown', unlock);
  };
  document.addEventListener('pointerdown', unlock);
  document.addEventListener('keydown', unlock);
  const beep = (urgent) => {
    const context = sound();
    if (!context) return;
    const tones = urgent ? [0, 0.3, 0.6] : [0];
    for (const at of tones) {
      const tone = context.createOscillator();
      const gain = context.createGain();
      tone.frequency.value = urgent ? 990 : 880;
      gain.gain.value = 0.15;
      tone.connect(gain).connect(context.destination);
      tone.start(context.currentTime + at);
      tone.stop(context.currentTime + at + 0.2);
    }
  };
  const alertStaff = (text, urgent = false) => {
    beep(urgent);
    if ('Notification' in window && Notification.permission === 'granted') {
      try {
        new Notification(text, { tag: urgent ? 'ataa-emergency' : 'ataa', lang: document.documentElement.lang });
      } catch {
        // Some browsers allow notifications only from a service worker: the tone and title remain.
      }
    }
  };
  const allow = document.getElementById('allow-alerts');
  if (allow && 'Notification' in window && Notification.permission === 'default') {
    allow.hidden = false;
    allow.addEventListener('click', async () => {
      sound();
      await Notification.requestPermission();
      allow.hidden = Notification.permission !== 'default';
    });
  }

  // ---- the queue's count in the title, and alerts, on every page of staff who take conversations ----
  let seen;
  const refreshLive = async () => {
    const response = await poll('/live');
    if (!response) return;
    const live = await response.json();
    expiresAt = live.expiresAt;
    const title = live.waiting > 0 ? `(${live.waiting}) ${baseTitle}` : baseTitle;
    if (document.title !== title) document.title = title;
    if (seen) {
      if (live.emergencies > seen.emergencies || live.mine.flagged > seen.mine.flagged)
        alertStaff(words.emergency, true);
      else if (live.newest > seen.newest) alertStaff(words.newWaiting);
      else if (live.mine.last > seen.mine.last) alertStaff(words.newMessage);
    }
    seen = live;
  };
  if (body.dataset.queue) every(pollMs, refreshLive)();

  // ---- the queue page: rows refresh by themselves ----
  const queue = document.getElementById('queue');
  if (queue) {
    // Replaced only when something changed: a row in focus stays in focus.
    let shown;
    every(pollMs, async () => {
      const response = await poll(`/queue/rows?tab=${encodeURIComponent(queue.dataset.tab || 'waiting')}`);
      if (!response) return;
      const rows = await response.text();
      if (rows === shown) return;
      document.getElementById('rows').innerHTML = rows;
      shown = rows;
    });
  }

  // ---- the WhatsApp link: followed while it is being linked (a new QR code, a restart, the link) ----
  if (document.getElementById('whatsapp-link')?.dataset.live) {
    let shown;
    every(pollMs, async () => {
      const panel = document.getElementById('whatsapp-link');
      if (!panel?.dataset.live) return; // linked (or stopped for good): nothing changes by itself any more
      const response = await poll('/whatsapp/panel');
      if (!response) return;
      const fresh = await response.text();
      if (fresh === shown) return;
      shown = fresh;
      const next = new DOMParser().parseFromString(fresh, 'text/html').getElementById('whatsapp-link');
      if (next) panel.replaceWith(document.adoptNode(next));
    });
  }

  // ---- an open conversation: new messages appear, controls follow the handoff ----
  const transcript = document.getElementById('transcript');
  if (transcript) {
    const id = transcript.dataset.conversation;
    const draftKey = `ataa:draft:${id}`;
    /** Whether the newest message is on screen: then new ones are followed, else the reader is left alone. */
    const following = () => {
      const newest = transcript.querySelector('article:last-of-type');
      return !newest || newest.getBoundingClientRect().top < window.innerHeight;
    };
    /** The newest message in view, with the reply box under it when there is one. */
    const toNewest = () => {
      const target = document.getElementById('reply-form') || document.getElementById('controls') || transcript;
      target.scrollIntoView({ block: 'end' });
    };

    const bindReply = () => {
      const form = document.getElementById('reply-form');
      const text = document.getElementById('reply');
      const error = document.getElementById('reply-error');
      if (!form || !text) return;
      // What was typed survives a failed send, a lost session, a reload: kept until it is sent.
      if (!text.value) text.value = sessionStorage.getItem(draftKey) || '';
      text.addEventListener('input', () => {
        if (text.value) sessionStorage.setItem(draftKey, text.value);
        else sessionStorage.removeItem(draftKey);
      });
      document.getElementById('canned')?.addEventListener('change', (event) => {
        if (event.target.value) {
          text.value = text.value ? `${text.value}\n${event.target.value}` : event.target.value;
          sessionStorage.setItem(draftKey, text.value);
          event.target.value = '';
        }
        text.focus();
      });
      text.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          form.requestSubmit();
        }
      });
      const button = form.querySelector('button[type=submit]');
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        if (!text.value.trim() || button.disabled) return;
        error.hidden = true;
        button.disabled = true;
        const fail = (message) => {
          // The typed text stays; the person is told why it was not sent.
          error.textContent = message || words.sendFailed;
          error.hidden = false;
        };
        try {
          const response = await fetch(form.action, {
            method: 'POST',
            credentials: 'same-origin',
            headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-requested-with': 'fetch' },
            body: new URLSearchParams(new FormData(form)),
          });
          if (response.status === 401) return toLogin();
          if (!response.ok) return fail((await response.json().catch(() => ({}))).error);
          text.value = '';
          sessionStorage.removeItem(draftKey);
          await refreshConversation();
          toNewest();
        } catch {
          fail();
        } finally {
          button.disabled = false;
        }
      });
    };
    bindReply();

    const refreshConversation = every(pollMs, async () => {
      const response = await poll(`/conversations/${id}/live?after=${transcript.dataset.last || 0}`);
      if (!response) return;
      const live = await response.json();
      const follow = following();
      const last = Number(transcript.dataset.last || 0);
      if (live.rows && live.last > last) {
        const fresh = document.createElement('template');
        fresh.innerHTML = live.rows;
        // Only what is not on the page yet (a send and a poll may ask for the same rows).
        for (const message of fresh.content.querySelectorAll('article[data-id]')) {
          if (Number(message.dataset.id) > last) continue;
          const day = message.previousElementSibling;
          if (day?.classList.contains('day')) day.remove();
          message.remove();
        }
        transcript.append(fresh.content);
        transcript.dataset.last = live.last;
      }
      const controls = document.getElementById('controls');
      const next = new DOMParser().parseFromString(live.controls, 'text/html').getElementById('controls');
      if (controls && next && controls.dataset.state !== next.dataset.state) {
        const typed = document.getElementById('reply')?.value || '';
        controls.replaceWith(document.adoptNode(next));
        const text = document.getElementById('reply');
        if (text && typed) text.value = typed;
        bindReply();
      }
      if (live.last > last && follow) toNewest();
    });

    // Opens at the newest message, the reply box in view (after the photos took their place).
    toNewest();
    window.addEventListener('load', () => toNewest(), { once: true });

    // The bot's part can be folded away; the choice is remembered.
    const toggle = document.getElementById('toggle-bot');
    const showBot = (hidden) => {
      body.classList.toggle('hide-bot', hidden);
      toggle.setAttribute('aria-pressed', String(hidden));
      toggle.textContent = hidden ? words.showBot : words.hideBot;
    };
    if (toggle) {
      showBot(localStorage.getItem('ataa:hideBot') === '1');
      toggle.addEventListener('click', () => {
        const hidden = !body.classList.contains('hide-bot');
        localStorage.setItem('ataa:hideBot', hidden ? '1' : '0');
        showBot(hidden);
      });
    }

    // A photo opens at full size over the page; Escape or a click outside closes it.
    transcript.addEventListener('click', (event) => {
      const link = event.target instanceof Element ? event.target.closest('a[data-viewer]') : null;
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      const viewer = document.createElement('dialog');
      viewer.className = 'viewer';
      const image = document.createElement('img');
      image.src = link.href;
      image.alt = link.querySelector('img')?.alt || '';
      const bar = document.createElement('p');
      const open = document.createElement('a');
      open.href = link.href;
      open.target = '_blank';
      open.rel = 'noopener';
      open.textContent = words.openPhoto;
      const close = document.createElement('button');
      close.type = 'button';
      close.className = 'secondary';
      close.textContent = words.close;
      close.addEventListener('click', () => viewer.close());
      bar.append(open, close);
      viewer.append(image, bar);
      viewer.addEventListener('click', (e) => {
        if (e.target === viewer) viewer.close();
      });
      viewer.addEventListener('close', () => viewer.remove());
      document.body.append(viewer);
      viewer.showModal();
      close.focus();
    });
  }
})();
