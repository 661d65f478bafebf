import { parentPort, workerData } from 'node:worker_threads';
import { selectBackend, type BackendChoice } from '../targets/backend.js';
import { ModelCache } from './model-cache.js';
import { serializeError, type WorkerMessage } from './pool.js';
import { runTrainJob, type TrainJob } from './train-job.js';

// One worker thread = one tfjs backend instance; it trains the jobs the pool sends it.
const port = parentPort!;
const { backend, cacheDir } = workerData as { backend: BackendChoice; cacheDir?: string };
const ready = selectBackend(backend);
const cache = cacheDir ? new ModelCache(cacheDir) : undefined;
const send = (msg: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);

port.on('message', async ({ id, job }: { id: number; job: TrainJob }) => {
  try {
    await ready;
    const result = await runTrainJob(job, cache, (message) => send({ type: 'progress', id, message }));
    const transfer = [result.logits, ...(result.weights ?? [])].flatMap((a) => (a ? [a.buffer as ArrayBuffer] : []));
    send({ type: 'done', id, result }, [...new Set(transfer)]);
  } catch (err) {
    send({ type: 'error', id, error: serializeError(err) });
  }
});
