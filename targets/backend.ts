import * as tf from '@tensorflow/tfjs-core';
import { InputError } from '../core/errors.js';
import { installWasmMatMul } from './kernels/wasm-matmul.js';

export const BACKEND_CHOICES = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

async function tryTensorflow(): Promise<boolean> {
  try {
    // Optional dependency: its install downloads libtensorflow and is skipped where that fails.
    // A variable specifier keeps the compiler from requiring the package to be present.
    const name = '@tensorflow/tfjs-node';
    await import(name);
    return await tf.setBackend('tensorflow');
  } catch {
    return false;
  }
}

async function tryWasm(): Promise<boolean> {
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    return await tf.setBackend('wasm');
  } catch {
    return false;
  }
}

async function tryCpu(): Promise<boolean> {
  await import('@tensorflow/tfjs-backend-cpu');
  return tf.setBackend('cpu');
}

const attempts: Record<Exclude<BackendChoice, 'auto'>, () => Promise<boolean>> = {
  tensorflow: tryTensorflow,
  wasm: tryWasm,
  cpu: tryCpu,
};

/** The choice that selects a backend label again (`wasm+gemm-fma` -> `wasm`), for new threads and merges. */
export function backendChoiceOf(label: string): BackendChoice {
  const name = label.split('+')[0];
  const choice = BACKEND_CHOICES.find((c) => c === name);
  if (!choice) throw new InputError(`unknown backend '${label}'`, { field: 'backend' });
  return choice;
}

/**
 * Selects the tfjs backend once per thread: `auto` tries native libtensorflow, then wasm
 * (SIMD, with this project's matMul), then the pure-JS CPU backend. Returns the name that runs, which every
 * result records; on wasm it names the matMul kernel too (`wasm+gemm-fma`), since the kernel
 * sets the rounding of every product. An explicit choice that cannot load is a usage error.
 */
export async function selectBackend(choice: BackendChoice = 'auto'): Promise<string> {
  const order: Exclude<BackendChoice, 'auto'>[] = choice === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [choice];
  for (const name of order) {
    if (await attempts[name]()) {
      await tf.ready();
      const backend = tf.getBackend();
      return backend === 'wasm' ? `wasm+gemm-${installWasmMatMul()}` : backend;
    }
  }
  throw new InputError(
    `backend '${choice}' is not available here` +
      (choice === 'tensorflow' ? ' (@tensorflow/tfjs-node did not install; use --backend wasm or auto)' : ''),
    { field: '--backend' },
  );
}
