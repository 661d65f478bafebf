import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../core/rng.js';
import { totalCost, type PartyCosts } from '../../../defenses/secagg/costs.js';
import { dropoutAt } from '../../../defenses/secagg/dropout.js';
import { ROUNDS } from '../../../defenses/secagg/rounds.js';
import { runOn } from './fixtures.js';

const bytes = (p: PartyCosts, key: 'sentBytes' | 'receivedBytes') => ROUNDS.map((r) => p[r][key]);

test('byte accounting matches the message sizes, hand-computed for 3 clients and 5 words', async () => {
  // Each client has m = 2 neighbours. Per round, client -> server | server -> client:
  //   advertiseKeys          64                  | 4 + 68 * 2 = 140
  //   shareKeys              4 + 98 * 2 = 200     | 4 + 98 * 2 = 200
  //   maskedInputCollection  4 * 5 = 20           | 4 + 4 * 2 = 12
  //   unmasking              4 + 37 * 3 = 115     | (none)
  const inputs = Array.from({ length: 3 }, () => new Uint32Array(5));
  const { costs } = await runOn(inputs, 2, Rng.fromSeed('bytes'));
  assert.equal(costs.rounds, 4);
  for (const c of costs.clients) {
    assert.deepEqual(bytes(c, 'sentBytes'), [64, 200, 20, 115]);
    assert.deepEqual(bytes(c, 'receivedBytes'), [140, 200, 12, 0]);
    assert.equal(totalCost(c).messagesSent, 4);
    assert.ok(totalCost(c).computeMs > 0);
  }
  assert.deepEqual(bytes(costs.server, 'receivedBytes'), [192, 600, 60, 345]);
  assert.deepEqual(bytes(costs.server, 'sentBytes'), [420, 600, 36, 0]);
  assert.equal(totalCost(costs.server).messagesSent, 9);
});

test('byte accounting with a client that drops before sending its masked input', async () => {
  // Client 2 shares its keys, then vanishes: U3 = {0, 1}.
  //   maskedInputCollection: 0 and 1 send 20 and hear of 1 surviving neighbour: 4 + 4 = 8
  //   unmasking: 0 and 1 each send their own b share, the other's b share and 2's s^SK share: 4 + 37 * 3
  const inputs = Array.from({ length: 3 }, () => new Uint32Array(5));
  const { costs, survivors } = await runOn(inputs, 2, Rng.fromSeed('bytes'), { dropout: dropoutAt({ maskedInputCollection: [2] }) });
  assert.deepEqual(survivors, [0, 1]);
  for (const u of [0, 1]) {
    assert.deepEqual(bytes(costs.clients[u], 'sentBytes'), [64, 200, 20, 115]);
    assert.deepEqual(bytes(costs.clients[u], 'receivedBytes'), [140, 200, 8, 0]);
  }
  assert.deepEqual(bytes(costs.clients[2], 'sentBytes'), [64, 200, 0, 0]);
  assert.deepEqual(bytes(costs.clients[2], 'receivedBytes'), [140, 200, 0, 0]);
  assert.deepEqual(bytes(costs.server, 'receivedBytes'), [192, 600, 40, 230]);
  assert.deepEqual(bytes(costs.server, 'sentBytes'), [420, 600, 16, 0]);
});
