// The worker's side of the control channel's heartbeat: the coordinator pings every second; no ping for silenceMs
// means it is gone (its host down, the network cut), and the worker must not outlive its run.
import type { WebSocket } from 'ws';

/**
 * Calls `onSilence` once when no ping arrived for `silenceMs`. A stale reading is checked again after pending I/O
 * has been read: after a long synchronous stall (the block-worker fault) the timer can fire before the pings that
 * arrived meanwhile are read.
 */
export function watchHeartbeat(socket: WebSocket, silenceMs: number, onSilence: () => void): void {
  let lastPingMs = performance.now();
  socket.on('ping', () => (lastPingMs = performance.now()));
  const stale = () => performance.now() - lastPingMs > silenceMs;
  const timer = setInterval(
    () => {
      if (!stale()) return;
      setImmediate(() => {
        if (!stale()) return;
        clearInterval(timer);
        onSilence();
      });
    },
    Math.min(1000, silenceMs / 4),
  );
  timer.unref();
  socket.once('close', () => clearInterval(timer));
}
