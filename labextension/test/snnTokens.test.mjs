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

test('quoted strings are one token; an unclosed quote is invalid', () => {
  assert.deepEqual(only('h = ensemble 50 LIF label="Input A"', 'string'), [
    '"Input A"'
  ]);
  assert.deepEqual(only("a -> b label='a # b'", 'string'), ["'a # b'"]);
  assert.deepEqual(only("a -> b label='a # b'", 'comment'), []);
  assert.deepEqual(only('probe b label="open', 'invalid'), ['"open']);
});

test('a statement goes on over the next lines while a bracket is open', () => {
  const lines = tokenize(
    [
      'osc -> osc : [',
      '    x[0] + w * x[1],   # first row',
      '',
      '    sin(x[0]),',
      '] synapse=tau',
      'x = ensemble 10'
    ].join('\n')
  );
  // The expression after ':' goes on inside the brackets ...
  assert.deepEqual(
    lines[1].filter(([, s]) => s === 'exprName').map(([t]) => t),
    ['x', 'x']
  );
  assert.deepEqual(lines[1].at(-1), ['# first row', 'comment']);
  assert.deepEqual(lines[3][0], ['sin', 'mathFunction']);
  // ... and ends with them; the next line is a new statement.
  assert.deepEqual(lines[4].slice(1, 2), [['synapse', 'option']]);
  assert.deepEqual(lines[5][0], ['x', 'definition']);
  assert.deepEqual(lines[5][2], ['ensemble', 'keyword']);
});

test('a wrapped call keeps its keyword arguments and probe kinds', () => {
  const lines = tokenize('stim = input step(0, 1,\n    at=0.2s)\nprobe a\n spikes');
  assert.deepEqual(lines[1][0], ['at', 'option']);
  // Without an open bracket a line is a statement of its own.
  assert.deepEqual(lines[3], [['spikes', 'name']]);
});

test('library networks, solvers, distributions and booleans', () => {
  assert.deepEqual(only('bg = BasalGanglia(dims=3)', 'library'), ['BasalGanglia']);
  assert.deepEqual(only('osc = Oscillator(100ms, 1Hz, 200)', 'library'), [
    'Oscillator'
  ]);
  assert.deepEqual(only('a -> b solver=LstsqL2(weights=True)', 'constructor'), [
    'LstsqL2'
  ]);
  assert.deepEqual(only('a -> b solver=LstsqL2(weights=True)', 'bool'), ['True']);
  assert.deepEqual(
    only('g = ensemble 2 LIF encoders=choice([1], [-1]) rates=uniform(10, 20)', 'constructor'),
    ['choice', 'uniform']
  );
  assert.deepEqual(only('s = input passthrough(dims=2)', 'constructor'), [
    'passthrough'
  ]);
  assert.deepEqual(only('g -> a inhibit=2.5', 'option'), ['inhibit']);
});

test('named constants are definitions; "x" makes an array', () => {
  assert.deepEqual(tokenize('tau = 100ms')[0], [
    ['tau', 'definition'],
    ['=', 'operator'],
    ['100', 'number'],
    ['ms', 'unit']
  ]);
  assert.deepEqual(only('arr = 4 x ensemble 50 LIF', 'keyword'), ['x', 'ensemble']);
});
