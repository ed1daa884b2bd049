/**
 * The nbsnn JupyterLab extension: wires its plugins to JupyterLab.
 *
 * - `nbsnn:highlight`: `%%snn` cells are highlighted as the nbsnn cell
 *   language (an editor setting, on by default), and the language is
 *   registered as `text/x-snn` (`.snn` files, ```snn code blocks).
 * - `nbsnn:commands`: palette commands that insert and run `%%snn` cells.
 * - `nbsnn:live-widgets`: the widgets live views draw in (`liveWidgets.ts`).
 *
 * The renderer of `application/vnd.nbsnn.summary+json` is the package's
 * `mimeExtension` (`mime.ts`).
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import {
  EditorExtensionRegistry,
  IEditorExtensionRegistry,
  IEditorLanguageRegistry
} from '@jupyterlab/codemirror';
import { INotebookTracker } from '@jupyterlab/notebook';

import { addCommands } from './commands';
import { liveWidgetsPlugin } from './liveWidgets';
import { SNN_MIME, snnCellHighlighting, snnSupport } from './snnLanguage';

const highlightPlugin: JupyterFrontEndPlugin<void> = {
  id: 'nbsnn:highlight',
  description: 'Highlights %%snn cells as the nbsnn cell language.',
  autoStart: true,
  requires: [IEditorExtensionRegistry, IEditorLanguageRegistry],
  activate: (
    app: JupyterFrontEnd,
    extensions: IEditorExtensionRegistry,
    languages: IEditorLanguageRegistry
  ) => {
    languages.addLanguage({
      name: 'snn',
      displayName: 'nbsnn cell language',
      mime: SNN_MIME,
      extensions: ['snn'],
      support: snnSupport()
    });
    extensions.addExtension(
      Object.freeze({
        name: 'nbsnn:snn-cells',
        default: true,
        factory: () =>
          EditorExtensionRegistry.createConfigurableExtension((on: boolean) =>
            on ? snnCellHighlighting() : []
          ),
        schema: {
          type: 'boolean',
          title: 'Highlight %%snn cells',
          description:
            'Highlight cells whose first line starts with %%snn as the nbsnn cell language.'
        }
      })
    );
  }
};

const commandsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'nbsnn:commands',
  description: 'Commands that insert and run %%snn cells.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    palette: ICommandPalette | null
  ) => addCommands(app, tracker, palette)
};

export default [highlightPlugin, commandsPlugin, liveWidgetsPlugin];
