/**
 * A CodeMirror 6 stream tokenizer for the `%%snn` cell language.
 *
 * It follows the lexer of `nbsnn/dsl/lexer.py` (numbers with an optional unit
 * glued on, names, quoted strings, operators such as `->`, `..` and `**`, `#`
 * comments; a statement goes on over the next lines while a `(` or `[` is
 * open) and adds the context a highlighter needs: the statement keyword,
 * neuron types, library networks, option names (`name=`), and the expression
 * after `:`. The grammar is documented in `docs/snn_language.md`.
 *
 * The name sets mirror nbsnn's registries (named beside each set);
 * `tests/labextension/test_tokens.py` checks that they do not drift.
 */
import type { StreamParser, StringStream } from '@codemirror/language';
import { tags } from '@lezer/highlight';

/** Statement keywords (`nbsnn.dsl.parser.KEYWORDS`), and `learn=`. */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'ensemble',
  'input',
  'probe',
  'network',
  'learn'
]);

/** Neuron types the language knows (`nbsnn.dsl.vocabulary.NEURON_TYPES`). */
export const NEURON_TYPES: ReadonlySet<string> = new Set([
  'LIF',
  'LIFRate',
  'AdaptiveLIF',
  'AdaptiveLIFRate',
  'ReLU',
  'SpikingReLU',
  'Sigmoid',
  'Tanh',
  'Izhikevich',
  'Direct',
  'AdaptiveThresholdLIF'
]);

/**
 * Time and frequency units that may follow a number (`5ms`, `10Hz`):
 * `nbsnn.dsl.vocabulary.TIME_UNITS` and `FREQUENCY_UNITS`.
 */
export const UNITS: ReadonlySet<string> = new Set(['s', 'ms', 'us', 'Hz', 'kHz']);

/**
 * Input signals (`nbsnn.dsl.parser.INPUT_CALLS`), synapses, distributions and
 * the learning rules (`pes` and `nbsnn.learning.language.SPIKE_RULES`).
 */
export const CONSTRUCTORS: ReadonlySet<string> = new Set([
  'step',
  'piecewise',
  'white',
  'slider',
  'constant',
  'passthrough',
  'poisson',
  'alpha',
  'lowpass',
  'none',
  'uniform',
  'choice',
  'pes',
  'stdp',
  'wstdp',
  'hebbian',
  'rstdp'
]);

/** Decoder solvers for `solver=` (`nbsnn.dsl.vocabulary.SOLVERS`). */
export const SOLVERS: ReadonlySet<string> = new Set([
  'Lstsq',
  'LstsqNoise',
  'LstsqMultNoise',
  'LstsqL2',
  'LstsqL2nz',
  'LstsqL1',
  'LstsqDrop',
  'Nnls',
  'NnlsL2',
  'NnlsL2nz',
  'NoSolver'
]);

/** Networks of Nengo's library a cell builds by name (`nbsnn.dsl.library.NETWORKS`). */
export const LIBRARY_NETWORKS: ReadonlySet<string> = new Set([
  'BasalGanglia',
  'Thalamus',
  'Product',
  'CircularConvolution',
  'InputGatedMemory',
  'EnsembleArray',
  'Integrator',
  'Oscillator'
]);

/** Truth values of solver arguments (`weights=True`). */
export const BOOLEANS: ReadonlySet<string> = new Set([
  'True',
  'true',
  'False',
  'false'
]);

/** What a probe records (`nbsnn.dsl.parser.PROBE_KINDS`). */
export const PROBE_KINDS: ReadonlySet<string> = new Set([
  'value',
  'spikes',
  'rates',
  'voltage',
  'weights'
]);

/** Functions allowed in expressions of `x` and `t` (`nbsnn.dsl.expressions.FUNCTIONS`). */
export const MATH_FUNCTIONS: ReadonlySet<string> = new Set(
  (
    'sin cos tan arcsin arccos arctan arctan2 sinh cosh tanh exp log log2 ' +
    'log10 sqrt square abs sign floor ceil minimum maximum clip where sum ' +
    'prod mean dot norm'
  ).split(' ')
);

/** Names that stand for values inside expressions: `x`, `t` and `CONSTANTS`. */
export const EXPRESSION_NAMES: ReadonlySet<string> = new Set([
  'x',
  't',
  'pi',
  'e'
]);

/**
 * Token names returned by the tokenizer, mapped to highlighting tags.
 *
 * Each name is also the suffix of a stable CSS class (`cm-snn-<name>`) that
 * `snnLanguage.ts` adds, so that styles and tests need not know the
 * generated class names of the editor theme.
 */
export const TOKEN_TAGS = {
  magic: tags.processingInstruction,
  keyword: tags.keyword,
  neuron: tags.typeName,
  library: tags.className,
  definition: tags.definition(tags.variableName),
  name: tags.variableName,
  option: tags.propertyName,
  constructor: tags.function(tags.variableName),
  bool: tags.bool,
  string: tags.string,
  probeKind: tags.atom,
  mathFunction: tags.standard(tags.function(tags.variableName)),
  exprName: tags.special(tags.variableName),
  number: tags.number,
  unit: tags.unit,
  arrow: tags.controlOperator,
  operator: tags.operator,
  punctuation: tags.punctuation,
  comment: tags.lineComment,
  invalid: tags.invalid
} as const;

/** A token name of {@link TOKEN_TAGS}. */
export type SnnToken = keyof typeof TOKEN_TAGS;

/**
 * Tokenizer state: what the current statement has seen so far. A statement
 * ends with its line unless a bracket is still open (`depth > 0`): then the
 * next line goes on with the same state, as in nbsnn's lexer.
 */
