/**
 * How the training rows are split among federated clients. IID is the easy case; label skew
 * is what makes FL hard and what robust aggregators mistake for attacks, so two standard
 * non-IID splits are here too.
 */
import { InputError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import type { PartitionSpec } from './config.js';

/** Dirichlet splits that leave a client empty are drawn again, this many times at most. */
const DIRICHLET_ATTEMPTS = 100;

/**
 * log Gamma(shape, 1) by Marsaglia & Tsang 2000, with Gamma(a) = Gamma(a + 1) U^(1/a) for a < 1.
 * In logs because for a small shape U^(1/a) underflows: at alpha = 0.01 almost every draw would be 0.
 */
function logGamma01(shape: number, rng: Rng): number {
  if (shape < 1) return logGamma01(shape + 1, rng) + Math.log(1 - rng.uniform()) / shape;
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = rng.normal();
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    if (Math.log(1 - rng.uniform()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return Math.log(d * v);
  }
}

/** One draw of Dir(alpha, ..., alpha) over k categories: normalized Gamma draws. */
function dirichlet(alpha: number, k: number, rng: Rng): Float64Array {
  const logs = Float64Array.from({ length: k }, () => logGamma01(alpha, rng));
  const max = Math.max(...logs);
  const p = logs.map((l) => Math.exp(l - max));
  const sum = p.reduce((s, v) => s + v, 0);
  return p.map((v) => v / sum);
}

/** The rows of each label present, each list in a random order; labels ascending. */
function byLabel(labels: Int32Array, rows: Int32Array, rng: Rng): Int32Array[] {
  const groups = new Map<number, number[]>();
  for (const r of rows) {
    const list = groups.get(labels[r]);
    if (list) list.push(r);
    else groups.set(labels[r], [r]);
  }
  return [...groups.keys()].sort((a, b) => a - b).map((c) => rng.shuffle(Int32Array.from(groups.get(c)!)));
}

const ascending = (parts: number[][]): Int32Array[] => parts.map((p) => Int32Array.from(p).sort());

/** Equal parts (sizes differ by at most one) of a random permutation. */
function iid(rows: Int32Array, clients: number, rng: Rng): Int32Array[] {
  const perm = rng.shuffle(Int32Array.from(rows));
  return Array.from({ length: clients }, (_, k) =>
    perm.slice(Math.floor((k * rows.length) / clients), Math.floor(((k + 1) * rows.length) / clients)).sort(),
  );
}

/**
 * Label skew of Hsu et al. 2019: each class's rows go to the clients in proportions p ~ Dir(alpha).
 * As in the NIID-Bench code of Li et al. 2022 (Sec. 4.1), a client already holding its fair
 * share n / N gets no more, which keeps sizes near n / N, and a draw that leaves a client empty
 * is redrawn.
 */
function dirichletSplit(labels: Int32Array, rows: Int32Array, clients: number, alpha: number, rng: Rng, field: string): Int32Array[] {
  const fair = rows.length / clients;
  for (let attempt = 0; attempt < DIRICHLET_ATTEMPTS; attempt++) {
    const parts: number[][] = Array.from({ length: clients }, () => []);
    for (const group of byLabel(labels, rows, rng)) {
      const p = dirichlet(alpha, clients, rng);
      const open = p.map((v, k) => (parts[k].length < fair ? v : 0));
      const mass = open.reduce((s, v) => s + v, 0);
      const share = mass > 0 ? open.map((v) => v / mass) : p;
      let cumulative = 0;
      let start = 0;
      for (let k = 0; k < clients; k++) {
        cumulative += share[k];
        const end = k === clients - 1 ? group.length : Math.min(group.length, Math.round(cumulative * group.length));
        for (let i = start; i < end; i++) parts[k].push(group[i]);
        start = Math.max(start, end);
      }
    }
    if (parts.every((p) => p.length > 0)) return ascending(parts);
  }
  throw new InputError(
    `Dirichlet(${alpha}) left some of the ${clients} clients without records in ${DIRICHLET_ATTEMPTS} draws; raise alpha or lower clients`,
    { field: `${field}.partition.alpha` },
  );
}

/**
 * McMahan et al. 2017 (Sec. 3, pathological non-IID): rows sorted by label and cut into
 * clients x shardsPerClient shards, each client taking shardsPerClient at random. Here the cuts
 * fall inside classes, so a shard holds one label and a client at most shardsPerClient labels
 * (equal cuts of the sorted list straddle two labels where class sizes are unequal); each class
 * gets shards by D'Hondt apportionment, which keeps shard sizes as even as the classes allow.
 */
function shards(labels: Int32Array, rows: Int32Array, clients: number, perClient: number, rng: Rng, field: string): Int32Array[] {
  if (!Number.isInteger(perClient) || perClient < 1) {
    throw new InputError(`shardsPerClient must be a whole number >= 1, got ${perClient}`, { field: `${field}.partition.shardsPerClient` });
  }
  const groups = byLabel(labels, rows, rng);
  const total = clients * perClient;
  if (total < groups.length) {
    throw new InputError(
      `${clients} clients x ${perClient} shards = ${total} single-label shards cannot cover the ${groups.length} labels; raise clients or shardsPerClient`,
      { field: `${field}.partition.shardsPerClient` },
    );
  }
  if (total > rows.length) {
    throw new InputError(`${total} shards of ${rows.length} records would leave some empty; lower clients or shardsPerClient`, {
      field: `${field}.partition.shardsPerClient`,
    });
  }
  const count = groups.map(() => 1);
  for (let given = groups.length; given < total; given++) {
    let best = 0;
    for (let c = 1; c < groups.length; c++) if (groups[c].length / count[c] > groups[best].length / count[best]) best = c;
    count[best]++;
  }
  const pieces = groups.flatMap((group, c) =>
    Array.from({ length: count[c] }, (_, s) => group.subarray(Math.floor((s * group.length) / count[c]), Math.floor(((s + 1) * group.length) / count[c]))),
  );
  const order = rng.permutation(pieces.length);
  return Array.from({ length: clients }, (_, k) => {
    const mine = Array.from({ length: perClient }, (_, s) => pieces[order[k * perClient + s]]);
    return Int32Array.from(mine.flatMap((p) => Array.from(p))).sort();
  });
}

/**
 * Splits `rows` (indices into a dataset with these `labels`) among `clients`: disjoint,
 * complete, none empty, each client's rows ascending. `field` prefixes error fields.
 */
export function partitionRows(labels: Int32Array, rows: Int32Array, clients: number, spec: PartitionSpec, rng: Rng, field = 'federated'): Int32Array[] {
  if (!Number.isInteger(clients) || clients < 1) {
    throw new InputError(`clients must be a whole number >= 1, got ${clients}`, { field: `${field}.clients` });
  }
  if (clients > rows.length) {
    throw new InputError(`${clients} clients but only ${rows.length} training records; each client needs one at least: lower clients or train on more records`, {
      field: `${field}.clients`,
    });
  }
  switch (spec.kind) {
    case 'iid':
      return iid(rows, clients, rng);
    case 'dirichlet':
      if (!(spec.alpha > 0 && Number.isFinite(spec.alpha))) {
        throw new InputError(`alpha must be a number > 0 (0.1 gives strong label skew, 100 nearly IID), got ${spec.alpha}`, {
          field: `${field}.partition.alpha`,
        });
      }
      return dirichletSplit(labels, rows, clients, spec.alpha, rng, field);
    case 'shards':
      return shards(labels, rows, clients, spec.shardsPerClient, rng, field);
  }
}
