import { attacks } from '../attacks/index.js';
import type { AttackDefinition, ReferenceRequest } from '../attacks/types.js';
import { InputError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { resolveSplitSizes, splitDataset } from '../targets/datasets/split.js';
import type { Dataset, SplitSizes, Splits } from '../targets/datasets/types.js';
import { fingerprint, loadDataset, type DatasetRef } from './datasets.js';
import type { ExperimentSpec } from './suite/load.js';
import { jobKey, type TrainJob } from './train-job.js';

export interface PlannedAttack {
  /** The attack's name in results: its plugin id unless the suite named it. */
  name: string;
  def: AttackDefinition;
  options: Record<string, unknown>;
  request?: ReferenceRequest;
  /** One job per reference model, in request order. */
  jobs: TrainJob[];
}

/** Everything an experiment will train, decided before anything trains: the job DAG's nodes. */
export interface ExperimentPlan {
  spec: ExperimentSpec;
  data: Dataset;
  sizes: SplitSizes;
  splits: Splits;
  /** Members and non-members in an order that reveals nothing, and which is which. */
  candidateRows: Int32Array;
  isMember: boolean[];
  target: TrainJob;
  attacks: PlannedAttack[];
  /** The experiment's random stream; attacks fork theirs from it. */
  rng: Rng;
}

/**
 * Loads the data, draws the split and the candidates, and asks each attack for its reference
 * models. Randomness: data and split depend only on the suite seed and the dataset, so matrix
 * variants are compared on the same records; everything else on the experiment id.
 */
export async function planExperiment(spec: ExperimentSpec, backend: string): Promise<ExperimentPlan> {
  const dataset: DatasetRef = { spec: spec.dataset, seed: spec.seed, baseDir: spec.baseDir };
  const data = await loadDataset(dataset);
  const root = Rng.fromSeed(spec.seed);
  const sizes = resolveSplitSizes(data.n, spec.split);
  const splits = splitDataset(data.n, sizes, root.fork(`split/${JSON.stringify([spec.dataset, sizes])}`));
  const rng = root.fork(`experiment/${spec.id}`);
  const candidates = Int32Array.from([...splits.members, ...splits.nonMembers]);
  const order = rng.fork('candidates').permutation(candidates.length);
  const candidateRows = Int32Array.from(order, (i) => candidates[i]);
  const isMember = Array.from(order, (i) => i < splits.members.length);
  const print = fingerprint(data);
  const job = (label: string, seed: string, trainRows: Int32Array, queryRows?: Int32Array): TrainJob => {
    const base = { dataset, trainRows, model: spec.model, training: spec.training, seed: `${spec.seed}/${spec.id}/${seed}` };
    return { ...base, key: jobKey(base, print, backend), label: `${spec.name}: ${label}`, queryRows, returnWeights: !queryRows };
  };

  const target = job('target', 'target', splits.members);
  const queryRows = Int32Array.from([...candidateRows, ...splits.population]);
  const facts = { candidates: candidateRows.length, population: splits.population.length, trainingSize: splits.members.length };
  const planned = spec.attacks.map((a, i): PlannedAttack => {
    const def = attacks.get(a.id);
    const name = a.name ?? a.id;
    let request: ReferenceRequest | undefined;
    try {
      request = def.references?.(def.options.parse(a.options), { ...facts, rng: rng.fork('references') });
    } catch (err) {
      if (err instanceof InputError) {
        throw new InputError(err.message, { field: `experiments '${spec.name}' attacks[${i}] (${name}).${err.location.field ?? 'options'}` });
      }
      throw err;
    }
    const poolRows = request?.pool === 'candidates' ? candidateRows : splits.population;
    const jobs = (request?.subsets ?? []).map((subset, k) =>
      job(`reference ${k + 1}/${request!.subsets.length} (${request!.pool})`, `reference/${request!.pool}/${k}`, Int32Array.from(subset, (j) => poolRows[j]), queryRows),
    );
    return { name, def, options: a.options, request, jobs };
  });
  return { spec, data, sizes, splits, candidateRows, isMember, target, attacks: planned, rng };
}

/** Every distinct job of the plans, ordered by key: the deterministic list shards slice. */
export function distinctJobs(plans: ExperimentPlan[]): TrainJob[] {
  const byKey = new Map<string, TrainJob>();
  for (const p of plans) for (const j of [p.target, ...p.attacks.flatMap((a) => a.jobs)]) if (!byKey.has(j.key)) byKey.set(j.key, j);
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
}
