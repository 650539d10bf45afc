/**
 * Simulated time for the rehearsal: a discrete-event scheduler.
 *
 * Everything in a rehearsal (the interpreter, the Lambda logic, the model) runs on promises; nothing
 * waits in real time. Whatever would wait (a Wait state, a retry backoff, a poll interval of a
 * function, a restore job that takes 40 minutes) registers a timer here. The driver advances the
 * clock to the earliest timer only once every promise chain has settled (the process is quiescent),
 * so that concurrent activities (Map iterations, event deliveries) share one consistent timeline:
 * five parallel restore jobs of 30 minutes take 30 simulated minutes, not 150.
 */

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
}

export class DeadlockError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeadlockError';
  }
}

/** What a sleep still pending when the rehearsal ends rejects with. */
export class SimulationEndedError extends Error {
  constructor() {
    super('the rehearsal has ended');
    this.name = 'SimulationEnded';
  }
}

export class VirtualClock {
  readonly startMs: number;
  private t: number;
  private seq = 0;
  private readonly heap: Timer[] = [];
  private readonly sleepers = new Set<(error: Error) => void>();
  private stopped = false;
  /** Bumped on every scheduling and firing: the driver waits until it stops changing. */
  private activity = 0;
  /** Pending {@link hold}s. */
  private holds = 0;

  constructor(startMs: number) {
    this.startMs = startMs;
    this.t = startMs;
  }

  now(): number {
    return this.t;
  }

  date(): Date {
    return new Date(this.t);
  }

  /** Seconds since the start. */
  elapsed(): number {
    return (this.t - this.startMs) / 1000;
  }

  /** Runs `fn` at simulated time `atMs` (not before now). */
  at(atMs: number, fn: () => void): void {
    this.activity++;
    this.push({ at: Math.max(atMs, this.t), seq: this.seq++, fn });
  }

  after(ms: number, fn: () => void): void {
    this.at(this.t + Math.max(0, ms), fn);
  }

  /** Resolves after `ms` of simulated time (rejects with {@link SimulationEndedError} once stopped). */
  sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.reject(new SimulationEndedError());
    return new Promise((resolve, reject) => {
      this.sleepers.add(reject);
      this.after(ms, () => {
        this.sleepers.delete(reject);
        resolve();
      });
    });
  }

  /**
   * Ends the simulation: drops every timer and rejects every pending sleep, so that nothing (an
   * iteration the interpreter aborted but left waiting, with a real Task timeout) outlives it.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.heap.length = 0;
    for (const reject of this.sleepers) reject(new SimulationEndedError());
    this.sleepers.clear();
    for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** Lets a stopped simulation go on (a failback after its recovery): timers and sleeps work again. */
  resume(): void {
    this.stopped = false;
  }

  /**
   * Work that settles in real time (I/O, e.g. the IAM evaluator loading its data) and must finish
   * before simulated time moves on: the driver does not advance the clock while any is pending.
   */
  async hold<T>(work: Promise<T>): Promise<T> {
    this.holds++;
    this.activity++;
    try {
      return await work;
    } finally {
      this.holds--;
      this.activity++;
    }
  }

  /** Marks progress that the driver must let settle (e.g. a model call). */
  touch(): void {
    this.activity++;
  }

  pendingTimers(): number {
    return this.heap.length;
  }

  /**
   * Advances simulated time until `isDone()` holds at a quiescent moment. Throws
   * {@link DeadlockError} when nothing is scheduled and the work is not done, or when simulated
   * time would pass `limitMs`.
   */
  async drive(isDone: () => boolean, limitMs: number): Promise<void> {
    for (;;) {
      await this.quiesce();
      if (isDone()) return;
      const next = this.pop();
      if (!next) throw new DeadlockError('nothing is scheduled and the rehearsal has not finished (a promise never settles)');
      if (next.at > limitMs) throw new DeadlockError(`simulated time passed its limit (${new Date(limitMs).toISOString()})`);
      this.t = Math.max(this.t, next.at);
      this.activity++;
      next.fn();
    }
  }

  /** Waits until one macrotask turn passes without any scheduling or firing (every promise chain settled). */
  private async quiesce(): Promise<void> {
    let stable = 0;
    while (stable < 2) {
      const before = this.activity;
      await new Promise<void>((resolve) => setImmediate(resolve));
      stable = before === this.activity && this.holds === 0 ? stable + 1 : 0;
    }
  }

  private less(a: Timer, b: Timer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(timer: Timer): void {
    const h = this.heap;
    h.push(timer);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }

  private pop(): Timer | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop() as Timer;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

/** Deterministic PRNG (mulberry32): the same seed gives the same rehearsal. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `+1:02:03` (h:mm:ss) of a number of seconds. */
export function offset(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return `+${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
}
