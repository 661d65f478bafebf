/**
 * Per-record signals that membership attacks threshold or model, computed from a model's
 * float64 probabilities (row-major [n x classes]). Each is oriented so that higher means
 * "more member-like".
 */
import { argmaxRow } from '../../targets/training/evaluate.js';

const TINY = 1e-300;

/** p_y: the probability of the true label. */
export function trueLabelProbability(proba: ArrayLike<number>, labels: ArrayLike<number>, c: number): Float64Array {
  const out = new Float64Array(labels.length);
  for (let i = 0; i < labels.length; i++) out[i] = proba[i * c + labels[i]];
  return out;
}

/** log p_y, the negated cross-entropy loss (Yeom et al. 2018). */
export function negLoss(proba: ArrayLike<number>, labels: ArrayLike<number>, c: number): Float64Array {
  return trueLabelProbability(proba, labels, c).map((p) => Math.log(Math.max(p, TINY)));
}

/**
 * Logit-scaled confidence log p_y - log sum_{y' != y} p_y' (Carlini et al. 2022, §IV-B): it makes
 * the spread of confidences across models close to Gaussian. The sum over other classes is taken
 * directly, not as 1 - p_y, so memorised records keep their resolution.
 */
export function logitScaledConfidence(proba: ArrayLike<number>, labels: ArrayLike<number>, c: number): Float64Array {
  const out = new Float64Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    let rest = 0;
    for (let k = 0; k < c; k++) if (k !== labels[i]) rest += proba[i * c + k];
    out[i] = Math.log(Math.max(proba[i * c + labels[i]], TINY)) - Math.log(Math.max(rest, TINY));
  }
  return out;
}

/** The top probability, which needs no label (Salem et al. 2019, ML-Leaks adversary 3). */
export function maxConfidence(proba: ArrayLike<number>, n: number, c: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let k = 0; k < c; k++) m = Math.max(m, proba[i * c + k]);
    out[i] = m;
  }
  return out;
}

/** Negated prediction entropy: members get sharper outputs (Salem et al. 2019). */
export function negEntropy(proba: ArrayLike<number>, n: number, c: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let h = 0;
    for (let k = 0; k < c; k++) {
      const p = proba[i * c + k];
      if (p > 0) h -= p * Math.log(p);
    }
    out[i] = -h;
  }
  return out;
}

/**
 * Negated modified entropy (Song & Mittal 2021, eq. 4):
 * Mentr = -(1 - p_y) log p_y - sum_{i != y} p_i log(1 - p_i). Unlike entropy it uses the label,
 * so a confident wrong answer scores as a non-member.
 */
export function negModifiedEntropy(proba: ArrayLike<number>, labels: ArrayLike<number>, c: number): Float64Array {
  const out = new Float64Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    let m = 0;
    for (let k = 0; k < c; k++) {
      const p = proba[i * c + k];
      m -= k === labels[i] ? (1 - p) * Math.log(Math.max(p, TINY)) : p * Math.log(Math.max(1 - p, TINY));
    }
    out[i] = -m;
  }
  return out;
}

/** Whether each record's top prediction is its label (the gap attack's whole signal). */
export function correctness(proba: ArrayLike<number>, labels: ArrayLike<number>, c: number): Float64Array {
  const out = new Float64Array(labels.length);
  for (let i = 0; i < labels.length; i++) out[i] = argmaxRow(proba, i, c) === labels[i] ? 1 : 0;
  return out;
}

/**
 * Scores ordered by `primary`, ties broken by `secondary` (both: higher = more member-like),
 * as dense ranks. Attacks whose natural score saturates (a p-value of 0 for every record
 * rarer than all reference records) keep their low-FPR resolution this way.
 */
export function rankLexicographic(primary: ArrayLike<number>, secondary: ArrayLike<number>): Float64Array {
  const n = primary.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => primary[a] - primary[b] || secondary[a] - secondary[b]);
  const out = new Float64Array(n);
  let rank = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    const j = order[k - 1];
    if (k > 0 && (primary[i] !== primary[j] || secondary[i] !== secondary[j])) rank++;
    out[i] = rank;
  }
  return out;
}
