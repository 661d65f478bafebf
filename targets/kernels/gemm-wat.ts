import type { WasmSource } from '../../core/wasm.js';

/**
 * WebAssembly text of the float32 matrix product the wasm backend's matMul runs on:
 * C[M,N] = op(A)[M,K] · op(B)[K,N], row-major, op = identity or transpose, every pointer a
 * byte offset into the memory it imports (the tfjs wasm heap, so tensors are read in place).
 *
 * Why not XNNPACK's kernel: it repacks the right operand on every call (the weights change
 * every step), takes a slow path for transposed operands, and, built without relaxed SIMD,
 * spends a multiply and an add where x86 has one fused multiply-add. This kernel reads
 * transposed operands through strides while it packs them, packs op(B) once per call (K·N
 * copies against M·K·N multiply-adds) and A only where a panel is not contiguous already, and
 * uses f32x4.relaxed_madd when the engine has it (the `fma` variant).
 *
 * Blocking: a 6x8 register tile (12 accumulators, 2 B vectors and a splat: 15 of the 16 xmm
 * registers V8 allocates); row panels outer, so a K x 6 panel of A stays in L1 while op(B),
 * packed once into K x 8 column panels, streams past it.
 */
export const MR = 6;
export const NR = 8;

/** Scratch bytes for a K x N op(B): a packed A panel, op(B) packed, and one C tile. */
export function gemmScratchBytes(k: number, n: number): number {
  return 4 * (MR * k + k * Math.ceil(n / NR) * NR + MR * NR);
}

/**
 * relaxed_madd is fused where the CPU has FMA and rounds twice where it does not; a*b + c with
 * a = b = 1 + 2^-12 and c = -(1 + 2^-11) tells them apart (2^-24 fused, 0 not).
 */
const FUSED_PROBE = `
(func (export "fused") (param $a f32) (param $b f32) (param $c f32) (result f32)
  (f32x4.extract_lane 0 (f32x4.relaxed_madd (f32x4.splat (local.get $a)) (f32x4.splat (local.get $b)) (f32x4.splat (local.get $c)))))`;

function tile(fma: boolean): string {
  const acc = (r: number, v: number) => `$c${r}_${v}`;
  const lines: string[] = [];
  const rows = [...Array(MR).keys()];
  const vecs = [...Array(NR / 4).keys()];
  for (const r of rows) for (const v of vecs) lines.push(`(local ${acc(r, v)} v128)`);
  for (const v of vecs) lines.push(`(local $b${v} v128)`);
  lines.push('(local $av v128)');
  lines.push('(block $done (br_if $done (i32.eqz (local.get $K))) (loop $k');
  for (const v of vecs) lines.push(`(local.set $b${v} (v128.load offset=${16 * v} (local.get $b)))`);
  for (const r of rows) {
    lines.push(`(local.set $av (v128.load32_splat offset=${4 * r} (local.get $a)))`);
    for (const v of vecs) {
      const c = acc(r, v);
      lines.push(
        fma
          ? `(local.set ${c} (f32x4.relaxed_madd (local.get $av) (local.get $b${v}) (local.get ${c})))`
          : `(local.set ${c} (f32x4.add (local.get ${c}) (f32x4.mul (local.get $av) (local.get $b${v}))))`,
      );
    }
  }
  lines.push('(local.set $a (i32.add (local.get $a) (local.get $sak)))');
  lines.push('(local.set $b (i32.add (local.get $b) (local.get $sbk)))');
  lines.push('(br_if $k (local.tee $K (i32.sub (local.get $K) (i32.const 1))))))');
  for (const r of rows) {
    for (const v of vecs) lines.push(`(v128.store offset=${16 * v} (local.get $c) (local.get ${acc(r, v)}))`);
    lines.push('(local.set $c (i32.add (local.get $c) (local.get $ldc)))');
  }
  return `
;; One MR x NR tile of C at $c (row stride $ldc bytes): a(r, k) at $a + 4r + k*$sak,
;; b(k, 0..NR-1) at $b + k*$sbk, contiguous.
(func $tile (param $a i32) (param $b i32) (param $c i32) (param $K i32) (param $sak i32) (param $sbk i32) (param $ldc i32)
${lines.join('\n')})`;
}

