/**
 * The `%%snn` language for CodeMirror 6 and the editor extension that turns
 * it on in every editor whose first line starts with `%%snn`.
 *
 * The language sits in a compartment of the highest precedence, so while it
 * is there it wins over the notebook's kernel language whatever order the two
 * are loaded in; the cell's MIME type is left alone, so JupyterLab's own
 * (asynchronous) language loading cannot undo the switch. Edits switch the
 * compartment in the same transaction; a new editor is switched as soon as
 * its view exists, after checking its text again.
 */
import {
  HighlightStyle,
  LanguageSupport,
  StreamLanguage,
  syntaxHighlighting
} from '@codemirror/language';
import {
  Compartment,
  EditorState,
  Extension,
  Prec,
  Text
} from '@codemirror/state';
import { EditorView, ViewPlugin } from '@codemirror/view';

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

/** Holds the `%%snn` language in editors that show a `%%snn` cell. */
const snnCompartment = new Compartment();

function isSnnEditor(state: EditorState): boolean {
  return snnCompartment.get(state) === snnLanguage;
}

/** Put the language in or take it out as the first line changes. */
const switchOnEdit = EditorState.transactionExtender.of(tr => {
  if (!tr.docChanged) {
    return null;
  }
  const wanted = isSnnDocument(tr.newDoc);
  if (wanted === isSnnEditor(tr.startState)) {
    return null;
  }
  return { effects: snnCompartment.reconfigure(wanted ? snnLanguage : []) };
});

/** Switch a new editor whose text is a `%%snn` cell from the start. */
const switchOnCreate = ViewPlugin.define((view: EditorView) => {
  if (isSnnDocument(view.state.doc)) {
    // A view cannot be updated while it is being built: switch right after,
    // if the text still asks for it.
    queueMicrotask(() => {
      const { state } = view;
      if (isSnnDocument(state.doc) && !isSnnEditor(state)) {
        view.dispatch({ effects: snnCompartment.reconfigure(snnLanguage) });
      }
    });
  }
  return {};
});

/**
 * An editor extension that highlights the editor as `%%snn` text while its
 * first line starts with `%%snn`, and leaves it to its own language otherwise.
 */
export function snnCellHighlighting(): Extension {
  return [
    Prec.highest(snnCompartment.of([])),
    switchOnEdit,
    switchOnCreate,
    syntaxHighlighting(snnClasses)
  ];
}
