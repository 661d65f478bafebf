import { appendFile } from 'node:fs/promises';
import { gateStatus, tally } from '../../core/gate-status.js';
import type { GateOutcome } from '../../core/results.js';
import { markdownCell as cell } from '../../reports/markdown.js';
import { HEADER, outcomeRows } from './table.js';

/**
 * GitHub Actions output: workflow commands that annotate the run, and a Markdown table in the
 * job's step summary. Escaping follows the runner's command parser (actions/toolkit
 * `command.ts`): in the message `%`, CR and LF; in property values also `:` and `,`.
 */
export const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
export const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** `::error title=...::message` per failed error-level check, `::warning` per failed warn-level one. */
export function annotations(outcomes: GateOutcome[]): string[] {
  return outcomes
    .filter((o) => !o.passed)
    .map((o) => {
      const title = `ppml-audit gate: ${o.experimentName} ${o.metric} ${o.option}`;
      return `::${o.level === 'error' ? 'error' : 'warning'} title=${escapeProperty(title)}::${escapeData(o.message)}`;
    });
}

/** The step-summary section: a verdict line and the outcome table, failures first. */
export function stepSummary(title: string, outcomes: GateOutcome[]): string {
  const failed = outcomes.some((o) => gateStatus(o) === 'FAIL');
  const row = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  const table = outcomes.length
    ? [row(HEADER), row(HEADER.map(() => '---')), ...outcomeRows(outcomes).map(row)]
    : ['No assertion applied to these results.'];
  return [`## ${cell(title)}: ${failed ? 'failed' : 'passed'}`, '', tally(outcomes), '', ...table, ''].join('\n');
}

/** Annotates and summarises when running in GitHub Actions; elsewhere does nothing. */
export async function reportToGitHub(
  outcomes: GateOutcome[],
  title: string,
  env: NodeJS.ProcessEnv,
  write: (text: string) => void,
): Promise<void> {
  if (env.GITHUB_ACTIONS !== 'true') return;
  for (const line of annotations(outcomes)) write(`${line}\n`);
  if (env.GITHUB_STEP_SUMMARY) await appendFile(env.GITHUB_STEP_SUMMARY, stepSummary(title, outcomes));
}
