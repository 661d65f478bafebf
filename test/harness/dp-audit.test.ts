import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DpSgdRuntime } from '../../defenses/dp/dp-sgd.js';
import { dpConfigSchema } from '../../defenses/dp/config.js';
import { runExperiment } from '../../harness/experiment.js';
import { planExperiment } from '../../harness/plan.js';
import { createExecutor } from '../../harness/pool.js';
import type { ExperimentSpec } from '../../harness/suite/load.js';
import { selectBackend } from '../../targets/backend.js';
import { recipeSchema } from '../../targets/training/optimizers.js';

/**
 * A small DP-SGD experiment claiming epsilon 1, audited by one run with 500 random-label
 * canaries. The records are near-random (flip 0.45), so a model that leaks memorises canaries.
 */
const SPEC: ExperimentSpec = {
  id: 'dp-audit',
  name: 'dp-audit',
  variant: {},
  dataset: { id: 'synthetic', options: { n: 2000, features: 100, classes: 10, flip: 0.45, flipSpread: 0, density: 0.5 } },
  model: { id: 'mlp', options: { hidden: [256], activation: 'tanh' } },
  training: recipeSchema.parse({ optimizer: 'sgd', learningRate: 1, batchSize: 50, epochs: 60 }),
  split: { members: 500, nonMembers: 200, population: 600, test: 200 },
  dp: dpConfigSchema.parse({ epsilon: 1, clip: 1 }),
  api: 'probabilities',
  attacks: [{ id: 'one-run', options: { canaries: 500, guessIn: 25, guessOut: 25, p: 0.05 } }],
  fprs: [],
  seed: 11,
  file: '(test)',
  baseDir: process.cwd(),
};

/**
 * Each defect shows where its mechanism matters: without noise, when clipping at 1 still lets
 * a large step size memorise; without clipping, when the clip (0.1) is far below the gradients'
 * norms, so the noise calibrated to it drowns nothing.
 */
const SETTINGS = {
  'no-noise': { clip: 1, learningRate: 4 },
  'no-clip': { clip: 0.1, learningRate: 0.5 },
} as const;

/** Runs the audit on the pipeline, with a defect planted in every DP-SGD job if asked. */
async function audit(setting: keyof typeof SETTINGS, defect?: DpSgdRuntime['defect']) {
  const backend = await selectBackend('wasm');
  const { clip, learningRate } = SETTINGS[setting];
  const spec = { ...SPEC, dp: { ...SPEC.dp!, clip }, training: { ...SPEC.training, learningRate } };
  const plan = await planExperiment(spec, backend);
  for (const job of [plan.target, ...plan.attacks.flatMap((a) => a.jobs)]) job.dp = { ...job.dp!, defect };
  const executor = createExecutor({ workers: 1, backend: 'wasm', progress: () => undefined });
  try {
    const e = await runExperiment(plan, executor, () => undefined);
    return { e, a: e.attacks[0] };
  } finally {
    await executor.close();
  }
}

for (const defect of ['no-noise', 'no-clip'] as const) {
  test(`the one-run audit passes a correct DP-SGD and catches one with the defect ${defect}`, async () => {
    const ok = await audit(defect);
    assert.ok(ok.e.privacy && Math.abs(ok.e.privacy.epsilon - 1) < 0.02, 'the claim is epsilon 1');
    assert.equal(ok.a.metrics.exceedsClaim.value, 0, ok.a.finding);
    assert.match(ok.a.finding, /^Consistent with the claimed epsilon/);

    const bad = await audit(defect, defect);
    assert.equal(bad.a.metrics.exceedsClaim.value, 1, `${defect}: ${bad.a.finding}`);
    assert.ok(bad.a.metrics.epsilonLowerBound.value > bad.a.metrics.claimedEpsilon.value);
    assert.match(bad.a.finding, /^FAIL: .*leaks more than it claims/);
  });
}
