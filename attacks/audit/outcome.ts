import type { AuditOutcome, PrivacyClaim } from '../types.js';

const fmt = (v: number) => (v === 0 ? '0' : v.toPrecision(3));

/**
 * An audit's result in the shape results.json and gates read, with the verdict: a lower bound
 * above the claimed epsilon refutes the claim. A bound below it is consistent with the claim,
 * which an audit can never prove.
 */
export function auditOutcome(
  bound: number,
  claim: PrivacyClaim | undefined,
  delta: number,
  p: number,
  extra: { metrics: AuditOutcome['metrics']; members: number; nonMembers: number; detail: string },
): AuditOutcome {
  const confidence = `${Math.round((1 - p) * 100)}% confidence`;
  const proven = `the audit shows epsilon >= ${fmt(bound)} at delta ${delta} with ${confidence} (${extra.detail})`;
  const finding = !claim
    ? `No differential privacy is claimed; ${proven}.`
    : bound > claim.epsilon
      ? `FAIL: ${proven}, above the claimed epsilon ${fmt(claim.epsilon)}: this DP implementation leaks more than it claims.`
      : `Consistent with the claimed epsilon ${fmt(claim.epsilon)}: ${proven}. An audit can refute a claim, never prove it.`;
  return {
    metrics: {
      epsilonLowerBound: { value: bound, note: `at delta ${delta}, ${confidence}` },
      ...(claim
        ? {
            claimedEpsilon: { value: claim.epsilon },
            exceedsClaim: { value: bound > claim.epsilon ? 1 : 0, note: '1 when the lower bound refutes the claim' },
          }
        : {}),
      ...extra.metrics,
    },
    members: extra.members,
    nonMembers: extra.nonMembers,
    finding,
    notes: [],
  };
}
