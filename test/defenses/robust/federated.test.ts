import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildAggregator } from '../../../defenses/robust/index.js';
import { selectBackend } from '../../../targets/backend.js';
import type { ClientBehaviour } from '../../../targets/federated/client.js';
import { trainFederated } from '../../../targets/federated/train.js';
import { smallRun } from '../../targets/federated/fixtures.js';

/** A model-poisoning client: sends its honest update reversed and boosted (Bhagoji et al. 2019's boosting). */
const reverser: ClientBehaviour = {
  name: 'reverse x20',
  async update(_ctx, honest) {
    const u = await honest();
    return { ...u, update: u.update.map((v) => -20 * v) };
  },
};

test('one poisoning client wrecks the FedAvg mean; median, Krum, norm bounding and FLTrust keep the model learning', async () => {
  await selectBackend('wasm');
  const options = { clients: 6, rounds: 6, localBatchSize: 10, localLearningRate: 0.3 };
  const behaviours = new Map([[5, reverser]]);
  const accuracy = async (spec: Parameters<typeof buildAggregator>[0]) => {
    const run = await trainFederated(smallRun({ options, behaviours, aggregator: buildAggregator(spec), rootRows: Int32Array.from({ length: 10 }, (_, i) => 190 + i) }));
    return run.curve.at(-1)!.accuracy;
  };
  const clean = (await trainFederated(smallRun({ options }))).curve.at(-1)!.accuracy;
  const poisoned = await accuracy({ id: 'mean' });
  assert.ok(clean > 0.9 && poisoned < clean - 0.3, `clean ${clean}, poisoned mean ${poisoned}`);
  for (const spec of [{ id: 'median' }, { id: 'krum', options: { f: 1 } }, { id: 'norm-bounded', options: { bound: 0.5 } }, { id: 'fltrust' }]) {
    const acc = await accuracy(spec);
    assert.ok(acc > 0.85, `${spec.id}: ${acc}`);
  }
});
