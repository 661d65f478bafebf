import { attacks } from '../attacks/index.js';
import { evaluateMembership } from '../attacks/membership/evaluate.js';
import { InputError } from '../core/errors.js';
import { OBSERVATIONS } from '../core/observations.js';
import type { AttackResult, ExperimentResult } from '../core/results.js';
import { Rng } from '../core/rng.js';
import { datasets } from '../targets/datasets/index.js';
import { resolveSplitSizes, splitDataset } from '../targets/datasets/split.js';
import type { Dataset } from '../targets/datasets/types.js';
import { models } from '../targets/models/index.js';
import { predictionApi, takeRecords } from '../targets/records.js';
import { trainCentral } from '../targets/training/central.js';
import { evaluate } from '../targets/training/evaluate.js';
import type { ExperimentSpec } from './suite/load.js';

export type ProgressFn = (message: string) => void;

const loaded = new Map<string, Promise<Dataset>>();

/** Datasets are deterministic in (spec, seed), so matrix variants in one thread share a load. */
function loadDataset(spec: ExperimentSpec): Promise<Dataset> {
  const key = JSON.stringify([spec.dataset, spec.seed, spec.baseDir]);
  let p = loaded.get(key);
  if (!p) {
    const def = datasets.get(spec.dataset.id);
    const rng = Rng.fromSeed(spec.seed).fork(`data/${JSON.stringify(spec.dataset)}`);
    p = def.load(def.options.parse(spec.dataset.options), { rng, baseDir: spec.baseDir });
    p.catch(() => loaded.delete(key));
    loaded.set(key, p);
  }
  return p;
}

function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/**
 * Trains the target of one experiment, measures its utility, and runs each attack on exactly
 * the observations the configuration exposes. Randomness: data and split depend only on the
 * suite seed and the dataset, so matrix variants are compared on the same records.
 */
export async function runExperiment(spec: ExperimentSpec, progress: ProgressFn): Promise<ExperimentResult> {
  const data = await loadDataset(spec);
  const root = Rng.fromSeed(spec.seed);
  const sizes = resolveSplitSizes(data.n, spec.split);
  const splits = splitDataset(data.n, sizes, root.fork(`split/${JSON.stringify([spec.dataset, sizes])}`));
  const rng = root.fork(`experiment/${spec.id}`);

  const modelDef = models.get(spec.model.id);
  const net = modelDef.build(
    { d: data.d, numClasses: data.numClasses, imageShape: data.imageShape },
    modelDef.options.parse(spec.model.options),
    rng.fork('init'),
  );
  try {
    const stats = await trainCentral(net, data, splits.members, spec.training, rng.fork('train'), (epoch, loss) =>
      progress(`epoch ${epoch + 1}/${spec.training.epochs} loss ${loss.toFixed(4)}`),
    );
    const train = evaluate(net, data, splits.members);
    const test = evaluate(net, data, splits.test);

    // Candidates: every member and non-member, in an order that reveals nothing.
    const candidateRows = Int32Array.from([...splits.members, ...splits.nonMembers]);
    const memberCount = splits.members.length;
    const order = rng.fork('candidates').permutation(candidateRows.length);
    const rows = Array.from(order, (i) => candidateRows[i]);
    const isMember = Array.from(order, (i) => i < memberCount);
    const candidates = takeRecords(data, rows);
    const population = takeRecords(data, splits.population);
    const api = predictionApi(net, 'probabilities');

    const attackResults: AttackResult[] = [];
    const attackStart = performance.now();
    for (const a of spec.attacks) {
      const def = attacks.get(a.id);
      if (def.requiredOutput === 'probabilities' && api.output !== 'probabilities') {
        throw new InputError(`attack '${a.id}' needs output probabilities but this configuration returns labels only`, {
          field: 'attacks',
        });
      }
      progress(`attack ${a.id}`);
      const t0 = performance.now();
      const scores = await def.score(
        { target: api, candidates, population, rng: rng.fork(`attack/${a.id}`) },
        def.options.parse(a.options),
      );
      attackResults.push({
        id: def.id,
        title: def.title,
        family: def.family,
        threatModel: def.threatModel,
        requiredObservations: def.requiredObservations,
        ...evaluateMembership(scores, isMember),
        seconds: (performance.now() - t0) / 1000,
      });
    }

    return {
      id: spec.id,
      name: spec.name,
      variant: spec.variant,
      configuration: {
        dataset: { id: spec.dataset.id, ...spec.dataset.options },
        model: { id: spec.model.id, ...spec.model.options },
        training: { ...spec.training },
        split: { ...sizes },
        defenses: [],
      },
      threatModel: {
        summary:
          'Central training without defenses. The attacker is a user of the deployed model: it sends records and ' +
          'receives the full vector of class probabilities (black box). It holds its own records from the same ' +
          'population, disjoint from the training set.',
        observations: [`queryApi: ${OBSERVATIONS.queryApi}`],
      },
      data: { dataset: data.description, records: data.n, features: data.d, classes: data.numClasses },
      model: { description: net.describe(), parameters: net.parameterCount() },
      utility: {
        trainAccuracy: train.accuracy,
        testAccuracy: test.accuracy,
        trainLoss: train.loss,
        testLoss: test.loss,
        lossCurve: stats.lossCurve,
      },
      attacks: attackResults,
      costs: {
        trainingSeconds: stats.seconds,
        attackSeconds: (performance.now() - attackStart) / 1000,
        samplesPerSecond: stats.samplesPerSecond,
        peakRssMiB: peakRssMiB(),
      },
      seed: spec.seed,
    };
  } finally {
    net.dispose();
  }
}