/** The module: `gemm` plus its packing helpers. */
function gemmWat(fma: boolean): string {
  return `(module
(import "env" "memory" (memory 1))
${tile(fma)}
${fma ? FUSED_PROBE : ''}

;; Packs an MR-row (or NR-column) panel: dst[k*width + r] = src[r*s_outer + k*s_inner] for
;; r < count, zero for count <= r < width. Strides are in bytes.
(func $pack (param $src i32) (param $dst i32) (param $count i32) (param $width i32) (param $so i32) (param $si i32) (param $K i32)
  (local $r i32) (local $k i32) (local $p i32) (local $q i32) (local $step i32)
  (local.set $step (i32.shl (local.get $width) (i32.const 2)))
  (loop $r_loop
    (local.set $p (i32.add (local.get $dst) (i32.shl (local.get $r) (i32.const 2))))
    (local.set $q (i32.add (local.get $src) (i32.mul (local.get $r) (local.get $so))))
    (local.set $k (local.get $K))
    (block $k_done (br_if $k_done (i32.eqz (local.get $k)))
      (if (i32.lt_u (local.get $r) (local.get $count))
        (then (loop $copy
          (f32.store (local.get $p) (f32.load (local.get $q)))
          (local.set $p (i32.add (local.get $p) (local.get $step)))
          (local.set $q (i32.add (local.get $q) (local.get $si)))
          (br_if $copy (local.tee $k (i32.sub (local.get $k) (i32.const 1))))))
        (else (loop $zero
          (f32.store (local.get $p) (f32.const 0))
          (local.set $p (i32.add (local.get $p) (local.get $step)))
          (br_if $zero (local.tee $k (i32.sub (local.get $k) (i32.const 1))))))))
    (br_if $r_loop (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $width)))))

;; Copies the top-left rows x cols of an MR x NR tile at $src into C at $dst (row stride $ldc bytes).
(func $copy_tile (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32) (param $ldc i32)
  (local $r i32) (local $c i32)
  (loop $r_loop
    (local.set $c (i32.const 0))
    (loop $c_loop
      (f32.store (i32.add (local.get $dst) (i32.shl (local.get $c) (i32.const 2)))
        (f32.load (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (local.get $r) (i32.const ${NR})) (local.get $c)) (i32.const 2)))))
      (br_if $c_loop (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (local.get $cols))))
    (local.set $dst (i32.add (local.get $dst) (local.get $ldc)))
    (br_if $r_loop (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $rows)))))

;; Copies full 8-column blocks of a row-major B into panels: dst[k*NR + c] = B[k, j0 + c].
(func $pack_rows (param $src i32) (param $dst i32) (param $K i32) (param $sbk i32)
  (block $done (br_if $done (i32.eqz (local.get $K))) (loop $k
    (v128.store (local.get $dst) (v128.load (local.get $src)))
    (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $src)))
    (local.set $src (i32.add (local.get $src) (local.get $sbk)))
    (local.set $dst (i32.add (local.get $dst) (i32.const ${4 * NR})))
    (br_if $k (local.tee $K (i32.sub (local.get $K) (i32.const 1)))))))

;; C = op(A) op(B). $scratch holds gemmScratchBytes(K, N) bytes. op(B) is first packed into
;; K x NR column panels, each read contiguously by every row panel. Row panels of op(A) are
;; read in place when A is transposed (a panel's MR values for one k are adjacent), else
;; packed; either way the panel stays in L1 while it meets every column panel.
(func (export "gemm") (param $a i32) (param $b i32) (param $c i32) (param $M i32) (param $N i32) (param $K i32)
    (param $ta i32) (param $tb i32) (param $scratch i32)
  (local $bpack i32) (local $ctile i32) (local $i i32) (local $j0 i32) (local $rows i32) (local $cols i32)
  (local $ap i32) (local $sak i32) (local $bp i32) (local $cp i32) (local $ldc i32) (local $panel i32)
  (local $sam i32) (local $sak_a i32) (local $sbn i32) (local $sbk_b i32)
  (if (i32.or (i32.eqz (local.get $M)) (i32.eqz (local.get $N))) (then (return)))
  ;; Byte strides of op(A) along i and k, and of op(B) along j and k.
  (local.set $sam (i32.shl (select (i32.const 1) (local.get $K) (local.get $ta)) (i32.const 2)))
  (local.set $sak_a (i32.shl (select (local.get $M) (i32.const 1) (local.get $ta)) (i32.const 2)))
  (local.set $sbn (i32.shl (select (local.get $K) (i32.const 1) (local.get $tb)) (i32.const 2)))
  (local.set $sbk_b (i32.shl (select (i32.const 1) (local.get $N) (local.get $tb)) (i32.const 2)))
  (local.set $ldc (i32.shl (local.get $N) (i32.const 2)))
  (local.set $panel (i32.mul (local.get $K) (i32.const ${4 * NR})))
  (local.set $bpack (i32.add (local.get $scratch) (i32.mul (local.get $K) (i32.const ${4 * MR}))))
  (local.set $ctile (i32.add (local.get $bpack) (i32.mul (local.get $panel) (i32.shr_u (i32.add (local.get $N) (i32.const ${NR - 1})) (i32.const 3)))))
  (loop $pack_b
    (local.set $cols (i32.sub (local.get $N) (local.get $j0)))
    (if (i32.gt_u (local.get $cols) (i32.const ${NR})) (then (local.set $cols (i32.const ${NR}))))
    (local.set $bp (i32.add (local.get $bpack) (i32.mul (i32.shr_u (local.get $j0) (i32.const 3)) (local.get $panel))))
    (if (i32.or (local.get $tb) (i32.lt_u (local.get $cols) (i32.const ${NR})))
      (then (call $pack (i32.add (local.get $b) (i32.mul (local.get $j0) (local.get $sbn))) (local.get $bp)
        (local.get $cols) (i32.const ${NR}) (local.get $sbn) (local.get $sbk_b) (local.get $K)))
      (else (call $pack_rows (i32.add (local.get $b) (i32.shl (local.get $j0) (i32.const 2))) (local.get $bp) (local.get $K) (local.get $sbk_b))))
    (br_if $pack_b (i32.lt_u (local.tee $j0 (i32.add (local.get $j0) (i32.const ${NR}))) (local.get $N))))
  (loop $row
    (local.set $rows (i32.sub (local.get $M) (local.get $i)))
    (if (i32.gt_u (local.get $rows) (i32.const ${MR})) (then (local.set $rows (i32.const ${MR}))))
    (if (i32.and (local.get $ta) (i32.eq (local.get $rows) (i32.const ${MR})))
      (then
        (local.set $ap (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2))))
        (local.set $sak (local.get $sak_a)))
      (else
        (call $pack (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $sam))) (local.get $scratch)
          (local.get $rows) (i32.const ${MR}) (local.get $sam) (local.get $sak_a) (local.get $K))
        (local.set $ap (local.get $scratch))
        (local.set $sak (i32.const ${4 * MR}))))
    (local.set $j0 (i32.const 0))
    (local.set $bp (local.get $bpack))
    (local.set $cp (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc))))
    (loop $col
      (local.set $cols (i32.sub (local.get $N) (local.get $j0)))
      (if (i32.and (i32.eq (local.get $rows) (i32.const ${MR})) (i32.ge_u (local.get $cols) (i32.const ${NR})))
        (then (call $tile (local.get $ap) (local.get $bp) (local.get $cp) (local.get $K) (local.get $sak) (i32.const ${4 * NR}) (local.get $ldc)))
        (else
          (call $tile (local.get $ap) (local.get $bp) (local.get $ctile) (local.get $K) (local.get $sak) (i32.const ${4 * NR}) (i32.const ${4 * NR}))
          (call $copy_tile (local.get $ctile) (local.get $cp) (local.get $rows)
            (select (local.get $cols) (i32.const ${NR}) (i32.lt_u (local.get $cols) (i32.const ${NR}))) (local.get $ldc))))
      (local.set $bp (i32.add (local.get $bp) (local.get $panel)))
      (local.set $cp (i32.add (local.get $cp) (i32.const ${4 * NR})))
      (br_if $col (i32.lt_u (local.tee $j0 (i32.add (local.get $j0) (i32.const ${NR}))) (local.get $N))))
    (br_if $row (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const ${MR}))) (local.get $M)))))
)`;
}

/** `fma`: fused multiply-adds (relaxed SIMD); `simd`: a multiply then an add. */
export type GemmVariant = 'fma' | 'simd';

export const gemmSources: Record<GemmVariant, WasmSource> = {
  fma: { url: new URL('./gemm-fma.wasm', import.meta.url), wat: gemmWat(true), relaxedSimd: true },
  simd: { url: new URL('./gemm-simd.wasm', import.meta.url), wat: gemmWat(false) },
};
