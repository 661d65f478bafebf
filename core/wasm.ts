import { readFileSync } from 'node:fs';

/**
 * A WebAssembly module this project generates as text and assembles at build time
 * (harness/build-wasm.ts), so nothing is assembled at run time.
 */
export interface WasmSource {
  /** Where the build writes the binary: next to the compiled module that loads it. */
  url: URL;
  wat: string;
  relaxedSimd?: boolean;
}

/** The built binary of a source. */
export function readWasm(source: WasmSource): Uint8Array<ArrayBuffer> {
  return new Uint8Array(readFileSync(source.url));
}
