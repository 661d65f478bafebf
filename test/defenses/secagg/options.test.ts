import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../../core/errors.js';
import { Rng } from '../../../core/rng.js';
import { defaultNeighbours, parseOptions, planSecAgg, type SecAggOptions } from '../../../defenses/secagg/options.js';
import { secureAggregate } from '../../../defenses/secagg/secure-aggregate.js';

const plan = (options: SecAggOptions, n: number) => planSecAgg(parseOptions(options), n);

function rejects(options: SecAggOptions, n: number, field: string, message: RegExp): void {
  assert.throws(
    () => plan(options, n),
    (err: unknown) => {
      assert.ok(err instanceof InputError, String(err));
      assert.equal(err.location.field, field);
      assert.match(err.message, message);
      return true;
    },
  );
}

test('defaults: majority threshold of the share holders, 4 log2 n neighbours, finest bits that cannot wrap', () => {
  assert.deepEqual(plan({}, 10), {
    n: 10,
    graph: 'complete',
    degree: 9,
    threshold: 6,
    quantizer: { clip: 1, l2Clip: undefined, bits: 28, rounding: 'stochastic' },
  });
  const plus = plan({ graph: 'secagg+' }, 100);
  assert.equal(plus.degree, 28);
  assert.equal(plus.threshold, 15);
  assert.deepEqual([3, 10, 50, 100, 200, 500].map(defaultNeighbours), [2, 8, 24, 28, 32, 36]);
  assert.equal(plan({ l2Clip: 3 }, 4).quantizer.clip, 3, 'the coordinate clip follows the L2 clip');
});

test('bad parameters name the field and the fix', () => {
  rejects({ threshold: 11 }, 10, 'threshold', /threshold 11 exceeds the 10 share holders .*; lower threshold$/);
  rejects({ threshold: 0 }, 10, 'threshold', /at least 2/);
  rejects({ threshold: 1 }, 10, 'threshold', /at least 2 \(with 1, every share is the secret itself\)/);
  rejects({ graph: 'secagg+', neighbours: 4, threshold: 6 }, 10, 'threshold', /exceeds the 5 share holders .*; lower threshold or raise neighbours/);
  rejects({ graph: 'secagg+', neighbours: 0 }, 10, 'neighbours', /even number in \[2, 9\]/);
  rejects({ graph: 'secagg+', neighbours: 5 }, 10, 'neighbours', /even number/);
  rejects({ graph: 'secagg+', neighbours: 10 }, 10, 'neighbours', /even number in \[2, 9\]/);
  rejects({ neighbours: 4 }, 10, 'neighbours', /applies to graph 'secagg\+' only/);
  rejects({ graph: 'secagg+' }, 2, 'graph', /at least 3 clients/);
  rejects({ bits: 30 }, 10, 'bits', /use bits <= 28/);
  rejects({}, 1, 'updates', /at least 2 clients/);
  assert.throws(() => parseOptions({ treshold: 3 } as SecAggOptions), (e: unknown) => e instanceof InputError && e.location.field === 'treshold');
  assert.throws(() => parseOptions({ clip: -1 }), (e: unknown) => e instanceof InputError && e.location.field === 'clip');
  assert.throws(() => parseOptions({ dropout: { probability: 2 } }), (e: unknown) => e instanceof InputError && e.location.field === 'dropout.probability');
});

test('secureAggregate checks the updates and the dropout ids', async () => {
  const rng = Rng.fromSeed('checks');
  const two = [new Float32Array(3), new Float32Array(3)];
  await assert.rejects(secureAggregate([new Float32Array(3), new Float32Array(2)], {}, rng), (e: unknown) => e instanceof InputError && e.location.field === 'updates[1]');
  await assert.rejects(secureAggregate([new Float32Array(0), new Float32Array(0)], {}, rng), /no coordinates/);
  await assert.rejects(secureAggregate(two, { dropout: { shareKeys: [0, 2] } }, rng), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.equal(e.location.field, 'dropout.shareKeys[1]');
    assert.match(e.message, /client 2 does not exist; ids run from 0 to 1/);
    return true;
  });
});
