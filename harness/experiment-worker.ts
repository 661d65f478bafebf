import { parentPort, workerData } from 'node:worker_threads';
import { selectBackend, type BackendChoice } from '../targets/backend.js';
import { runExperiment } from './experiment.js';
import { serializeError } from './pool.js';
import type { ExperimentSpec } from './suite/load.js';

// One worker thread = one tfjs backend instance; it runs the experiments the pool sends it.
const port = parentPort!;
const ready = selectBackend((workerData as { backend: BackendChoice }).backend);

port.on('message', async (msg: { index: number; spec: ExperimentSpec }) => {
  try {
    await ready;
    const result = await runExperiment(msg.spec, (message) => port.postMessage({ type: 'progress', index: msg.index, message }));
    port.postMessage({ type: 'done', index: msg.index, result });
  } catch (err) {
    port.postMessage({ type: 'error', index: msg.index, error: serializeError(err) });
  }
});
