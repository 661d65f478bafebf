import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../../core/errors.js';
import { Rng } from '../../../core/rng.js';
import type { PartitionSpec } from '../../../targets/federated/config.js';
import { partitionRows } from '../../../targets/federated/partition.js';

/** `n` labels over `classes`, unbalanced (class c appears about c + 1 times as often as class 0). */
function skewedLabels(n: number, classes: number, seed: string): Int32Array {
  const rng = Rng.fromSeed(seed);
  const total = (classes * (classes + 1)) / 2;
  return Int32Array.from({ length: n }, () => {
    let u = rng.uniform() * total;
    for (let c = 0; c < classes; c++) if ((u -= c + 1) < 0) return c;
    return classes - 1;
  });
}

/** Training rows: every other index, so rows are not just 0..n-1. */
const evenRows = (n: number): Int32Array => Int32Array.from({ length: n / 2 }, (_, i) => 2 * i);

function assertPartition(parts: Int32Array[], rows: Int32Array, clients: number): void {
  assert.equal(parts.length, clients);
  const seen = new Set<number>();
  for (const p of parts) {
    assert.ok(p.length > 0, 'no client is empty');
    for (let i = 0; i < p.length; i++) {
      assert.ok(!seen.has(p[i]), `row ${p[i]} given twice`);
      seen.add(p[i]);
      if (i > 0) assert.ok(p[i - 1] < p[i], 'rows ascending');
    }
  }
  assert.deepEqual([...seen].sort((a, b) => a - b), Array.from(rows), 'every row given once');
}

const labelsOf = (part: Int32Array, labels: Int32Array): Set<number> => new Set(Array.from(part, (r) => labels[r]));

test('iid, dirichlet and shards partitions are disjoint, complete, non-empty and reproducible', () => {
  const labels = skewedLabels(4000, 10, 'labels');
  const rows = evenRows(4000);
  const specs: PartitionSpec[] = [{ kind: 'iid' }, { kind: 'dirichlet', alpha: 0.1 }, { kind: 'dirichlet', alpha: 5 }, { kind: 'shards', shardsPerClient: 2 }];
  for (const spec of specs) {
    // A single client cannot hold the 10 labels in 2 single-label shards.
    for (const clients of spec.kind === 'shards' ? [7, 40] : [1, 7, 40]) {
      const parts = partitionRows(labels, rows, clients, spec, Rng.fromSeed('p'));
      assertPartition(parts, rows, clients);
      assert.deepEqual(partitionRows(labels, rows, clients, spec, Rng.fromSeed('p')), parts, `${spec.kind} is a function of the seed`);
    }
  }
  const iid = partitionRows(labels, rows, 7, { kind: 'iid' }, Rng.fromSeed('p')).map((p) => p.length);
  assert.ok(Math.max(...iid) - Math.min(...iid) <= 1, `iid sizes ${iid}`);
});

test('Dirichlet label skew grows as alpha falls', () => {
  // More classes than clients, so that even at alpha 0.01 (about one client per class) nobody is left empty.
  const labels = skewedLabels(6000, 30, 'skew');
  const rows = Int32Array.from({ length: 6000 }, (_, i) => i);
  // Mean over clients of the share of a client's rows in its most common label: 1 is one label each.
  const dominance = (alpha: number): number => {
    const parts = partitionRows(labels, rows, 20, { kind: 'dirichlet', alpha }, Rng.fromSeed(`alpha/${alpha}`));
    const shares = parts.map((p) => {
      const counts = new Map<number, number>();
      for (const r of p) counts.set(labels[r], (counts.get(labels[r]) ?? 0) + 1);
      return Math.max(...counts.values()) / p.length;
    });
    return shares.reduce((s, v) => s + v, 0) / shares.length;
  };
  const d = [100, 1, 0.1, 0.01].map(dominance);
  for (let i = 1; i < d.length; i++) assert.ok(d[i] > d[i - 1], `dominance by alpha 100, 1, 0.1, 0.01: ${d.map((v) => v.toFixed(3))}`);
  assert.ok(d[0] < 0.15 && d[3] > 0.6, `near IID at alpha 100, mostly one label at 0.01: ${d}`);
});

test('shards: at most shardsPerClient labels per client, even when class sizes are not multiples of the shard size', () => {
  const labels = skewedLabels(3001, 10, 'shards');
  const rows = Int32Array.from({ length: 3001 }, (_, i) => i);
  for (const [clients, per] of [[5, 2], [50, 2], [13, 3]] as const) {
    const parts = partitionRows(labels, rows, clients, { kind: 'shards', shardsPerClient: per }, Rng.fromSeed(clients));
    assertPartition(parts, rows, clients);
    for (const p of parts) assert.ok(labelsOf(p, labels).size <= per, `client labels ${[...labelsOf(p, labels)]}`);
  }
});

test('bad partitions are InputErrors that name the field and the fix', () => {
  const labels = skewedLabels(100, 10, 'errors');
  const rows = Int32Array.from({ length: 100 }, (_, i) => i);
  const fails = (clients: number, spec: PartitionSpec, field: string, message: RegExp) =>
    assert.throws(
      () => partitionRows(labels, rows, clients, spec, Rng.fromSeed(1)),
      (e: unknown) => e instanceof InputError && e.location.field === field && message.test(e.message),
    );
  fails(5, { kind: 'dirichlet', alpha: 0 }, 'federated.partition.alpha', /alpha must be a number > 0 .*got 0/);
  fails(5, { kind: 'dirichlet', alpha: -1 }, 'federated.partition.alpha', />\s?0/);
  fails(0, { kind: 'iid' }, 'federated.clients', /whole number >= 1, got 0/);
  fails(101, { kind: 'iid' }, 'federated.clients', /101 clients but only 100 training records; .*lower clients/);
  fails(4, { kind: 'shards', shardsPerClient: 2 }, 'federated.partition.shardsPerClient', /8 single-label shards cannot cover the 10 labels; raise clients/);
  fails(60, { kind: 'shards', shardsPerClient: 2 }, 'federated.partition.shardsPerClient', /120 shards of 100 records/);
});
