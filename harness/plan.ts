import { attacks } from '../attacks/index.js';
import type { AttackDefinition, ReferenceRequest } from '../attacks/types.js';
import { InputError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { resolveSplitSizes, splitDataset } from '../targets/datasets/split.js';
import type { Dataset, SplitSizes, Splits } from '../targets/datasets/types.js';
import { fingerprint, loadDataset, type DatasetRef } from './datasets.js';
import { resolveDpSgd, type DpConfig, type DpResolution } from '../defenses/dp/config.js';
import { resolveDpFedAvg, type DpFedAvgConfig, type DpFedAvgResolution } from '../defenses/dp/dp-fedavg-config.js';
import { checkFederated } from './federated-job.js';
import type { ExperimentSpec } from './suite/load.js';
import { jobKey, type TrainJob } from './train-job.js';

/** The DP mechanism an experiment trains with, and its guarantee. */
export type PlannedDp = ({ kind: 'dp-sgd' } & DpResolution) | ({ kind: 'dp-fedavg' } & DpFedAvgResolution);

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
  /** DP-SGD's mechanism and guarantee, when the experiment trains privately. */
  dp?: PlannedDp;
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
  const federation = spec.federated && located(spec, '', () => checkFederated(spec.federated!, data.labels, splits.members, rng.fork('check')));
  // DP-SGD for central training; DP-FedAvg, user-level, for a federated one.
  const dp = located(spec, '', (): PlannedDp | undefined => {
    if (!spec.dp) return undefined;
    if (federation) {
      const r = resolveDpFedAvg(spec.dp as DpFedAvgConfig, federation);
      return r && { kind: 'dp-fedavg', ...r };
    }
    const r = resolveDpSgd(spec.dp as DpConfig, { batchSize: spec.training.batchSize, epochs: spec.training.epochs, records: splits.members.length });
    return r && { kind: 'dp-sgd', ...r };
  });
  const secureNoise = dp?.config.noise === 'secure';
  // Reference models are trained with the target's recipe, DP included: the attacker knows it.
  const jobDp = dp?.kind === 'dp-sgd' ? { mechanism: dp.mechanism, secureNoise } : undefined;
  const flDp = dp?.kind === 'dp-fedavg' ? { mechanism: dp.mechanism, secureNoise } : undefined;
  // ...and federated ones by simulating the protocol in process; secure aggregation would change
  // their weights only by its quantization error, at a large cost.
  const rootRows = splits.population.slice(0, spec.federated?.rootRecords ?? 0);
  const simulated = spec.federated && { config: { ...spec.federated, transport: 'in-process' as const, secureAggregation: false as const }, rootRows, dp: flDp };
  const job = (label: string, seed: string, trainRows: Int32Array, queryRows?: Int32Array, relabel?: TrainJob['relabel']): TrainJob => {
    const federated = spec.federated && (seed === 'target' ? { config: spec.federated, testRows: splits.test, rootRows, dp: flDp } : simulated);
    const base = { dataset, trainRows, model: spec.model, training: spec.training, dp: jobDp, federated, relabel, seed: `${spec.seed}/${spec.id}/${seed}` };
    return { ...base, key: jobKey(base, print, backend), label: `${spec.name}: ${label}`, queryRows, returnWeights: !queryRows };
  };

  const target = job('target', 'target', splits.members);
  const queryRows = Int32Array.from([...candidateRows, ...splits.population]);
  const facts = { candidates: candidateRows.length, population: splits.population.length, trainingSize: splits.members.length, numClasses: data.numClasses };
  const referenceJobs = (request: ReferenceRequest, name: string): TrainJob[] => {
    const poolRows = request.pool === 'candidates' ? candidateRows : splits.population;
    const rows = (subset: Int32Array) => Int32Array.from(subset, (j) => poolRows[j]);
    const relabel = request.relabel && { rows: rows(request.relabel.indices), labels: request.relabel.labels };
    // An audit's runs are the target's pipeline with canaries added; a reference model trains on its subset alone.
    const kind = request.withTrainingSet ? `${name} run` : 'reference';
    return request.subsets.map((subset, k) =>
      job(
        `${kind} ${k + 1}/${request.subsets.length} (${request.pool})`,
        `${request.withTrainingSet ? name : 'reference'}/${request.pool}/${k}`,
        request.withTrainingSet ? Int32Array.from([...splits.members, ...rows(subset)]) : rows(subset),
        queryRows,
        relabel,
      ),
    );
  };
  const planned = spec.attacks.map((a, i): PlannedAttack => {
    const def = attacks.get(a.id);
    const name = a.name ?? a.id;
    const request = located(spec, `attacks[${i}] (${name})`, () => def.references?.(def.options.parse(a.options), { ...facts, rng: rng.fork('references') }));
    const jobs = request ? referenceJobs(request, name) : [];
    return { name, def, options: a.options, request, jobs };
  });
  return { spec, data, sizes, splits, candidateRows, isMember, target, attacks: planned, rng, dp };
}

/** Runs `fn`, pointing any InputError it throws at the suite file and this experiment's field. */
function located<T>(spec: ExperimentSpec, where: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    const field = [where, err.location.field].filter(Boolean).join('.');
    throw new InputError(err.message, { file: spec.file, field: `experiments '${spec.name}' ${field}` });
  }
}

/** Every distinct job of the plans, ordered by key: the deterministic list shards slice. */
export function distinctJobs(plans: ExperimentPlan[]): TrainJob[] {
  const byKey = new Map<string, TrainJob>();
  for (const p of plans) for (const j of [p.target, ...p.attacks.flatMap((a) => a.jobs)]) if (!byKey.has(j.key)) byKey.set(j.key, j);
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
}
