/**
 * Threshold-free metrics of a membership score: higher score = "more likely a member".
 * Ties are handled by moving all tied examples across the threshold at once, so the ROC is
 * the one every threshold can actually realise.
 */

export interface RocPoint {
  fpr: number;
  tpr: number;
  /** Predict "member" when score >= threshold. */
  threshold: number;
}

export interface Roc {
  points: RocPoint[];
  positives: number;
  negatives: number;
}

export function roc(scores: ArrayLike<number>, isMember: ArrayLike<boolean | number>): Roc {
  const n = scores.length;
  if (n !== isMember.length) throw new RangeError(`scores (${n}) and labels (${isMember.length}) differ in length`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let positives = 0;
  for (let i = 0; i < n; i++) if (isMember[i]) positives++;
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) throw new RangeError('ROC needs both members and non-members');
  for (let i = 0; i < n; i++) if (Number.isNaN(scores[i])) throw new RangeError(`score ${i} is NaN`);
  const points: RocPoint[] = [{ fpr: 0, tpr: 0, threshold: Infinity }];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < n; ) {
    const s = scores[order[k]];
    while (k < n && scores[order[k]] === s) {
      if (isMember[order[k]]) tp++;
      else fp++;
      k++;
    }
    points.push({ fpr: fp / negatives, tpr: tp / positives, threshold: s });
  }
  return { points, positives, negatives };
}

/** Area under the ROC by the trapezoid rule (ties count one half, as the Mann-Whitney U does). */
export function auc(r: Roc): number {
  let area = 0;
  for (let i = 1; i < r.points.length; i++) {
    const a = r.points[i - 1];
    const b = r.points[i];
    area += ((b.fpr - a.fpr) * (a.tpr + b.tpr)) / 2;
  }
  return area;
}

/**
 * The highest TPR of any threshold whose FPR is at most `maxFpr`. This is the low-FPR metric
 * Carlini et al. (2022) argue for: it asks whether an attacker can pick out some members with
 * confidence, which AUC hides.
 */
export function tprAtFpr(r: Roc, maxFpr: number): number {
  return pointAtFpr(r, maxFpr).tpr;
}

/** The ROC point with the highest TPR among those with FPR at most `maxFpr`. */
export function pointAtFpr(r: Roc, maxFpr: number): RocPoint {
  let best = r.points[0];
  for (const p of r.points) if (p.fpr <= maxFpr + 1e-12 && p.tpr > best.tpr) best = p;
  return best;
}

/** Confusion counts of the test "member iff score >= p.threshold". */
export function countsAt(r: Roc, p: RocPoint): { tp: number; fn: number; fp: number; tn: number } {
  const tp = Math.round(p.tpr * r.positives);
  const fp = Math.round(p.fpr * r.negatives);
  return { tp, fn: r.positives - tp, fp, tn: r.negatives - fp };
}

/** Whether the non-member count can resolve this FPR at all (fewer than 1/FPR cannot). */
export function resolvesFpr(r: Roc, fpr: number): boolean {
  return r.negatives * fpr >= 1;
}

/** Membership advantage max_t (TPR - FPR) (Yeom et al. 2018); balanced accuracy is (1 + adv) / 2. */
export function advantage(r: Roc): number {
  let best = 0;
  for (const p of r.points) best = Math.max(best, p.tpr - p.fpr);
  return best;
}

/**
 * At most `max` points that keep the curve's shape on a log-FPR axis: every point at low FPR
 * (where the attacks differ), then an even thinning of the rest. Always keeps both ends.
 */
export function downsampleRoc(points: RocPoint[], max = 200): RocPoint[] {
  if (points.length <= max) return points;
  const keep = new Set<number>([0, points.length - 1]);
  const budget = max - 2;
  // Half the budget on log-spaced FPR targets, half evenly in index.
  const minPositiveFpr = points.find((p) => p.fpr > 0)?.fpr ?? 1;
  const logLo = Math.log10(minPositiveFpr);
  for (let i = 0; i < budget / 2; i++) {
    const target = 10 ** (logLo + ((0 - logLo) * i) / (budget / 2 - 1));
    let lo = 0;
    let hi = points.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (points[mid].fpr <= target) lo = mid;
      else hi = mid - 1;
    }
    keep.add(lo);
  }
  for (let i = 0; i < budget / 2; i++) keep.add(Math.round((i * (points.length - 1)) / (budget / 2)));
  return [...keep].sort((a, b) => a - b).map((i) => points[i]);
}
