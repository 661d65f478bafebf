import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frontierSvg, paretoOptimal, type FrontierPoint } from '../../reports/svg/frontier.js';
import { gaugeSvg } from '../../reports/svg/gauge.js';
import { lineSvg } from '../../reports/svg/line.js';
import { ROC_LAYOUT, rocSvg } from '../../reports/svg/roc.js';

function polylinePoints(svg: string): [number, number][][] {
  return [...svg.matchAll(/<polyline points="([^"]*)"/g)].map((m) =>
    m[1].split(' ').map((p) => p.split(',').map(Number) as [number, number]),
  );
}

const { width, height, left, right, top, bottom } = ROC_LAYOUT;
const plotW = width - left - right;
const plotH = height - top - bottom;

test('ROC maps rates onto log axes from the floor to 1', () => {
  const svg = rocSvg([{ label: 'lira', points: [{ fpr: 0, tpr: 0 }, { fpr: 1e-3, tpr: 1e-2 }, { fpr: 1, tpr: 1 }] }], 1e-4);
  const [[zero, mid, one]] = polylinePoints(svg);
  // 1e-3 is one decade of four above the 1e-4 floor; 1e-2 two of four.
  assert.ok(Math.abs(mid[0] - (left + plotW / 4)) < 0.01, `x(1e-3) = ${mid[0]}`);
  assert.ok(Math.abs(mid[1] - (top + plotH / 2)) < 0.01, `y(1e-2) = ${mid[1]}`);
  assert.deepEqual(zero, [left, top + plotH], 'fpr = tpr = 0 clamps to the lower-left corner');
  assert.deepEqual(one, [left + plotW, top]);
});

test('ROC floor sets the axis range, with a tick a decade', () => {
  const svg = rocSvg([{ label: 'a', points: [{ fpr: 1e-2, tpr: 0.1 }] }], 1e-3);
  const [[p]] = polylinePoints(svg);
  assert.ok(Math.abs(p[0] - (left + plotW / 3)) < 0.01);
  for (const tick of ['0.1%', '1%', '10%', '100%']) assert.ok(svg.includes(`>${tick}</text>`), tick);
  assert.ok(!svg.includes('>0.01%</text>'));
});

test('ROC escapes legend labels, draws one curve per series, carries no namespace URL', () => {
  const svg = rocSvg([
    { label: '<script>alert(1)</script> & "x"', points: [{ fpr: 0.1, tpr: 0.2 }] },
    { label: 'loss', points: [{ fpr: 0.1, tpr: 0.3 }] },
  ]);
  assert.ok(!svg.includes('<script>'));
  assert.ok(svg.includes('&#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;x&#34;'));
  assert.equal(polylinePoints(svg).length, 2);
  assert.ok(!svg.includes('xmlns'));
});

test('line chart spans the plot and keeps coordinates short', () => {
  const svg = lineSvg([3, 2, 1.5, 1], 'loss <per> epoch');
  const [pts] = polylinePoints(svg);
  assert.equal(pts.length, 4);
  assert.ok(pts[0][1] < pts[3][1], 'the highest loss is drawn highest');
  assert.ok(!/\d\.\d{3}/.test(svg), 'at most two decimals');
  assert.ok(svg.includes('loss &#60;per&#62; epoch'));
  assert.ok(lineSvg([2], 'one epoch').includes('<circle'));
});

function point(number: number, leakage: number, testAccuracy: number, group = 'purchase'): FrontierPoint {
  return { number, name: `exp <${number}>`, leakage, testAccuracy, trainingSeconds: number, group };
}

test('Pareto: optimal when no point of the same group leaks less and is at least as accurate', () => {
  const points = [
    point(1, 0.5, 0.9), // most accurate
    point(2, 0.1, 0.8), // leaks less
    point(3, 0.2, 0.7), // dominated by 2
    point(4, 0.01, 0.6), // leaks least
    point(5, 0.5, 0.85), // dominated by 1: same leakage, less accurate
    point(6, 0.1, 0.8), // equal to 2: both stay optimal
    point(7, 0.9, 0.5, 'mnist'), // alone in its group
  ];
  assert.deepEqual(paretoOptimal(points), [true, true, false, true, false, true, true]);
});

test('frontier: filled and named Pareto points, hollow numbered others, a staircase per group', () => {
  const svg = frontierSvg([point(1, 0.5, 0.9), point(2, 0.1, 0.8), point(3, 0.2, 0.7), point(4, 0, 0.6, 'mnist')]);
  assert.equal(svg.match(/<circle class="pareto"/g)?.length, 3);
  assert.equal(svg.match(/<circle class="dominated"/g)?.length, 1);
  assert.ok(svg.includes('>2 · exp &#60;2&#62;</text>'), 'Pareto points are named, escaped');
  assert.ok(svg.includes('>3</text>'), 'dominated points are numbered');
  assert.equal(svg.match(/<polyline class="staircase"/g)?.length, 1, 'a group of one has no staircase');
  assert.ok(svg.includes('>guessing</text>') && svg.includes('>0.1%</text>'));
  assert.ok(!svg.includes('xmlns') && !/\d\.\d{3}/.test(svg));
});

test('gauge: the arc is the score, the number and the band go with the colour', () => {
  const arc = (svg: string) => Number(/stroke-dasharray="([\d.]+) /.exec(svg)?.[1]);
  const full = 2 * Math.PI * 42;
  assert.ok(Math.abs(arc(gaugeSvg('Privacy', 50, 'average')) - full / 2) < 0.01);
  assert.ok(Math.abs(arc(gaugeSvg('Privacy', 100, 'good')) - full) < 0.01);
  assert.match(gaugeSvg('Utility', 90, 'good'), /aria-label="Utility: 90 of 100".*>90<\/text>/);
  const na = gaugeSvg('Cost', null, 'n/a');
  assert.ok(!na.includes('stroke-dasharray') && na.includes('>n/a</text>') && na.includes('Cost: not applicable'));
});
