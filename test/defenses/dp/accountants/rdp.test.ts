import { test } from 'node:test';
import assert from 'node:assert/strict';
import { epsilon } from '../../../../defenses/dp/accountants/accountant.js';
import { DEFAULT_ORDERS, historyRdp } from '../../../../defenses/dp/accountants/analysis/rdp.js';

/** The grid of TF Privacy's `compute_dp_sgd_privacy` (tensorflow_privacy/privacy/analysis/compute_dp_sgd_privacy_lib.py). */
const TF_ORDERS = [1.25, 1.5, 1.75, 2, 2.25, 2.5, 3, 3.5, 4, 4.5, ...Array.from({ length: 59 }, (_, i) => 5 + i), 128, 256, 512];
/** dp_accounting's DEFAULT_RDP_ORDERS (python/dp_accounting/dp_accounting/rdp/rdp_privacy_accountant.py). */
const DP_ACCOUNTING_ORDERS = [...Array.from({ length: 99 }, (_, i) => 1 + (i + 1) / 10), ...Array.from({ length: 53 }, (_, i) => 11 + i), 128, 256, 512, 1024];

/** TF Privacy's compute_dp_sgd_privacy(n, batch, sigma, epochs, delta): q = batch/n, ceil(epochs n / batch) steps. */
function tfPrivacy(n: number, batch: number, sigma: number, epochs: number, delta: number) {
  const steps = Math.ceil((epochs * n) / batch);
  return epsilon({ sampleRate: batch / n, noiseMultiplier: sigma, steps, delta, options: { orders: TF_ORDERS } });
}

test('TF Privacy compute_dp_sgd_privacy_test: epsilon and best order of its three cases', () => {
  const cases: [number, number, number, number, number, number, number][] = [
    [60000, 150, 1.3, 15, 1e-5, 0.7242234026109595, 19],
    [100000, 100, 1.0, 30, 1e-7, 1.4154988495444842, 13],
    [100000000, 1024, 0.1, 10, 1e-7, 5907982.3113984, 1.25],
  ];
  for (const [n, batch, sigma, epochs, delta, want, order] of cases) {
    const r = tfPrivacy(n, batch, sigma, epochs, delta);
    assert.ok(Math.abs(r.epsilon - want) <= 1e-9 * want, `${r.epsilon} vs ${want}`);
    assert.equal(r.details?.kind === 'rdp' && r.details.order, order);
  }
  assert.match(tfPrivacy(100000000, 1024, 0.1, 10, 1e-7).warnings[0], /smallest of the grid/, 'order 1.25 sits at the edge');
  // Opacus's finer default grid contains order 19 too, so the first case does not move.
  const opacusGrid = epsilon({ sampleRate: 0.0025, noiseMultiplier: 1.3, steps: 6000, delta: 1e-5 });
  assert.ok(Math.abs(opacusGrid.epsilon - 0.7242234026109595) < 1e-9);
});

test('Opacus accountants_test: RDP accountant, sigma 1.5, q 0.04, 2250 steps -> 7.32911117143', () => {
  const r = epsilon({ sampleRate: 0.04, noiseMultiplier: 1.5, steps: 2250, delta: 1e-5 });
  assert.ok(Math.abs(r.epsilon - 7.32911117143) < 5e-8, String(r.epsilon)); // assertAlmostEqual: 7 places
});

test('TF Privacy / dp_accounting: sigma 0.7, q 0.01, 120 steps -> 3.2392676, an upper bound on ours', () => {
  // dp_accounting sums the absolute values of the fractional-order series (its _compute_log_a_frac
  // takes log|C(alpha, i)| and always adds), a slightly looser bound than the signed sum of
  // Mironov et al. and Opacus. Both pick order 4.4; the signed sum there matches direct quadrature
  // of the Renyi divergence (0.54663279614287 for 120 steps, test/.../analysis/rdp.test.ts).
  const r = epsilon({ sampleRate: 0.01, noiseMultiplier: 0.7, steps: 120, delta: 1e-5, options: { orders: DP_ACCOUNTING_ORDERS } });
  assert.equal(r.details?.kind === 'rdp' && r.details.order, 4.4);
  assert.ok(r.epsilon < 3.2392676, `${r.epsilon} is below dp_accounting's looser bound`);
  assert.ok(Math.abs(r.epsilon - 3.2392676) / 3.2392676 < 3e-5, `${r.epsilon} within 3e-5 of 3.2392676`);
  assert.ok(Math.abs(r.epsilon - 3.2391921939102) < 1e-9, "Opacus's analysis/rdp.py gives 3.2391921939102 with the signed sum");
});

test('TF Privacy README, MNIST tutorial (sigma 1.1, batch 256 of 60000, 60 epochs): 3.01 old conversion, ~2.60 current', () => {
  const history = [{ sampleRate: 256 / 60000, noiseMultiplier: 1.1, steps: Math.ceil((60 * 60000) / 256) }];
  const rdp = historyRdp(history, DEFAULT_ORDERS);
  // Mironov 2017, Proposition 3: eps = RDP(alpha) - log(delta) / (alpha - 1).
  const old = Math.min(...DEFAULT_ORDERS.map((a, k) => rdp[k] - Math.log(1e-5) / (a - 1)));
  assert.equal(old.toFixed(2), '3.01');
  const now = epsilon({ ...history[0], delta: 1e-5 }).epsilon;
  assert.equal(now.toFixed(1), '2.6');
  assert.ok(now < old);
});
