// The WebXR page: enters immersive-vr (or immersive-ar passthrough where offered) and, at every XR
// frame, sends the chosen hand's grip pose in the local-floor space with its buttons and axes.
'use strict';

const link = new VrLink(showStatus, () => showBusy());
const showBusy = pairingControls(link);
const handSelect = document.getElementById('hand');
// what the test (and a curious person, in the console) can read
window.vrWeb = { link, xrFrames: 0, posesRead: 0, session: null };

fetch('/config.json').then(r => r.json()).then(c => {
  if (!localStorage.getItem('teach_learn.vr_web.hand')) handSelect.value = c.hand;
}).catch(() => {});
if (localStorage.getItem('teach_learn.vr_web.hand')) handSelect.value = localStorage.getItem('teach_learn.vr_web.hand');
handSelect.onchange = () => localStorage.setItem('teach_learn.vr_web.hand', handSelect.value);

async function offerSessions() {
  const support = document.getElementById('xr-support');
  if (!navigator.xr) {
    support.textContent = window.isSecureContext
      ? 'This browser has no WebXR: use a headset browser, or the desktop page.'
      : 'WebXR needs a secure page: open this over https:// (accept the certificate) or on localhost.';
    return;
  }
  const vr = await navigator.xr.isSessionSupported('immersive-vr').catch(() => false);
  const ar = await navigator.xr.isSessionSupported('immersive-ar').catch(() => false);
  const vrButton = document.getElementById('enter-vr'), arButton = document.getElementById('enter-ar');
  vrButton.disabled = !vr;
  arButton.hidden = !ar; arButton.disabled = !ar;
  const tryEnter = (mode) => enter(mode).catch(e => showStatus('could not enter ' + mode + ': ' + e.message, 'error'));
  vrButton.onclick = () => tryEnter('immersive-vr');
  arButton.onclick = () => tryEnter('immersive-ar');
  support.textContent = vr || ar ? '' : 'No immersive session is offered on this device.';
}

async function enter(mode) {
  const session = await navigator.xr.requestSession(mode, { requiredFeatures: ['local-floor'] });
  window.vrWeb.session = session;
  const canvas = document.getElementById('gl');
  const gl = canvas.getContext('webgl', { xrCompatible: true, alpha: mode === 'immersive-ar' });
  await gl.makeXRCompatible();
  session.updateRenderState({ baseLayer: new XRWebGLLayer(session, gl) });
  const space = await session.requestReferenceSpace('local-floor');
  const passthrough = mode === 'immersive-ar';
  session.addEventListener('end', () => {
    // let go of everything at once rather than leave the node to notice the silence
    link.send(performance.now(), null, null, false, [0, 0, 0, 0, 0], [0, 0, 0, 0]);
    window.vrWeb.session = null;
    showStatus('left ' + mode + (link.driving ? '; still connected' : ''), 'warn');
  });
  showStatus('in ' + mode + ', streaming the ' + handSelect.value + ' controller', 'ok');
  const buttons = [0, 0, 0, 0, 0], axes = [0, 0, 0, 0];

  session.requestAnimationFrame(function onFrame(time, frame) {
    session.requestAnimationFrame(onFrame);
    window.vrWeb.xrFrames++;
    const source = Array.from(session.inputSources).find(s => s.handedness === handSelect.value && s.gripSpace);
    const pose = source ? frame.getPose(source.gripSpace, space) : null;
    const sampled = performance.now();   // when this frame's pose was read (see docs: clock handling)
    readGamepad(source && source.gamepad, buttons, axes);
    if (pose) window.vrWeb.posesRead++;
    const p = pose && pose.transform.position, q = pose && pose.transform.orientation;
    link.send(sampled, p ? [p.x, p.y, p.z] : null, q ? [q.x, q.y, q.z, q.w] : null, pose && pose.emulatedPosition, buttons, axes);
    draw(gl, session.renderState.baseLayer, passthrough, buttons[0]);
  });
}

// xr-standard mapping: buttons 0 trigger, 1 squeeze (grip), 3 thumbstick, 4 A/X, 5 B/Y; axes 2, 3 thumbstick.
function readGamepad(pad, buttons, axes) {
  const b = (i) => pad && pad.buttons[i] ? pad.buttons[i] : null;
  buttons[0] = b(1) && b(1).pressed ? 1 : 0;
  buttons[1] = b(4) && b(4).pressed ? 1 : 0;
  buttons[2] = b(5) && b(5).pressed ? 1 : 0;
  buttons[3] = b(0) && b(0).pressed ? 1 : 0;
  buttons[4] = b(3) && b(3).pressed ? 1 : 0;
  axes[0] = clamp(b(0) ? b(0).value : 0, 0, 1);
  axes[1] = clamp(b(1) ? b(1).value : 0, 0, 1);
  axes[2] = clamp(pad && pad.axes.length > 2 ? pad.axes[2] : 0, -1, 1);
  axes[3] = clamp(pad && pad.axes.length > 3 ? -pad.axes[3] : 0, -1, 1);   // forward is + on vr/joy
}

function clamp(v, lo, hi) { return Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : 0; }

// Nothing to render but feedback: green while the clutch is held, red while this browser does not
// drive (not connected, refused, taken over); transparent over passthrough otherwise.
function draw(gl, layer, passthrough, clutched) {
  gl.bindFramebuffer(gl.FRAMEBUFFER, layer.framebuffer);
  if (!link.driving) gl.clearColor(0.4, 0, 0, passthrough ? 0.4 : 1);
  else if (passthrough) gl.clearColor(0, clutched ? 0.3 : 0, 0, clutched ? 0.3 : 0);
  else gl.clearColor(0.08, clutched ? 0.35 : 0.08, 0.1, 1);
  gl.clear(gl.COLOR_BUFFER_BIT | gl.DEPTH_BUFFER_BIT);
}

offerSessions();
