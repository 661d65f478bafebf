import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { InputError, type InputLocation } from '../core/errors.js';
import type { BackendChoice } from '../targets/backend.js';
import { ModelCache } from './model-cache.js';
import { runTrainJob, type JobResult, type TrainJob } from './train-job.js';

interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  location?: InputLocation;
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof InputError) return { name: err.name, message: err.message, location: err.location };
  const e = err instanceof Error ? err : new Error(String(err));
  return { name: e.name, message: e.message, stack: e.stack };
}

function reviveError(e: SerializedError): Error {
  if (e.name === 'InputError') return new InputError(e.message, e.location);
  const err = new Error(e.message);
  err.stack = e.stack;
  return err;
}

/** Runs training jobs; the same job asked for twice (attacks sharing reference models) runs once. */
export interface Executor {
  run(job: TrainJob): Promise<JobResult>;
  close(): Promise<void>;
}

export interface ExecutorOptions {
  workers: number;
  backend: BackendChoice;
  /** The model cache's folder; none bypasses it. */
  cacheDir?: string;
  progress: (message: string) => void;
}

export type WorkerMessage =
  | { type: 'progress'; id: number; message: string }
  | { type: 'done'; id: number; result: JobResult }
  | { type: 'error'; id: number; error: SerializedError };

function memoKey(job: TrainJob): string {
  const q = job.queryRows;
  const query = q ? createHash('sha256').update(new Uint8Array(q.buffer, q.byteOffset, q.byteLength)).digest('hex') : '-';
  return `${job.key}/${query}/${job.returnWeights}`;
}

function memoized(run: (job: TrainJob) => Promise<JobResult>): (job: TrainJob) => Promise<JobResult> {
  const seen = new Map<string, Promise<JobResult>>();
  return (job) => {
    const k = memoKey(job);
    let p = seen.get(k);
    if (!p) seen.set(k, (p = run(job)));
    return p;
  };
}

/** One job at a time on this thread (tfjs ops of two trainings would only interleave). */
function inlineExecutor(o: ExecutorOptions): Executor {
  const cache = o.cacheDir ? new ModelCache(o.cacheDir) : undefined;
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run: memoized((job) => {
      const p = tail.then(() => runTrainJob(job, cache, o.progress));
      tail = p.catch(() => undefined);
      return p;
    }),
    close: async () => undefined,
  };
}

/**
 * A pool of worker threads, each with its own tfjs backend, taking jobs first come first
 * served. Jobs carry only plain data (rows, specs, seeds), and logits come back transferred.
 */
function threadExecutor(o: ExecutorOptions): Executor {
  const queue: { id: number; job: TrainJob }[] = [];
  const pending = new Map<number, { resolve: (r: JobResult) => void; reject: (e: Error) => void }>();
  const idle: Worker[] = [];
  let nextId = 0;
  let failure: Error | undefined;
  const fail = (err: Error) => {
    failure ??= err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  const pump = () => {
    while (idle.length && queue.length) {
      const w = idle.pop()!;
      const { id, job } = queue.shift()!;
      w.postMessage({ id, job });
    }
  };
  const workers = Array.from({ length: o.workers }, () => {
    const w = new Worker(new URL('./experiment-worker.js', import.meta.url), {
      workerData: { backend: o.backend, cacheDir: o.cacheDir },
    });
    w.on('message', (msg: WorkerMessage) => {
      if (msg.type === 'progress') return o.progress(msg.message);
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.type === 'done') p?.resolve(msg.result);
      else p?.reject(reviveError(msg.error));
      idle.push(w);
      pump();
    });
    w.on('error', fail);
    w.on('exit', (code) => {
      if (code !== 0) fail(new Error(`worker thread exited with code ${code}`));
    });
    idle.push(w);
    return w;
  });
  return {
    run: memoized(
      (job) =>
        new Promise<JobResult>((resolve, reject) => {
          if (failure) return reject(failure);
          const id = nextId++;
          pending.set(id, { resolve, reject });
          queue.push({ id, job });
          pump();
        }),
    ),
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/** Inline for one worker (simplest to debug), threads otherwise; both give identical models. */
export function createExecutor(o: ExecutorOptions): Executor {
  return o.workers <= 1 ? inlineExecutor(o) : threadExecutor(o);
}
