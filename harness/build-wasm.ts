/**
 * Build step (npm run build): assembles the project's generated WebAssembly text into binaries
 * next to the compiled modules that load them, so wabt stays a dev dependency.
 */
import { writeFileSync } from 'node:fs';
import wabtInit from 'wabt';
import { zigguratSource } from '../core/ziggurat-wat.js';
import { gemmSources } from '../targets/kernels/gemm-wat.js';

const wabt = await wabtInit();
for (const source of [zigguratSource, ...Object.values(gemmSources)]) {
  const module = wabt.parseWat(source.url.pathname, source.wat, { simd: true, relaxed_simd: source.relaxedSimd ?? false });
  try {
    module.validate();
    writeFileSync(source.url, module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}
