/**
 * What an outcome proves about a prediction. A denial only counts when the packet met the
 * policy: a connect probe whose name did not resolve never tried to connect, and a source with
 * no route to the network never reached any policy. Those are inconclusive against a
 * predicted denial (they would pass it by accident) and failures against a predicted allow.
 * Pure.
 */
import type { Outcome, Probe } from '../probe/types.js';
import type { Verdict } from '../scenario/types.js';
import type { Prediction } from '../simulator/types.js';

export interface Observation {
  readonly outcome: Outcome;
  /** null: the outcome shows nothing about the prediction (inconclusive). */
  readonly verdict: Verdict | null;
  /** Why the verdict is null, in words. */
  readonly inconclusive?: string;
}

function detailOf(outcome: Outcome): string {
  return 'detail' in outcome && outcome.detail !== undefined && outcome.detail !== '' ? `: ${outcome.detail}` : '';
}

/** Judges one outcome against the probe's prediction. */
export function judgeObservation(outcome: Outcome, prediction: Prediction, probe: Probe): Observation {
  switch (outcome.kind) {
    case 'ok':
      return { outcome, verdict: 'allow' };
    case 'timeout':
    case 'refused':
      return { outcome, verdict: 'deny' };
    case 'dns': {
      // A failed lookup is the predicted denial when the lookup itself is what is judged or
      // predicted blocked; otherwise the connection the prediction is about was never tried.
      const lookupPredictedBlocked = probe.to.kind === 'dns' || (prediction.dns !== undefined && !prediction.dns.allowed);
      if (prediction.allowed || lookupPredictedBlocked) return { outcome, verdict: 'deny' };
      return {
        outcome,
        verdict: null,
        inconclusive: `the name did not resolve, so the connection was never tried (the lookup is predicted to succeed)${detailOf(outcome)}`,
      };
    }
    case 'unreachable':
      if (prediction.allowed) return { outcome, verdict: 'deny' };
      return { outcome, verdict: null, inconclusive: `the network is unreachable from the source: a routing failure, not a policy's verdict${detailOf(outcome)}` };
    case 'error':
      return { outcome, verdict: null, inconclusive: `the probe itself failed${detailOf(outcome)}` };
  }
}
