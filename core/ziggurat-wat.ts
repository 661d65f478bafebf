import type { WasmSource } from './wasm.js';

/** Draws per block: the module's memory holds one block's words, outputs and misses. */
export const BLOCK = 16384;
/** Extra words a miss may take from one pool before the caller draws another. */
export const POOL_PER_MISS = 4;
export const POOL_SLACK = 64;

/** Byte offsets in the module's memory. */
export const LAYOUT = {
  /** Int32 ceil(K[i]): |hz| < K[i] exactly when |hz| < ceil(K[i]), hz being an integer. */
  k: 0,
  /** Float64 W[i], then F[i]. */
  w: 512,
  f: 1536,
  /** Int32x4 per 4-bit mask: the indices of its set bits, packed low (for branchless appends). */
  compress: 3584,
  words: 4096,
  out: 4096 + 4 * BLOCK,
  /** A group's append writes 4 lanes, so 3 slots of slack. */
  misses: 4096 + 8 * BLOCK,
  pool: 4096 + 12 * BLOCK + 16,
  end: 4096 + 12 * BLOCK + 16 + 4 * (POOL_SLACK + POOL_PER_MISS * BLOCK),
};

/** The compress table's contents, as LAYOUT.compress expects them. */
export function compressTable(): Int32Array {
  const t = new Int32Array(64);
  for (let mask = 0; mask < 16; mask++) {
    let k = 0;
    for (let lane = 0; lane < 4; lane++) if (mask & (1 << lane)) t[4 * mask + k++] = lane;
  }
  return t;
}

const R = 3.442619855899;

function factorial(n: number): number {
  return n <= 1 ? 1 : n * factorial(n - 1);
}

/** WAT that sets vector `dst` to table entries at the layer indices in `$iz`'s `lanes`. */
function gather(dst: string, shape: 'i32x4' | 'f64x2', load: string, table: number, shift: number, lanes: number[]): string {
  const at = (lane: number) => `(${load} offset=${table} (i32.shl (i32x4.extract_lane ${lane} (local.get $iz)) (i32.const ${shift})))`;
  let v = `(${shape}.splat ${at(lanes[0])})`;
  lanes.slice(1).forEach((lane, i) => (v = `(${shape}.replace_lane ${i + 1} ${v} ${at(lane)})`));
  return `(local.set ${dst} ${v})`;
}

/**
 * The ziggurat (core/ziggurat.ts has the method and the tables) over one block of random
 * words, in wasm: the JS loop cost as much as the rest of a DP-SGD step's noise.
 * `fast` runs the fast path, writing 0 for the words that fail it and listing their indices;
 * `finish` runs the exact slow path for listed words from `from` on, drawing its extra words
 * from the pool, and returns where it stopped: the number of misses when done, or the miss
 * it could not finish when the pool ran dry (the caller draws a new pool and restarts that
 * miss; a restarted rejection loop is a fresh, equally exact run).
 */
