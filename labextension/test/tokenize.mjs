// Tokenize %%snn text with the compiled tokenizer (lib/snnTokens.js).
//
// Imported by the unit tests; `node test/tokenize.mjs --stdin` reads
// {"texts": [...]} and writes, for each text, one [[text, token], ...] list
// per line, and `node test/tokenize.mjs --vocabulary` writes the tokenizer's
// name sets (both used by tests/labextension/test_tokens.py).
import { StringStream } from '@codemirror/language';

import * as snnTokens from '../lib/snnTokens.js';

const { snnStreamParser } = snnTokens;

/** Tokenize cell text; returns one [text, token] list per line. */
export function tokenize(text) {
  const state = snnStreamParser.startState(4);
  return text.split('\n').map(line => {
    const stream = new StringStream(line, 4, 2);
    const out = [];
    while (!stream.eol()) {
      const style = snnStreamParser.token(stream, state);
      if (stream.pos === stream.start) {
        throw new Error(`no progress at ${stream.pos} in ${line}`);
      }
      if (style !== null) {
        out.push([stream.current(), style]);
      }
      stream.start = stream.pos;
    }
    return out;
  });
}

if (process.argv[2] === '--stdin') {
  let input = '';
  process.stdin.on('data', chunk => {
    input += chunk;
  });
  process.stdin.on('end', () => {
    const { texts } = JSON.parse(input);
    process.stdout.write(JSON.stringify(texts.map(tokenize)));
  });
}

if (process.argv[2] === '--vocabulary') {
  const sets = Object.entries(snnTokens).filter(([, v]) => v instanceof Set);
  process.stdout.write(
    JSON.stringify(Object.fromEntries(sets.map(([k, v]) => [k, [...v]])))
  );
}
