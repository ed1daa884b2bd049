/**
 * The `%%snn` language for CodeMirror 6 and the editor extension that turns
 * it on in every editor whose first line starts with `%%snn`.
 *
 * The switch is declarative: a `language` facet value computed from the
 * document, with the highest precedence, so it wins over the notebook's
 * kernel language while the first line reads `%%snn` and disappears as soon
 * as it does not. Nothing is dispatched and the cell's MIME type is left
 * alone, so the switch cannot race JupyterLab's asynchronous language loading
 * (which resets a cell's MIME type when the kernel's language arrives).
 */
import {
  HighlightStyle,
  LanguageSupport,
  StreamLanguage,
  language,
  syntaxHighlighting
} from '@codemirror/language';
import { Extension, Prec, Text } from '@codemirror/state';

import { TOKEN_TAGS, snnStreamParser } from './snnTokens';

/** MIME type under which the language is registered. */
export const SNN_MIME = 'text/x-snn';

/** The `%%snn` cell language. */
export const snnLanguage = StreamLanguage.define(snnStreamParser);

/**
 * Stable class names (`cm-snn-keyword`, `cm-snn-unit`, ...) for the tokens
 * of the language, scoped to it so that other languages are untouched.
 */
export const snnClasses = HighlightStyle.define(
  Object.entries(TOKEN_TAGS).map(([name, tag]) => ({
    tag,
    class: `cm-snn-${name}`
  })),
  { scope: snnLanguage }
);

/** The language with its class-name highlighter, for the language registry. */
export function snnSupport(): LanguageSupport {
  return new LanguageSupport(snnLanguage, [syntaxHighlighting(snnClasses)]);
}

/**
 * Whether cell text starts with the `%%snn` cell magic.
 *
 * @param firstLine - The first line of the cell.
 */
export function isSnnMagic(firstLine: string): boolean {
  return /^%%snn(?:\s|$)/.test(firstLine);
}

function isSnnDocument(doc: Text): boolean {
  return isSnnMagic(doc.line(1).text);
}

/**
 * An editor extension that highlights the editor as `%%snn` text while its
 * first line starts with `%%snn`, and leaves it to its own language otherwise.
 */
export function snnCellHighlighting(): Extension {
  return [
    Prec.highest(
      language.computeN(['doc'], state =>
        isSnnDocument(state.doc) ? [snnLanguage] : []
      )
    ),
    syntaxHighlighting(snnClasses)
  ];
}
