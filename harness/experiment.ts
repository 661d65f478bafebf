import { evaluateMembership } from '../attacks/membership/evaluate.js';
import type { ReferenceOutputs } from '../attacks/types.js';
import { OBSERVATIONS } from '../core/observations.js';
import type { AttackResult, ExperimentResult, Privacy } from '../core/results.js';
import { buildModel } from '../targets/models/index.js';
import { predictionApi, takeRecords } from '../targets/records.js';
import { argmaxRow, evaluate } from '../targets/training/evaluate.js';
import type { Executor } from './pool.js';
import type { ExperimentPlan, PlannedAttack } from './plan.js';
import type { JobResult } from './train-job.js';

function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Splits each reference model's logits into its candidate and population parts. */
function referenceOutputs(a: PlannedAttack, results: JobResult[], candidates: number, numClasses: number): ReferenceOutputs {
  const cut = candidates * numClasses;
  return {
    request: a.request!,
    numClasses,
    candidates: results.map((r) => r.logits!.subarray(0, cut)),
    population: results.map((r) => r.logits!.subarray(cut)),
  };
}

const API_VIEW = {
  probabilities: 'receives the full vector of class probabilities (black box)',
  labels: 'receives only the predicted label',
};

/** Who trains the target and what the server sees on the way (ARCHITECTURE.md's table). */
function trainingSummary(plan: ExperimentPlan): string {
  const fl = plan.spec.federated;
  if (fl) {
    const server = fl.secureAggregation
      ? 'Under secure aggregation the server sees only masked vectors and the sum of the updates of each round, never one client\'s update.'
      : "A plain server sees every client's update, every round.";
    const dp = plan.dp?.kind === 'dp-fedavg' ? plan.dp : undefined;
    const guarantee = dp
      ? ` User-level DP-FedAvg (${dp.mechanism.mode}: each client's update clipped to ${dp.mechanism.clip}, Gaussian noise of multiplier ` +
        `${dp.mechanism.noiseMultiplier.toPrecision(3)} ${dp.mechanism.mode === 'local' ? 'on every update' : 'on the sum'}; ` +
        `epsilon ${dp.report.epsilon.toPrecision(3)} at delta ${dp.report.delta} for any one client's data).`
      : '';
    return `Federated training (${fl.algorithm}, ${fl.clients} clients, ${fl.rounds} rounds, aggregator ${fl.aggregator.id}).${guarantee} ${server}`;
  }
  return plan.dp
    ? `Central DP-SGD training (per-example gradients clipped to ${plan.dp.mechanism.clip}, Gaussian noise of multiplier ` +
        `${plan.dp.mechanism.noiseMultiplier.toPrecision(3)}; epsilon ${plan.dp.report.epsilon.toPrecision(3)} at delta ${plan.dp.report.delta}).`
    : 'Central training without defenses.';
}

/** What each party observes of the run, by the observation ids attacks declare. */
function observations(plan: ExperimentPlan): string[] {
  const fl = plan.spec.federated;
  const server = !fl ? [] : fl.secureAggregation ? ['aggregates', 'transcript'] : ['clientUpdates', 'aggregates'];
  return ['queryApi', ...server].map((id) => `${id}: ${OBSERVATIONS[id as keyof typeof OBSERVATIONS]}`);
}

/** The defenses a configuration applies, by name. */
function defensesOf(plan: ExperimentPlan): string[] {
  const fl = plan.spec.federated;
  return [
    ...(plan.dp ? [plan.dp.kind] : []),
    ...(fl && fl.aggregator.id !== 'mean' ? [`aggregator: ${fl.aggregator.id}`] : []),
    ...(fl?.secureAggregation ? ['secure-aggregation'] : []),
  ];
}

function threatSummary(plan: ExperimentPlan): string {
  const training = trainingSummary(plan);
  return (
    `${training} The attacker is a user of the deployed model: it sends records and ${API_VIEW[plan.spec.api]}. ` +
    'It holds its own records from the same population, disjoint from the training set, and knows the training recipe.'
  );
}

/** results.json's account of the DP guarantee, from the plan's resolution and the target's training. */
function privacy(plan: ExperimentPlan, clippedFraction: number | undefined): Privacy | undefined {
  if (!plan.dp) return undefined;
  const { report, config } = plan.dp;
  const { noiseMultiplier, clip, sampleRate, steps } = plan.dp.mechanism;
  return {
    mechanism: plan.dp.kind,
    ...(plan.dp.kind === 'dp-fedavg' ? { mode: plan.dp.mechanism.mode } : {}),
    epsilon: report.epsilon,
    delta: report.delta,
    noiseMultiplier,
    clip,
    sampleRate,
    steps,
    accountant: report.accountant,
    method: report.method,
    assumptions: { ...report.assumptions },
    ...(report.details ? { details: { ...report.details } } : {}),
    warnings: report.warnings,
    noise: config.noise,
    ...(clippedFraction !== undefined ? { clippedFraction } : {}),
  };
}