export const zigguratSource: WasmSource = {
  url: new URL('./ziggurat.wasm', import.meta.url),
  wat: `(module
(import "math" "log" (func $log (param f64) (result f64)))
(memory (export "memory") ${Math.ceil(LAYOUT.end / 65536)})

(func (export "fast") (param $n i32) (param $std f64) (result i32)
  (local $p i32) (local $end4 i32) (local $end i32) (local $nm i32) (local $miss i32)
  (local $hz v128) (local $iz v128) (local $k v128) (local $ok v128) (local $wt v128) (local $lo v128) (local $hi v128) (local $std2 v128)
  (local.set $p (i32.const ${LAYOUT.words}))
  (local.set $end4 (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
  (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
  (local.set $std2 (f64x2.splat (local.get $std)))
  ;; Four words at a time, then the rest one by one.
  (block $simd_done (br_if $simd_done (i32.ge_u (local.get $p) (local.get $end4)))
    (loop $group
      (local.set $hz (i32x4.shr_s (v128.load (local.get $p)) (i32.const 7)))
      (local.set $iz (v128.and (v128.load (local.get $p)) (i32x4.splat (i32.const 127))))
      ${gather('$k', 'i32x4', 'i32.load', LAYOUT.k, 2, [0, 1, 2, 3])}
      (local.set $ok (i32x4.lt_s (i32x4.abs (local.get $hz)) (local.get $k)))
      ${gather('$wt', 'f64x2', 'f64.load', LAYOUT.w, 3, [0, 1])}
      (local.set $lo (f32x4.demote_f64x2_zero (f64x2.mul (local.get $std2)
        (f64x2.mul (f64x2.convert_low_i32x4_s (local.get $hz)) (local.get $wt)))))
      ${gather('$wt', 'f64x2', 'f64.load', LAYOUT.w, 3, [2, 3])}
      (local.set $hi (f32x4.demote_f64x2_zero (f64x2.mul (local.get $std2)
        (f64x2.mul (f64x2.convert_low_i32x4_s (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $hz) (local.get $hz))) (local.get $wt)))))
      (v128.store offset=${LAYOUT.out - LAYOUT.words} (local.get $p) (v128.and (local.get $ok)
        (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $lo) (local.get $hi))))
      ;; Misses are random (about one group in ten has one), so they are appended without a
      ;; branch: the group's miss lanes, packed by the compress table, then the count advances.
      (local.set $miss (i32.xor (i32x4.bitmask (local.get $ok)) (i32.const 15)))
      (v128.store offset=${LAYOUT.misses} (i32.shl (local.get $nm) (i32.const 2))
        (i32x4.add (i32x4.splat (i32.shr_u (i32.sub (local.get $p) (i32.const ${LAYOUT.words})) (i32.const 2)))
          (v128.load offset=${LAYOUT.compress} (i32.shl (local.get $miss) (i32.const 4)))))
      (local.set $nm (i32.add (local.get $nm) (i32.popcnt (local.get $miss))))
      (br_if $group (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 16))) (local.get $end4)))))
  (block $done (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
    (loop $rest
      (local.set $nm (call $one (local.get $p) (local.get $nm) (local.get $std)))
      (br_if $rest (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 4))) (local.get $end)))))
  (local.get $nm))

;; Whether value hz lies inside layer iz's rectangle (the fast test).
(func $inside (param $hz i32) (param $iz i32) (result i32)
  (i32.lt_s
    (select (i32.sub (i32.const 0) (local.get $hz)) (local.get $hz) (i32.lt_s (local.get $hz) (i32.const 0)))
    (i32.load offset=${LAYOUT.k} (i32.shl (local.get $iz) (i32.const 2)))))

;; x for value hz in layer iz.
(func $value (param $hz i32) (param $iz i32) (result f64)
  (f64.mul (f64.convert_i32_s (local.get $hz)) (f64.load offset=${LAYOUT.w} (i32.shl (local.get $iz) (i32.const 3)))))

;; The fast path for the word at $p: its output, or 0 and its index appended to the misses.
(func $one (param $p i32) (param $nm i32) (param $std f64) (result i32)
  (local $w i32) (local $hz i32) (local $iz i32)
  (local.set $w (i32.load (local.get $p)))
  (local.set $hz (i32.shr_s (local.get $w) (i32.const 7)))
  (local.set $iz (i32.and (local.get $w) (i32.const 127)))
  (if (call $inside (local.get $hz) (local.get $iz))
    (then
      (f32.store offset=${LAYOUT.out - LAYOUT.words} (local.get $p) (f32.demote_f64 (f64.mul (local.get $std)
        (call $value (local.get $hz) (local.get $iz))))))
    (else
      (f32.store offset=${LAYOUT.out - LAYOUT.words} (local.get $p) (f32.const 0))
      (i32.store offset=${LAYOUT.misses} (i32.shl (local.get $nm) (i32.const 2))
        (i32.shr_u (i32.sub (local.get $p) (i32.const ${LAYOUT.words})) (i32.const 2)))
      (return (i32.add (local.get $nm) (i32.const 1)))))
  (local.get $nm))

;; (exported for its unit test)
(export "exp" (func $exp))

(func (export "finish") (param $nm i32) (param $j i32) (param $pool i32) (param $std f64) (result i32)
  (local $i i32) (local $w i32) (local $hz i32) (local $iz i32) (local $p i32) (local $end i32)
  (local $x f64) (local $y f64) (local $u f64) (local $v f64)
  (local.set $p (i32.const ${LAYOUT.pool}))
  (local.set $end (i32.add (local.get $p) (i32.shl (local.get $pool) (i32.const 2))))
  (block $all (br_if $all (i32.ge_u (local.get $j) (local.get $nm)))
    (loop $miss
      (local.set $i (i32.load offset=${LAYOUT.misses} (i32.shl (local.get $j) (i32.const 2))))
      (local.set $w (i32.load offset=${LAYOUT.words} (i32.shl (local.get $i) (i32.const 2))))
      (local.set $hz (i32.shr_s (local.get $w) (i32.const 7)))
      (local.set $iz (i32.and (local.get $w) (i32.const 127)))
      (block $value
        (loop $retry
          (if (i32.eqz (local.get $iz))
            (then
              ;; The tail beyond R, by Marsaglia's exact method (1964).
              (loop $tail
                (if (i32.gt_u (i32.add (local.get $p) (i32.const 16)) (local.get $end)) (then (return (local.get $j))))
                (local.set $x (f64.div (f64.neg (call $log (call $uniform (local.get $p)))) (f64.const ${R})))
                (local.set $y (f64.neg (call $log (call $uniform (i32.add (local.get $p) (i32.const 8))))))
                (local.set $p (i32.add (local.get $p) (i32.const 16)))
                (br_if $tail (f64.lt (f64.add (local.get $y) (local.get $y)) (f64.mul (local.get $x) (local.get $x)))))
              (local.set $v (select (f64.add (f64.const ${R}) (local.get $x)) (f64.sub (f64.const -${R}) (local.get $x))
                (i32.gt_s (local.get $hz) (i32.const 0))))
              (br $value)))
          ;; The wedge: accept x with probability (f(x) - F[iz]) / (F[iz-1] - F[iz]).
          (local.set $x (call $value (local.get $hz) (local.get $iz)))
          (if (i32.gt_u (i32.add (local.get $p) (i32.const 12)) (local.get $end)) (then (return (local.get $j))))
          (local.set $u (call $uniform (local.get $p)))
          (local.set $p (i32.add (local.get $p) (i32.const 8)))
          (local.set $v (local.get $x))
          (br_if $value (f64.lt
            (f64.add (f64.load offset=${LAYOUT.f} (i32.shl (local.get $iz) (i32.const 3)))
              (f64.mul (local.get $u)
                (f64.sub (f64.load offset=${LAYOUT.f - 8} (i32.shl (local.get $iz) (i32.const 3)))
                         (f64.load offset=${LAYOUT.f} (i32.shl (local.get $iz) (i32.const 3))))))
            (call $exp (f64.mul (f64.const -0.5) (f64.mul (local.get $x) (local.get $x))))))
          ;; Rejected: a new word, through the fast test again.
          (local.set $w (i32.load (local.get $p)))
          (local.set $p (i32.add (local.get $p) (i32.const 4)))
          (local.set $hz (i32.shr_s (local.get $w) (i32.const 7)))
          (local.set $iz (i32.and (local.get $w) (i32.const 127)))
          (local.set $v (call $value (local.get $hz) (local.get $iz)))
          (br_if $value (call $inside (local.get $hz) (local.get $iz)))
          (br $retry)))
      (f32.store offset=${LAYOUT.out} (i32.shl (local.get $i) (i32.const 2)) (f32.demote_f64 (f64.mul (local.get $std) (local.get $v))))
      (br_if $miss (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $nm)))))
  (local.get $nm))

;; e^t for the wedge test (t in [-R^2/2, 0]), here rather than an import: a call out to JS
;; cost more than the rest of a miss. t = k ln2 + r with |r| <= ln2/2 (ln2 split in two so
;; k ln2 is exact), then a degree-13 Taylor polynomial (truncation < 2e-16 relative) and 2^k
;; built from its exponent bits.
(func $exp (param $t f64) (result f64)
  (local $k f64) (local $r f64) (local $p f64)
  (local.set $k (f64.nearest (f64.mul (local.get $t) (f64.const 1.4426950408889634))))
  (local.set $r (f64.sub (f64.sub (local.get $t) (f64.mul (local.get $k) (f64.const 0.6931471803691238)))
    (f64.mul (local.get $k) (f64.const 1.9082149292705877e-10))))
  (local.set $p (f64.const ${1 / factorial(13)}))
  ${[...Array(13).keys()].reverse().map((i) => `(local.set $p (f64.add (f64.const ${1 / factorial(i)}) (f64.mul (local.get $r) (local.get $p))))`).join('\n  ')}
  (f64.mul (local.get $p) (f64.reinterpret_i64 (i64.shl (i64.add (i64.trunc_f64_s (local.get $k)) (i64.const 1023)) (i64.const 52)))))

;; Uniform in (0, 1] from the two words at $p, with 53 random bits.
(func $uniform (param $p i32) (result f64)
  (f64.sub (f64.const 1) (f64.div
    (f64.add
      (f64.mul (f64.convert_i32_u (i32.shr_u (i32.load (local.get $p)) (i32.const 5))) (f64.const 67108864))
      (f64.convert_i32_u (i32.shr_u (i32.load offset=4 (local.get $p)) (i32.const 6))))
    (f64.const 9007199254740992))))
)`,
};
