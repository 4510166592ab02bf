// The desktop page: a virtual controller driven by keys and the mouse, sent as the headset page
// sends a real one (same frame, same vr/joy layout), 50 times a second. A timer rather than
// animation frames: a browser gives those only while it repaints, and the stream must not depend
// on that (a hidden tab gets neither, and blur lets go of every key).
'use strict';

const link = new VrLink(showStatus, () => showBusy());
const showBusy = pairingControls(link);
const SPEED = 0.25, TURN = 1.0;   // m/s and rad/s while a key is held; slow enough to follow on the arm
const MOUSE = 0.002, WHEEL = 0.0005;   // m per pixel
const start = [0, 1.0, -0.4];   // in front of a standing operator, at waist height
const position = start.slice(), orientation = [0, 0, 0, 1];
const keys = new Set();
const PERIOD_MS = 20;
let trigger = 0, dragging = false, last = performance.now();
window.vrWeb = { link, frames: 0 };

addEventListener('keydown', (e) => {
  if (e.target.tagName === 'INPUT') return;
  if (e.code === 'KeyG' && !e.repeat) trigger = trigger ? 0 : 1;
  keys.add(e.code);
  if (e.code === 'Space' || e.code.startsWith('Arrow')) e.preventDefault();
});
addEventListener('keyup', (e) => keys.delete(e.code));
addEventListener('blur', () => { keys.clear(); dragging = false; });   // never stays clutched

const pad = document.getElementById('pad');
pad.onpointerdown = (e) => { dragging = true; pad.setPointerCapture(e.pointerId); };
pad.onpointerup = () => { dragging = false; };
pad.onpointermove = (e) => {
  if (!dragging) return;
  position[0] += e.movementX * MOUSE;
  position[1] -= e.movementY * MOUSE;
};
pad.onwheel = (e) => { position[2] += e.deltaY * WHEEL; e.preventDefault(); };

// q = q * (rotation of angle about the local axis)
function turn(axis, angle) {
  const s = Math.sin(angle / 2), c = Math.cos(angle / 2);
  const r = [axis[0] * s, axis[1] * s, axis[2] * s, c], q = orientation.slice();
  orientation[0] = q[3] * r[0] + q[0] * r[3] + q[1] * r[2] - q[2] * r[1];
  orientation[1] = q[3] * r[1] - q[0] * r[2] + q[1] * r[3] + q[2] * r[0];
  orientation[2] = q[3] * r[2] + q[0] * r[1] - q[1] * r[0] + q[2] * r[3];
  orientation[3] = q[3] * r[3] - q[0] * r[0] - q[1] * r[1] - q[2] * r[2];
  const n = Math.hypot(...orientation);
  for (let i = 0; i < 4; i++) orientation[i] /= n;
}

function tick() {
  const now = performance.now();
  window.vrWeb.frames++;
  const dt = Math.min(0.25, (now - last) / 1000);   // a stalled tab moves at most 6 cm at once
  last = now;
  const held = (code) => keys.has(code) ? 1 : 0;
  position[0] += (held('KeyD') - held('KeyA')) * SPEED * dt;
  position[1] += (held('KeyR') - held('KeyF')) * SPEED * dt;
  position[2] += (held('KeyS') - held('KeyW')) * SPEED * dt;
  const yaw = (held('KeyQ') - held('KeyE')) * TURN * dt, pitch = (held('ArrowUp') - held('ArrowDown')) * TURN * dt;
  const roll = (held('ArrowLeft') - held('ArrowRight')) * TURN * dt;
  if (yaw) turn([0, 1, 0], yaw);
  if (pitch) turn([1, 0, 0], pitch);
  if (roll) turn([0, 0, 1], roll);
  const clutch = keys.has('Space') || dragging ? 1 : 0;
  const buttons = [clutch, held('Digit1'), held('Digit2'), trigger, 0];
  link.send(performance.now(), position, orientation, false, buttons, [trigger, clutch, 0, 0]);
  document.getElementById('pose').textContent = 'position ' + position.map(v => v.toFixed(3)).join(', ')
    + ' m · clutch ' + (clutch ? 'held' : 'up') + ' · trigger ' + trigger;
}
setInterval(tick, PERIOD_MS);
