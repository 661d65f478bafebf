import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../core/rng.js';
import { completeGraph, hararyGraph, type Neighbourhoods } from '../../../defenses/secagg/graph.js';

function assertSymmetricWithoutLoops(g: Neighbourhoods): void {
  g.forEach((list, u) => {
    assert.ok(!list.includes(u), `${u} is its own neighbour`);
    assert.equal(new Set(list).size, list.length, `${u} has a repeated neighbour`);
    for (const v of list) assert.ok(g[v].includes(u), `${u} -> ${v} is not symmetric`);
  });
}

test('complete graph: everyone else, ascending', () => {
  const g = completeGraph(4);
  assert.deepEqual(g, [[1, 2, 3], [0, 2, 3], [0, 1, 3], [0, 1, 2]]);
});

test('Harary graph: k-regular, symmetric, connected, random by seed; k = n - 1 is complete', () => {
  for (const [n, k] of [[10, 4], [11, 10], [50, 12], [7, 2]]) {
    const g = hararyGraph(n, k, Rng.fromSeed(`h${n}`));
    assertSymmetricWithoutLoops(g);
    assert.ok(g.every((list) => list.length === k), `n=${n} k=${k}`);
    const seen = new Set([0]);
    for (const u of seen) for (const v of g[u]) seen.add(v);
    assert.equal(seen.size, n, 'connected');
  }
  assert.deepEqual(hararyGraph(11, 10, Rng.fromSeed(1)), completeGraph(11));
  assert.notDeepEqual(hararyGraph(30, 4, Rng.fromSeed(1)), hararyGraph(30, 4, Rng.fromSeed(2)));
  assert.throws(() => hararyGraph(10, 3, Rng.fromSeed(1)), /even degree in \[2, 9\]/);
  assert.throws(() => hararyGraph(10, 10, Rng.fromSeed(1)), /even degree/);
});
