import { test } from 'node:test';
import assert from 'node:assert/strict';
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
