// The WebSocket to vr_web, shared by the WebXR and the desktop page: pairing token, clock replies,
// and the binary controller frame (docs/nodes.md §17 has the layout; FrameDecoder.java reads it).
'use strict';

const VR_WEB_TOKEN_KEY = 'teach_learn.vr_web.token';

// The token comes in the URL after '#' (never sent to the server in a request line) or is typed
// once; either way the browser keeps it for this origin.
function pairingToken() {
  const m = location.hash.match(/token=([A-Za-z0-9_-]+)/);
  if (m) {
    localStorage.setItem(VR_WEB_TOKEN_KEY, m[1]);
    history.replaceState(null, '', location.pathname);   // off the address bar
    return m[1];
  }
  return localStorage.getItem(VR_WEB_TOKEN_KEY);
}

class VrLink {
  // onStatus(text, kind): kind is 'ok', 'warn' or 'error'; onBusy(): another browser drives.
  constructor(onStatus, onBusy) {
    this.onStatus = onStatus;
    this.onBusy = onBusy;
    this.socket = null;
    this.driving = false;
    this.seq = 0;
    this.frame = new Float64Array(20);
    this.reply = new Float64Array(3);
    this.stats = { sent: 0, skipped: 0, refusedByNode: 0 };
  }

  connect(token, takeover) {
    if (this.socket) this.socket.close(1000, 'reconnecting');
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const url = scheme + '//' + location.host + '/link?token=' + encodeURIComponent(token || '') + (takeover ? '&takeover=1' : '');
    const socket = new WebSocket(url);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    let opened = false;
    socket.onopen = () => { opened = true; };
    socket.onmessage = (e) => {
      if (typeof e.data === 'string') {
        const msg = JSON.parse(e.data);
        if (msg.driving) { this.driving = true; this.onStatus('connected: this browser drives', 'ok'); }
        if (msg.refused) { this.stats.refusedByNode++; this.onStatus('the node refused a frame: ' + msg.refused, 'warn'); }
        return;
      }
      const ping = new Float64Array(e.data);
      if (ping.length === 2 && ping[0] === 3) {   // clock ping: answer at once with our clock
        this.reply[0] = 2; this.reply[1] = ping[1]; this.reply[2] = performance.now();
        socket.send(this.reply);
      }
    };
    socket.onclose = (e) => {
      if (this.socket !== socket) return;
      const wasDriving = this.driving;
      this.driving = false;
      if (!opened) this.onStatus('the node refused the connection: check the pairing token it printed (or is vr_web running?)', 'error');
      else if (e.code === 4409) { this.onStatus(e.reason, 'warn'); this.onBusy(); }
      else if (e.code === 4001) this.onStatus(e.reason + ' — this browser no longer drives', 'warn');
      else if (wasDriving && (e.code === 1001 || e.code === 1006 || e.code === 1011)) {
        // the network or the node went away: try again (never as a take-over), since in VR
        // nobody can press Connect without leaving the session
        this.onStatus('connection lost (' + e.code + '); reconnecting …', 'error');
        setTimeout(() => { if (this.socket === socket) this.connect(token, false); }, 2000);
      }
      else this.onStatus('disconnected (' + e.code + (e.reason ? ' ' + e.reason : '') + ')', 'error');
    };
  }

  // sampleMs: performance.now() when the pose was read; position [x,y,z] and orientation [x,y,z,w]
  // in the tracking frame, or null when tracking is lost; buttons: 5 of 0/1; axes: 4 numbers.
  send(sampleMs, position, orientation, emulated, buttons, axes) {
    const s = this.socket;
    if (!s || s.readyState !== WebSocket.OPEN || !this.driving) return false;
    // A stalled network would deliver old poses late: skip rather than queue (the gap shows in seq).
    if (s.bufferedAmount > 16384) { this.stats.skipped++; this.seq++; return false; }
    const f = this.frame;
    f[0] = 1; f[1] = this.seq++; f[2] = sampleMs;
    for (let i = 0; i < 3; i++) f[3 + i] = position ? position[i] : 0;
    for (let i = 0; i < 4; i++) f[6 + i] = orientation ? orientation[i] : (i === 3 ? 1 : 0);
    f[10] = position ? (emulated ? 3 : 1) : 0;
    for (let i = 0; i < 5; i++) f[11 + i] = buttons[i] ? 1 : 0;
    for (let i = 0; i < 4; i++) f[16 + i] = axes[i];
    s.send(f);
    this.stats.sent++;
    return true;
  }
}

// The token field and connect / take-over buttons both pages share.
function pairingControls(link) {
  const field = document.getElementById('token');
  const takeover = document.getElementById('takeover');
  const saved = pairingToken();
  if (saved) field.value = saved;
  document.getElementById('connect').onclick = () => {
    localStorage.setItem(VR_WEB_TOKEN_KEY, field.value.trim());
    link.connect(field.value.trim(), false);
  };
  takeover.onclick = () => { takeover.hidden = true; link.connect(field.value.trim(), true); };
  if (saved) link.connect(saved, false);
  return () => { takeover.hidden = false; };
}

function showStatus(text, kind) {
  const el = document.getElementById('status');
  el.textContent = text;
  el.className = kind;
}
