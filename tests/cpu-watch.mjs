// What other processes did to the machine while a benchmark measured (see ./bench): the
// cores they used (`others_cores`), from /proc (Linux), and a wait for an idle machine.
import { readFileSync, readdirSync } from 'node:fs';

/** CPU use of the machine and of this process tree, from /proc (Linux), for `others_cores`:
 * the cores that *other* processes used while a run was measured. Chromium's renderers are
 * forked by its zygote, so the tree is sampled (every 250 ms) rather than taken from rusage. */
export class CpuWatch {
  constructor() {
    this.start = this.sample();
    this.seen = new Map(); // pid → [ticks at first sight (0 if born after start), last ticks]
    this.t0 = performance.now();
    this.update();
    this.timer = setInterval(() => this.update(), 250);
  }

  sample() {
    try {
      const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
      const procs = new Map();
      for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
        try {
          const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
          const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          procs.set(Number(pid), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
        } catch { /* exited meanwhile */ }
      }
      return { busy: [0, 1, 2, 5, 6, 7].reduce((s, i) => s + (cpu[i] ?? 0), 0), procs };
    } catch {
      return null;
    }
  }

  update() {
    const s = this.sample();
    if (!s || !this.start) return;
    const ours = new Set([process.pid]);
    // Parents have lower pids only usually; iterate to a fixed point.
    for (let grew = true; grew;) {
      grew = false;
      for (const [pid, p] of s.procs) {
        if (!ours.has(pid) && ours.has(p.ppid)) { ours.add(pid); grew = true; }
      }
    }
    for (const pid of ours) {
      const ticks = s.procs.get(pid)?.ticks;
      if (ticks == null) continue;
      const known = this.seen.get(pid);
      if (known) known[1] = ticks;
      else this.seen.set(pid, [this.start.procs.get(pid)?.ticks ?? 0, ticks]);
    }
    this.last = s;
  }

  /** Stops; returns the average number of cores other processes used, or null. */
  stop() {
    clearInterval(this.timer);
    this.update();
    const secs = (performance.now() - this.t0) / 1000;
    if (!this.start || !this.last || secs <= 0) return null;
    let ours = 0;
    for (const [first, last] of this.seen.values()) ours += last - first;
    const others = (this.last.busy - this.start.busy - ours) / 100 / secs; // USER_HZ = 100
    return Math.max(0, Math.round(others * 100) / 100);
  }
}


/** Load averages (1, 5, 15 min) from /proc/loadavg, e.g. "1.47 0.99 1.37", or "unknown". */
export function loadavg() {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
}

function cpuLine() {
  return readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
}

/** Percentage of CPU time idle (idle + iowait) machine-wide over the next `seconds`, as
 *  `./bench`'s `idle_pct`; 100 where /proc/stat cannot be read. */
export async function idlePct(seconds = 2) {
  try {
    const a = cpuLine();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const b = cpuLine();
    const total = b.reduce((s, x, i) => s + x - a[i], 0);
    return total > 0 ? Math.floor((100 * (b[3] + b[4] - a[3] - a[4])) / total) : 100;
  } catch {
    return 100;
  }
}

/** Waits until the machine is ≥ 90 % idle for 2 s (`./bench`'s `wait_quiet`), spending at
 *  most what is left of `budget.seconds` (shared by every call, so a busy machine costs one
 *  wait, not one per measurement). Returns { idle, waited, quiet, load }. */
export async function waitQuiet(budget, what = '') {
  const t0 = Date.now();
  let idle;
  for (;;) {
    idle = await idlePct(2);
    const spent = (Date.now() - t0) / 1000;
    if (idle >= 90 || spent >= budget.seconds) {
      budget.seconds = Math.max(0, budget.seconds - spent);
      const quiet = idle >= 90;
      if (!quiet) console.error(`cpu-watch: machine still busy (${idle} % idle); measuring ${what} anyway`);
      return { idle, waited: Math.round(spent), quiet, load: loadavg() };
    }
  }
}
