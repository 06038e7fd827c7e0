// WebSocket client shared by residents, facilitators and projectors.
// `hello(lastSeq)` builds the first frame (it may fetch a fresh single-use ticket);
// state changes are reported through `onState`: connecting | open | down | stopped:<reason>.
const PING_MS = 25000;
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 15000;

function socketUrl() {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

export function connectLive({ hello, onMessage, onState }) {
  let socket = null;
  let lastSeq = 0;
  let attempt = 0;
  let retryTimer = null;
  let pingTimer = null;
  let stopped = false;
  let welcomed = false;
  let resyncing = false;

  function schedule(extraMs = 0) {
    clearTimeout(retryTimer);
    if (stopped) return;
    const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
    attempt += 1;
    // Full jitter: a hall of phones must not reconnect in one wave after a restart.
    retryTimer = setTimeout(open, extraMs + Math.round(ceiling / 2 + (Math.random() * ceiling) / 2));
  }

  function stop(reason) {
    stopped = true;
    clearTimeout(retryTimer);
    clearInterval(pingTimer);
    const current = socket;
    socket = null;
    if (current) current.close(1000);
    onState(`stopped:${reason}`);
  }

  async function sendHello(target) {
    let frame;
    try {
      frame = await hello(lastSeq);
    } catch (error) {
      if (error && (error.status === 401 || error.status === 403)) {
        stop(error.status === 401 ? 'unauthenticated' : 'forbidden');
      } else if (socket === target) {
        target.close(4000);
      }
      return;
    }
    if (socket === target && target.readyState === WebSocket.OPEN) target.send(JSON.stringify(frame));
  }

  function open() {
    clearTimeout(retryTimer);
    if (stopped || socket) return;
    welcomed = false;
    onState('connecting');
    let target;
    try {
      target = new WebSocket(socketUrl());
    } catch (_) {
      onState('down');
      schedule();
      return;
    }
    socket = target;
    target.onopen = () => {
      sendHello(target);
      clearInterval(pingTimer);
      pingTimer = setInterval(() => {
        if (target.readyState === WebSocket.OPEN) target.send('{"type":"ping"}');
      }, PING_MS);
    };
    target.onmessage = (event) => {
      if (socket !== target) return;
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (_) {
        return;
      }
      receive(message, target);
    };
    target.onclose = (event) => {
      if (socket !== target) return;
      clearInterval(pingTimer);
      socket = null;
      welcomed = false;
      if (stopped) return;
      if (event.code === 4401) return stop('unauthenticated');
      if (event.code === 4403) return stop('forbidden');
      onState('down');
      schedule(event.code === 4429 ? 5000 : 0);
    };
  }

  function receive(message, target) {
    if (message.type === 'welcome') {
      welcomed = true;
      resyncing = false;
      attempt = 0;
      if (typeof message.seq === 'number') lastSeq = message.seq;
      onState('open');
      onMessage(message);
      return;
    }
    if (typeof message.seq === 'number') {
      if (message.seq > lastSeq + 1 && !resyncing) {
        // A state change was missed: ask for a fresh welcome; this message is applied anyway.
        resyncing = true;
        sendHello(target);
      }
      if (message.seq > lastSeq) lastSeq = message.seq;
    }
    onMessage(message);
  }

  function reconnectNow() {
    if (stopped || socket) return;
    attempt = 0;
    open();
  }

  const onOnline = () => reconnectNow();
  const onVisible = () => {
    if (document.visibilityState === 'visible') reconnectNow();
  };
  window.addEventListener('online', onOnline);
  document.addEventListener('visibilitychange', onVisible);

  open();

  return {
    send(frame) {
      if (!socket || !welcomed || socket.readyState !== WebSocket.OPEN) return false;
      socket.send(JSON.stringify(frame));
      return true;
    },
    get ready() {
      return Boolean(socket && welcomed && socket.readyState === WebSocket.OPEN);
    },
    close() {
      window.removeEventListener('online', onOnline);
      document.removeEventListener('visibilitychange', onVisible);
      stop('closed');
    },
  };
}