/**
 * Trains the target of one experiment (through the executor, so it may come from the cache),
 * measures its utility, and runs each attack on exactly the observations the configuration
 * exposes, with the reference models it planned.
 */
export async function runExperiment(plan: ExperimentPlan, executor: Executor, progress: (m: string) => void): Promise<ExperimentResult> {
  const { spec, data, splits } = plan;
  const targetJob = executor.run(plan.target);
  // Reference models start training now, in parallel with the target.
  const referenceJobs = plan.attacks.map((a) => Promise.all(a.jobs.map((j) => executor.run(j))));
  referenceJobs.forEach((p) => p.catch(() => undefined));
  const trained = await targetJob;
  const net = buildModel(spec.model, { d: data.d, numClasses: data.numClasses, imageShape: data.imageShape }, plan.rng.fork('shape'));
  try {
    net.setWeights(trained.weights!);
    const train = evaluate(net, data, splits.members);
    const test = evaluate(net, data, splits.test);
    const candidates = takeRecords(data, plan.candidateRows);
    const population = takeRecords(data, splits.population);
    const api = predictionApi(net, spec.api);
    const fullApi = predictionApi(net, 'probabilities');
    const proba = fullApi.predict(candidates);
    const correct = Array.from(candidates.y, (y, i) => argmaxRow(proba, i, data.numClasses) === y);

    const attackResults: AttackResult[] = [];
    const attackStart = performance.now();
    let referenceModels = 0;
    let referenceSeconds = 0;
    let cachedModels = trained.cached ? 1 : 0;
    const counted = new Set<string>();
    for (const [i, a] of plan.attacks.entries()) {
      const t0 = performance.now();
      const refs = await referenceJobs[i];
      for (const [k, r] of refs.entries()) {
        if (counted.has(a.jobs[k].key)) continue;
        counted.add(a.jobs[k].key);
        referenceModels++;
        referenceSeconds += r.stats.seconds;
        if (r.cached) cachedModels++;
      }
      progress(`attack ${a.name}`);
      const rng = plan.rng.fork(`attack/${a.name}`);
      const references = a.request ? referenceOutputs(a, refs, candidates.n, data.numClasses) : undefined;
      const options = a.def.options.parse(a.options);
      let outcome: Pick<AttackResult, 'metrics' | 'members' | 'nonMembers' | 'finding' | 'notes'> & Partial<AttackResult>;
      if (a.def.family === 'audit') {
        const claim = plan.dp && { epsilon: plan.dp.report.epsilon, delta: plan.dp.report.delta };
        outcome = await a.def.audit({ candidates, population, references: references!, claim, rng }, options);
      } else {
        const out = await a.def.score({ target: api, candidates, population, rng, references }, options);
        const facts = { isMember: plan.isMember, ids: plan.candidateRows, labels: candidates.y, classNames: data.classNames, correct, extraFprs: spec.fprs };
        outcome = { ...evaluateMembership(out.scores, facts, out.populationScores), notes: out.notes ?? [] };
      }
      attackResults.push({
        id: a.name,
        title: a.name === a.def.id ? a.def.title : `${a.def.title} [${a.name}]`,
        family: a.def.family,
        threatModel: a.def.threatModel,
        requiredObservations: a.def.requiredObservations,
        slices: [],
        vulnerable: [],
        ...outcome,
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
        split: { ...plan.sizes },
        ...(spec.dp ? { dp: { ...spec.dp } } : {}),
        ...(spec.federated ? { federated: { ...spec.federated } } : {}),
        api: spec.api,
        defenses: defensesOf(plan),
      },
      threatModel: { summary: threatSummary(plan), observations: observations(plan) },
      data: { dataset: data.description, records: data.n, features: data.d, classes: data.numClasses },
      model: { description: net.describe(), parameters: net.parameterCount() },
      ...(plan.dp ? { privacy: privacy(plan, trained.stats.clippedFraction) } : {}),
      ...(trained.stats.federated ? { federated: trained.stats.federated } : {}),
      utility: {
        trainAccuracy: train.accuracy,
        testAccuracy: test.accuracy,
        trainLoss: train.loss,
        testLoss: test.loss,
        lossCurve: trained.stats.lossCurve,
      },
      attacks: attackResults,
      costs: {
        trainingSeconds: trained.stats.seconds,
        attackSeconds: (performance.now() - attackStart) / 1000,
        samplesPerSecond: trained.stats.samplesPerSecond,
        referenceModels,
        referenceTrainingSeconds: referenceSeconds,
        cachedModels,
        peakRssMiB: peakRssMiB(),
      },
      seed: spec.seed,
    };
  } finally {
    net.dispose();
  }
}
