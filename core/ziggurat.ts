/**
 * Standard normal draws by the ziggurat method (Marsaglia & Tsang 2000, "The Ziggurat Method
 * for Generating Random Variables", with 128 layers): ~99% of draws cost a table lookup, a
 * multiply and a compare, the rest an exact rejection step, so the output is an exact Gaussian
 * tails included. As Doornik (2005, "An Improved Ziggurat Method") advises, the layer index
 * and the value take disjoint bits of the random word (7 and 25), so they are independent; 25
 * signed bits are float32's full precision (24-bit significand and sign).
 * DP-SGD draws one of these per weight per step; Box-Muller's log, sqrt and cos made noise cost
 * as much as the training step itself.
 */

const R = 3.442619855899; // start of the tail
const V = 9.91256303526217e-3; // area of each layer
const M = 2 ** 24;

const K = new Float64Array(128); // |value| below K[i] is inside layer i's rectangle
const W = new Float64Array(128); // value -> x scale of layer i
const F = new Float64Array(128); // density at layer i's edge

{
  let d = R;
  let t = d;
  const q = V / Math.exp(-0.5 * d * d);
  K[0] = (d / q) * M;
  K[1] = 0;
  W[0] = q / M;
  W[127] = d / M;
  F[0] = 1;
  F[127] = Math.exp(-0.5 * d * d);
  for (let i = 126; i >= 1; i--) {
    d = Math.sqrt(-2 * Math.log(V / d + Math.exp(-0.5 * d * d)));
    K[i + 1] = (d / t) * M;
    t = d;
    F[i] = Math.exp(-0.5 * d * d);
    W[i] = d / M;
  }
}

/** Where the ziggurat takes its rare extra draws: random 32-bit words, uniforms in (0, 1]. */
export interface ZigguratSource {
  word(): number;
  uniform(): number;
}

/** The slow path, after the fast test failed for value `hz` in layer `iz`. */
function slow(hz: number, iz: number, src: ZigguratSource): number {
  for (;;) {
    if (iz === 0) {
      // The tail beyond R, by Marsaglia's exact method (1964).
      let x: number;
      let y: number;
      do {
        x = -Math.log(src.uniform()) / R;
        y = -Math.log(src.uniform());
      } while (y + y < x * x);
      return hz > 0 ? R + x : -R - x;
    }
    const x = hz * W[iz];
    if (F[iz] + src.uniform() * (F[iz - 1] - F[iz]) < Math.exp(-0.5 * x * x)) return x;
    const w = src.word();
    hz = w >> 7;
    iz = w & 127;
    if (Math.abs(hz) < K[iz]) return hz * W[iz];
  }
}

/**
 * Fills `out` with N(0, std^2) from one random 32-bit word per output: the low 7 bits pick the
 * layer, the high 25 (signed) place the value. `src` supplies the rare extra draws.
 */
export function fillZiggurat(out: Float32Array, std: number, words: Int32Array, src: ZigguratSource): void {
  for (let i = 0; i < out.length; i++) {
    const w = words[i];
    const hz = w >> 7;
    const iz = w & 127;
    out[i] = std * (Math.abs(hz) < K[iz] ? hz * W[iz] : slow(hz, iz, src));
  }
}
