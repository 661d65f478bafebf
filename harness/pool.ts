import { Worker } from 'node:worker_threads';
import { InputError, type InputLocation } from '../core/errors.js';
import type { ExperimentResult } from '../core/results.js';
import type { BackendChoice } from '../targets/backend.js';
import { runExperiment } from './experiment.js';
import type { ExperimentSpec } from './suite/load.js';

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

export type ExperimentProgress = (index: number, message: string) => void;

/**
 * Runs experiments on `workers` threads (each with its own tfjs backend), or inline when one
 * suffices. Results come back in spec order; the first failure stops the pool and is thrown.
 */
export async function runExperiments(
  specs: ExperimentSpec[],
  workers: number,
  backend: BackendChoice,
  progress: ExperimentProgress,
): Promise<ExperimentResult[]> {
  const threads = Math.min(workers, specs.length);
  if (threads <= 1) {
    const out: ExperimentResult[] = [];
    for (let i = 0; i < specs.length; i++) out.push(await runExperiment(specs[i], (m) => progress(i, m)));
    return out;
  }
  const results: ExperimentResult[] = new Array(specs.length);
  const pool = Array.from(
    { length: threads },
    () => new Worker(new URL('./experiment-worker.js', import.meta.url), { workerData: { backend } }),
  );
  let next = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let done = 0;
      const feed = (w: Worker) => {
        if (next < specs.length) {
          const index = next++;
          w.postMessage({ index, spec: specs[index] });
        }
      };
      for (const w of pool) {
        w.on('message', (msg: { type: string; index: number; message?: string; result?: ExperimentResult; error?: SerializedError }) => {
          if (msg.type === 'progress') progress(msg.index, msg.message!);
          else if (msg.type === 'error') reject(reviveError(msg.error!));
          else {
            results[msg.index] = msg.result!;
            if (++done === specs.length) resolve();
            else feed(w);
          }
        });
        w.on('error', reject);
        w.on('exit', (code) => {
          if (code !== 0) reject(new Error(`worker thread exited with code ${code}`));
        });
        feed(w);
      }
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}
