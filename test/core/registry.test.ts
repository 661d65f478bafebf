import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '../../core/registry.js';
import { InputError } from '../../core/errors.js';

const item = (id: string) => ({ id, title: id.toUpperCase(), description: `the ${id} plugin` });

test('duplicate ids throw', () => {
  assert.throws(() => new Registry('widget', [item('a'), item('b'), item('a')]), /duplicate widget id 'a'/);
});

test('get() returns known plugins; ids/list/has reflect the input order', () => {
  const r = new Registry('widget', [item('a'), item('b')]);
  assert.equal(r.get('b').title, 'B');
  assert.deepEqual(r.ids(), ['a', 'b']);
  assert.deepEqual(r.list().map((x) => x.id), ['a', 'b']);
  assert.equal(r.has('a'), true);
  assert.equal(r.has('zz'), false);
});

test('get() of an unknown id throws InputError listing the known ids', () => {
  const r = new Registry('widget', [item('alpha'), item('beta')]);
  assert.throws(
    () => r.get('gamma', 'attacks[0].id'),
    (err: unknown) => {
      assert.ok(err instanceof InputError);
      assert.match(err.message, /unknown widget 'gamma'/);
      assert.match(err.message, /known: alpha, beta/);
      assert.equal(err.location.field, 'attacks[0].id');
      return true;
    },
  );
  assert.throws(() => new Registry('widget', []).get('x'), /\(none\)/);
});
