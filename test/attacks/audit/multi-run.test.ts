import { test } from 'node:test';
import assert from 'node:assert/strict';
import { multiRun } from '../../../attacks/audit/multi-run.js';
import type { ReferenceOutputs } from '../../../attacks/types.js';
import { epsilonLowerBoundFromRates } from '../../../core/empirical-epsilon.js';
import type { Records } from '../../../core/observations.js';
import { Rng } from '../../../core/rng.js';

const records = (n: number): Records => ({ n, d: 1, x: new Float32Array(n), y: new Int32Array(n) });
const facts = (seed: string) => ({ candidates: 10, population: 50, trainingSize: 10, numClasses: 2, rng: Rng.fromSeed(seed) });

/** Runs whose canary logit is `margin` higher when the canary was inserted. */
function outputs(seed: string, margin: number): ReferenceOutputs {
  const o = multiRun.options.parse({});
  const request = multiRun.references(o, facts(seed));
  const [row] = request.relabel!.indices;
  const label = request.relabel!.labels[0];
  const noise = Rng.fromSeed(`${seed}/noise`);
  const population = request.subsets.map((s) => {
    const logits = new Float32Array(50 * 2);
    logits[row * 2 + label] = (s.length > 0 ? margin : 0) + 0.1 * noise.normal();
    return logits;
  });
  return { request, numClasses: 2, candidates: population.map(() => new Float32Array(20)), population };
}

test('multi-run: half of 32 runs get the canary; perfect separation gives the closed-form bound, none gives 0', async () => {
  const o = multiRun.options.parse({});
  const request = multiRun.references(o, facts('plan'));
  assert.equal(request.subsets.length, 32);
  assert.equal(request.subsets.filter((s) => s.length > 0).length, 16);
  assert.ok(request.withTrainingSet);

  const ctx = (refs: ReferenceOutputs) => ({ candidates: records(10), population: records(50), references: refs, rng: Rng.fromSeed('x'), claim: { epsilon: 1, delta: 1e-5 } });
  const separated = await multiRun.audit(ctx(outputs('sep', 5)), o);
  // The best threshold separates 16 from 16; one threshold below each of the 32 scores is tried (Bonferroni).
  const expected = epsilonLowerBoundFromRates({ tp: 16, fn: 0, fp: 0, tn: 16, delta: 1e-5, alpha: 0.05 / 32 }).epsilon;
  assert.ok(Math.abs(separated.metrics.epsilonLowerBound.value - expected) < 1e-12, `${separated.metrics.epsilonLowerBound.value} vs ${expected}`);
  assert.ok(expected > 0.3 && expected < 1, `32 runs cannot prove much (${expected}): the method is weak unless runs are many`);
  const none = await multiRun.audit(ctx(outputs('none', 0)), o);
  assert.equal(none.metrics.epsilonLowerBound.value, 0);
  assert.equal(none.metrics.exceedsClaim.value, 0);
  assert.throws(() => multiRun.references(multiRun.options.parse({ runs: 5 }), facts('odd')), /even number of runs/);
});