export interface ISnnState {
  /** Whether the next token is the first of its statement. */
  lineStart: boolean;
  /** The statement keyword met in this statement, if any. */
  statement: string | null;
  /** Whether the tokenizer is inside an expression (after `:` or `input`). */
  expression: boolean;
  /**
   * Depth of open `(` and `[`: `:` in `x[1:3]` is not a function, and the
   * statement continues on the next line while it is above 0.
   */
  depth: number;
  /** A unit is expected right after the number just read. */
  unitNext: boolean;
}

const NUMBER = /^(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const OPERATOR = /^(?:\*\*|\/\/|==|!=|<=|>=|[+\-*/<>%])/;
/** A quoted string on one line, as the lexer takes it. */
const STRING = /^(?:"[^"]*"|'[^']*')/;

function startState(): ISnnState {
  return {
    lineStart: true,
    statement: null,
    expression: false,
    depth: 0,
    unitNext: false
  };
}

function copyState(state: ISnnState): ISnnState {
  return { ...state };
}

/** The first line of a cell: `%%snn NAME [--seed N]`. */
function magicLine(stream: StringStream): SnnToken {
  stream.skipToEnd();
  return 'magic';
}

function nameToken(
  word: string,
  stream: StringStream,
  state: ISnnState,
  first: boolean
): SnnToken {
  const followedBy = (re: RegExp): boolean => stream.match(re, false) !== null;
  if (first && followedBy(/^\s*=(?!=)/)) {
    return 'definition';
  }
  if (followedBy(/^\s*=(?!=)/)) {
    // A top-level option ends an expression: `a -> b : x**2 synapse=5ms`;
    // inside a call it is a keyword argument: `step(0, 1, at=0.2s)`.
    if (state.depth === 0) {
      state.expression = false;
    }
    return word === 'learn' ? 'keyword' : 'option';
  }
  if (state.expression) {
    if (MATH_FUNCTIONS.has(word)) {
      return 'mathFunction';
    }
    if (EXPRESSION_NAMES.has(word)) {
      return 'exprName';
    }
  }
  if (word === 'x' && followedBy(/^\s+ensemble\b/)) {
    return 'keyword'; // `arr = 4 x ensemble 50 LIF`
  }
  if (KEYWORDS.has(word)) {
    if (state.statement === null) {
      state.statement = word;
      // `input sin(2*pi*t)`: what follows `input` is an expression of t.
      state.expression = word === 'input';
    }
    return 'keyword';
  }
  if (NEURON_TYPES.has(word)) {
    return 'neuron';
  }
  if (LIBRARY_NETWORKS.has(word)) {
    return 'library';
  }
  if (CONSTRUCTORS.has(word) || SOLVERS.has(word)) {
    return 'constructor';
  }
  if (BOOLEANS.has(word)) {
    return 'bool';
  }
  if (state.statement === 'probe' && PROBE_KINDS.has(word)) {
    return 'probeKind';
  }
  return 'name';
}

function token(stream: StringStream, state: ISnnState): SnnToken | null {
  if (stream.sol()) {
    state.unitNext = false;
    if (state.depth === 0) {
      state.lineStart = true;
      state.statement = null;
      state.expression = false;
      if (stream.match(/^%%snn\b/, false)) {
        return magicLine(stream);
      }
    }
  }
  if (stream.eatSpace()) {
    state.unitNext = false;
    return null;
  }
  const first = state.lineStart;
  state.lineStart = false;
  if (state.unitNext) {
    state.unitNext = false;
    const unit = stream.match(NAME) as RegExpMatchArray | null;
    if (unit) {
      return UNITS.has(unit[0]) ? 'unit' : 'invalid';
    }
  }
  if (stream.peek() === '#') {
    stream.skipToEnd();
    return 'comment';
  }
  if (stream.peek() === '"' || stream.peek() === "'") {
    if (stream.match(STRING)) {
      return 'string';
    }
    // An unclosed quote: strings do not span lines.
    stream.skipToEnd();
    return 'invalid';
  }
  if (stream.match(NUMBER)) {
    state.unitNext = stream.match(NAME, false) !== null;
    return 'number';
  }
  const word = stream.match(NAME) as RegExpMatchArray | null;
  if (word) {
    return nameToken(word[0], stream, state, first);
  }
  if (stream.match('->')) {
    state.expression = false;
    return 'arrow';
  }
  if (stream.match('..')) {
    return 'operator';
  }
  if (stream.match(OPERATOR)) {
    return 'operator';
  }
  const ch = stream.next() as string;
  if (ch === '(' || ch === '[') {
    state.depth += 1;
  } else if (ch === ')' || ch === ']') {
    state.depth = Math.max(0, state.depth - 1);
  } else if (ch === ':' && state.depth === 0) {
    // `network:` opens a block; any other top-level `:` starts an expression.
    state.expression = state.statement !== 'network';
    return 'punctuation';
  } else if (ch === '=') {
    return 'operator';
  } else if (!/[,.:]/.test(ch)) {
    return 'invalid';
  }
  return 'punctuation';
}

/**
 * The stream parser of the `%%snn` language.
 *
 * `StreamLanguage.define(snnStreamParser)` turns it into a CodeMirror language.
 */
export const snnStreamParser: StreamParser<ISnnState> = {
  name: 'snn',
  startState,
  copyState,
  token,
  tokenTable: TOKEN_TAGS,
  languageData: {
    commentTokens: { line: '#' }
  }
};
