import type { RenderJob } from "./_job_types.ts";

interface Pending {
  resolve: (result: { bytes: number }) => void;
  reject: (error: Error) => void;
}

interface Thread {
  worker: Worker;
  pending: Map<number, Pending>;
}

/**
 * Worker threads that paint and encode videos. One JavaScript thread paints a video in ~50 ms of
 * CPU while its ffmpeg needs ~300 ms, so a single thread saturates at about six encoders; big
 * nodes get one thread per few workers. Jobs go to the thread with the fewest in flight.
 */
export class RenderPool {
  readonly size: number;
  #threads: Thread[] = [];
  #nextId = 0;

  constructor(size: number) {
    this.size = Math.max(1, Math.floor(size));
  }

  #spawn(): Thread {
    const worker = new Worker(new URL("./_render_worker.ts", import.meta.url), { type: "module" });
    const thread: Thread = { worker, pending: new Map() };
    worker.onmessage = (
      event: MessageEvent<{ id: number; bytes?: number; error?: string; name?: string }>,
    ) => {
      const { id, bytes, error, name } = event.data;
      const pending = thread.pending.get(id);
      if (!pending) return;
      thread.pending.delete(id);
      if (error !== undefined) {
        const failure = new Error(error);
        if (name) failure.name = name;
        pending.reject(failure);
      } else pending.resolve({ bytes: bytes ?? 0 });
    };
    worker.onerror = (event) => {
      // A crashed thread fails its own jobs (counted per sample) and is replaced.
      event.preventDefault();
      const index = this.#threads.indexOf(thread);
      if (index >= 0) this.#threads.splice(index, 1);
      worker.terminate();
      const error = new Error(`render thread crashed: ${event.message}`);
      for (const pending of thread.pending.values()) pending.reject(error);
      thread.pending.clear();
    };
    this.#threads.push(thread);
    return thread;
  }

  /** Paint and encode `job` to `outPath` on the least busy thread. */
  run(job: RenderJob, outPath: string): Promise<{ bytes: number }> {
    let thread = this.#threads.reduce<Thread | undefined>(
      (best, t) => (!best || t.pending.size < best.pending.size ? t : best),
      undefined,
    );
    if (!thread || (thread.pending.size > 0 && this.#threads.length < this.size)) {
      thread = this.#spawn();
    }
    const id = this.#nextId++;
    const target = thread;
    return new Promise((resolve, reject) => {
      target.pending.set(id, { resolve, reject });
      target.worker.postMessage({ id, job, outPath });
    });
  }

  /** Ask every thread to kill its running child processes (on SIGTERM / SIGINT). */
  killProcesses(): void {
    for (const thread of this.#threads) thread.worker.postMessage({ kill: true });
  }

  /** Stop the threads (after their jobs have settled). */
  close(): void {
    for (const thread of this.#threads) thread.worker.terminate();
    this.#threads = [];
  }
}

/** Threads for `workers` videos in flight: none (paint here) up to 4, then one per 4 workers. */
export function defaultRenderThreads(workers: number): number {
  return workers <= 4 ? 0 : Math.ceil(workers / 4);
}
