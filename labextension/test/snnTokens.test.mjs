// Unit tests of the %%snn tokenizer (run: npm test; needs a built lib/).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { tokenize } from './tokenize.mjs';

const only = (line, style) =>
  tokenize(line)[0].filter(([, s]) => s === style).map(([t]) => t);

test('the magic line is one token', () => {
  assert.deepEqual(tokenize('%%snn channel --seed 3')[0], [
    ['%%snn channel --seed 3', 'magic']
  ]);
});

test('definitions, keywords, neuron types, options and ranges', () => {
  assert.deepEqual(tokenize('a = ensemble 150 LIF rates=40..60')[0], [
    ['a', 'definition'],
    ['=', 'operator'],
    ['ensemble', 'keyword'],
    ['150', 'number'],
    ['LIF', 'neuron'],
    ['rates', 'option'],
    ['=', 'operator'],
    ['40', 'number'],
    ['..', 'operator'],
    ['60', 'number']
  ]);
});

test('numbers carry units; unknown units are marked invalid', () => {
  assert.deepEqual(only('b -> b synapse=100ms', 'unit'), ['ms']);
  assert.deepEqual(only('input white(5Hz, rms=0.5, period=10s)', 'unit'), [
    'Hz',
    's'
  ]);
  assert.deepEqual(only('probe b synapse=10parsecs', 'invalid'), ['parsecs']);
  assert.deepEqual(only('c = a -> b learn=pes(error, rate=1e-4)', 'number'), [
    '1e-4'
  ]);
});

test('an expression follows ":" until the first option', () => {
  const line = tokenize('a -> b : x**2 + sin(pi*x)   synapse=5ms')[0];
  assert.deepEqual(line, [
    ['a', 'name'],
    ['->', 'arrow'],
    ['b', 'name'],
    [':', 'punctuation'],
    ['x', 'exprName'],
    ['**', 'operator'],
    ['2', 'number'],
    ['+', 'operator'],
    ['sin', 'mathFunction'],
    ['(', 'punctuation'],
    ['pi', 'exprName'],
    ['*', 'operator'],
    ['x', 'exprName'],
    [')', 'punctuation'],
    ['synapse', 'option'],
    ['=', 'operator'],
    ['5', 'number'],
    ['ms', 'unit']
  ]);
});

test('":" inside brackets is a slice, not an expression', () => {
  assert.deepEqual(only('arr[1:3] -> sin', 'mathFunction'), []);
  assert.deepEqual(only('a -> b[0] : x[0] * x[1]', 'exprName'), ['x', 'x']);
});

test('input takes an expression of t or a signal constructor', () => {
  assert.deepEqual(only('stim = input sin(2*pi*t)', 'exprName'), ['pi', 't']);
  assert.deepEqual(only('stim = input step(-1, 0.5, every=0.5s)', 'constructor'), [
    'step'
  ]);
  assert.deepEqual(only('stim = input step(0, 1, at=0.2s)', 'option'), ['at']);
});

test('probe kinds are atoms only after probe', () => {
  assert.deepEqual(only('probe a spikes', 'probeKind'), ['spikes']);
  assert.deepEqual(only('spikes = ensemble 10', 'probeKind'), []);
});

test('comments, blocks and learning', () => {
  const lines = tokenize(
    'layer = network:\n    a = ensemble 50 LIF   # inner\nc = a -> b : 0 learn=pes(error)'
  );
  assert.deepEqual(lines[0].map(([, s]) => s), [
    'definition',
    'operator',
    'keyword',
    'punctuation'
  ]);
  assert.deepEqual(lines[1].at(-1), ['# inner', 'comment']);
  assert.deepEqual(lines[2].filter(([, s]) => s === 'keyword'), [
    ['learn', 'keyword']
  ]);
  assert.deepEqual(lines[2].filter(([, s]) => s === 'constructor'), [
    ['pes', 'constructor']
  ]);
});

test('characters outside the language are invalid', () => {
  assert.deepEqual(only('a = ensemble 10 $', 'invalid'), ['$']);
});
