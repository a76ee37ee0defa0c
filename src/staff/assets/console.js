// The staff console's one script (no inline script anywhere: the Content-Security-Policy forbids it).
// Live queue and conversation, the tab title's count, alerts, the session's end, and a reply box
// that sends without a reload.
(() => {
  const body = document.body;
  const words = JSON.parse(body.dataset.words || '{}');
  const csrf = body.dataset.csrf || '';
  const pollMs = 4000;
  const baseTitle = document.title;

  const toLogin = () => {
    window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
  };

  /** A GET the page makes by itself: it does not keep the session alive. */
  const poll = async (url) => {
    const response = await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } });
    if (response.status === 401) {
      toLogin();
      return undefined;
    }
    return response.ok ? response : undefined;
  };

  // ---- confirmation for the actions that cannot be undone lightly ----
  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
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
    });
    if (response.status === 401) return toLogin();
    if (response.ok) expiresAt = (await response.json()).expiresAt;
    watchSession();
  });

  // ---- alerts: a short tone and, once allowed, a browser notification ----
  const beep = () => {
    try {
      const audio = new AudioContext();
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = 880;
      gain.gain.value = 0.15;
      tone.connect(gain).connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.25);
    } catch {
      // No sound where the browser allows none yet.
    }
  };
  const alertStaff = (text) => {
    beep();
    if ('Notification' in window && Notification.permission === 'granted') new Notification(text);
  };
  const allow = document.getElementById('allow-alerts');
  if (allow && 'Notification' in window && Notification.permission === 'default') {
    allow.hidden = false;
    allow.addEventListener('click', async () => {
      await Notification.requestPermission();
      allow.hidden = true;
    });
  }

  // ---- the queue's count in the title, and alerts, on every page of staff who take conversations ----
  let seen;
  const refreshLive = async () => {
    const response = await poll('/live');
    if (!response) return;
    const live = await response.json();
    expiresAt = live.expiresAt;
    document.title = live.waiting > 0 ? `(${live.waiting}) ${baseTitle}` : baseTitle;
    if (seen) {
      if (live.emergencies > seen.emergencies || live.mine.flagged > seen.mine.flagged) alertStaff(words.emergency);
      else if (live.newest > seen.newest) alertStaff(words.newWaiting);
      else if (live.mine.last > seen.mine.last) alertStaff(words.newMessage);
    }
    seen = live;
  };
  if (body.dataset.queue) {
    refreshLive();
    setInterval(refreshLive, pollMs);
  }

  // ---- the queue page: rows refresh by themselves ----
  const queue = document.getElementById('queue');
  if (queue) {
    setInterval(async () => {
      const response = await poll(`/queue/rows?tab=${encodeURIComponent(queue.dataset.tab || 'waiting')}`);
      if (response) document.getElementById('rows').innerHTML = await response.text();
    }, pollMs);
  }

  // ---- an open conversation: new messages appear, controls follow the handoff ----
  const transcript = document.getElementById('transcript');
  if (transcript) {
    const id = transcript.dataset.conversation;
    const nearBottom = () => window.innerHeight + window.scrollY >= document.body.scrollHeight - 120;
    const toNewest = () => {
      const box = document.getElementById('reply') || transcript.lastElementChild;
      box?.scrollIntoView({ block: 'end' });
    };
    toNewest();

    const bindReply = () => {
      const form = document.getElementById('reply-form');
      const text = document.getElementById('reply');
      const error = document.getElementById('reply-error');
      if (!form || !text) return;
      document.getElementById('canned')?.addEventListener('change', (event) => {
        if (event.target.value) text.value = event.target.value;
        text.focus();
      });
      text.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          form.requestSubmit();
        }
      });
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        if (!text.value.trim()) return;
        error.hidden = true;
        try {
          const response = await fetch(form.action, {
            method: 'POST',
            credentials: 'same-origin',
            headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-requested-with': 'fetch' },
            body: new URLSearchParams(new FormData(form)),
          });
          if (response.status === 401) return toLogin();
          if (!response.ok) {
            // The typed text stays; the person is told why it was not sent.
            error.textContent = (await response.json().catch(() => ({}))).error || words.sendFailed;
            error.hidden = false;
            return;
          }
          text.value = '';
          await refreshConversation();
          toNewest();
        } catch {
          error.textContent = words.sendFailed;
          error.hidden = false;
        }
      });
    };
    bindReply();

    const refreshConversation = async () => {
      const response = await poll(`/conversations/${id}/live?after=${transcript.dataset.last || 0}`);
      if (!response) return;
      const live = await response.json();
      const follow = nearBottom();
      if (live.rows) {
        transcript.insertAdjacentHTML('beforeend', live.rows);
        transcript.dataset.last = live.last;
      }
      const controls = document.getElementById('controls');
      const fresh = new DOMParser().parseFromString(live.controls, 'text/html').getElementById('controls');
      if (controls && fresh && controls.dataset.state !== fresh.dataset.state) {
        const typed = document.getElementById('reply')?.value || '';
        controls.replaceWith(fresh);
        const text = document.getElementById('reply');
        if (text) text.value = typed;
        bindReply();
      }
      if (live.rows && follow) toNewest();
    };
    setInterval(refreshConversation, pollMs);

    const toggle = document.getElementById('toggle-bot');
    toggle?.addEventListener('click', () => {
      const hidden = body.classList.toggle('hide-bot');
      toggle.setAttribute('aria-pressed', String(hidden));
      toggle.textContent = hidden ? words.showBot : words.hideBot;
    });
  }
})();
