import { test } from 'node:test';
import assert from 'node:assert/strict';
import { metricKey } from '../../../attacks/membership/evaluate.js';
import { canonicalMetricId, experimentMetrics, knownMetricIds } from '../../../harness/gate/metrics.js';
import { makeResults } from '../../fixtures/results.js';

test('an experiment flattens to section.name and family.attack.metric ids', () => {
  const e = makeResults().experiments[0];
  const m = experimentMetrics(e);
  assert.equal(m['utility.testAccuracy'], 0.712);
  assert.equal(m['utility.trainAccuracy'], 0.994);
  assert.equal(m['costs.trainingSeconds'], 18.4);
  assert.equal(m['membership.lira.tprAt1e-3'], e.attacks[1].metrics['tprAt1e-3'].value);
  assert.equal(m['membership.loss.auc'], e.attacks[0].metrics.auc.value);
  assert.equal(m['utility.lossCurve'], undefined, 'curves are not metrics');
  assert.equal(m['scores.privacy'], e.scores?.privacy.value);
  assert.equal(m['scores.cost'], undefined, 'an n/a score is no metric: the baseline has no cost to compare');
  assert.ok(Object.values(m).every((v) => typeof v === 'number'));
});

test('number spellings in a key name one metric, the one the attacks write', () => {
  for (const [written, canonical] of [
    ['membership.loss-threshold.tprAt0.001', 'membership.loss-threshold.tprAt1e-3'],
    ['membership.loss-threshold.tprAt1e-3', 'membership.loss-threshold.tprAt1e-3'],
    ['membership.x.tprAt1E-03', 'membership.x.tprAt1e-3'],
    ['membership.x.tprAt0.01', 'membership.x.tprAt1e-2'],
    ['membership.x.tprAt0.0025', 'membership.x.tprAt2.5e-3'],
    ['membership.*.tprAt0.001', 'membership.*.tprAt1e-3'],
    ['membership.lira8.auc', 'membership.lira8.auc'],
    ['costs.trainingSeconds', 'costs.trainingSeconds'],
  ]) {
    assert.equal(canonicalMetricId(written), canonical, written);
  }
  for (const fpr of [1e-3, 1e-2, 1e-4]) assert.equal(canonicalMetricId(`a.b.${metricKey(fpr)}`), `a.b.${metricKey(fpr)}`);
});

test('architecture-note aliases resolve: mia.* and utility.accuracy', () => {
  assert.equal(canonicalMetricId('mia.lira.tprAt0.001'), 'membership.lira.tprAt1e-3');
  assert.equal(canonicalMetricId('utility.accuracy'), 'utility.testAccuracy');
});

test('known metric ids: the sorted union over experiments', () => {
  const ids = knownMetricIds(makeResults());
  assert.deepEqual(ids, [...ids].sort());
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ['membership.lira.auc', 'membership.loss.tprAt1e-2', 'utility.testLoss', 'costs.peakRssMiB', 'scores.privacy', 'scores.cost']) assert.ok(ids.includes(id), id);
});
