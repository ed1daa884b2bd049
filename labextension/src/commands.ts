/**
 * Command-palette commands that write `%%snn` and `%snn run` cells.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import {
  INotebookTracker,
  Notebook,
  NotebookActions,
  NotebookPanel
} from '@jupyterlab/notebook';

import { isSnnMagic } from './snnLanguage';

/** Command identifiers. */
export namespace CommandIDs {
  export const insertTemplate = 'nbsnn:insert-template';
  export const runNetwork = 'nbsnn:run-network';
}

/** Palette category of the commands. */
export const PALETTE_CATEGORY = 'nbsnn';

/** Duration written by the run command. */
export const RUN_DURATION = '1s';

/**
 * The body of the template cell (a communication channel, as in
 * `docs/snn_language.md`); the first line `%%snn NAME` is added in front.
 */
export const TEMPLATE_BODY = [
  'stim = input sin(2*pi*t)',
  'a = ensemble 100 LIF rates=40..60',
  'b = ensemble 100 LIF rates=40..60',
  'stim -> a',
  'a -> b : x**2   synapse=5ms',
  'probe b synapse=10ms',
  ''
].join('\n');

/**
 * The network name a `%%snn NAME ...` cell binds, or `null` when the text is
 * not a `%%snn` cell (or names nothing).
 *
 * @param source - The cell text.
 */
export function networkName(source: string): string | null {
  const firstLine = source.split('\n', 1)[0];
  if (!isSnnMagic(firstLine)) {
    return null;
  }
  const name = firstLine.slice('%%snn'.length).trim().split(/\s+/)[0];
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : null;
}

/**
 * A name of the form `net`, `net2`, `net3`, ... that no `%%snn` cell of the
 * notebook binds yet.
 *
 * @param sources - Texts of the notebook's cells.
 */
export function freshNetworkName(sources: readonly string[]): string {
  const taken = new Set(sources.map(networkName));
  let name = 'net';
  for (let i = 2; taken.has(name); i++) {
    name = `net${i}`;
  }
  return name;
}

function cellSources(notebook: Notebook): string[] {
  return notebook.widgets.map(cell => cell.model.sharedModel.getSource());
}

function insertCodeBelow(notebook: Notebook, source: string): void {
  NotebookActions.insertBelow(notebook);
  NotebookActions.changeCellType(notebook, 'code');
  notebook.activeCell?.model.sharedModel.setSource(source);
}

/** Insert a `%%snn` template cell below the active cell. */
function insertTemplate(panel: NotebookPanel): void {
  const notebook = panel.content;
  const name = freshNetworkName(cellSources(notebook));
  insertCodeBelow(notebook, `%%snn ${name}\n${TEMPLATE_BODY}`);
}

/**
 * Insert `%snn run NAME 1s` below the active `%%snn NAME` cell and run both.
 *
 * @returns Whether the cells ran without error.
 */
async function runNetwork(panel: NotebookPanel): Promise<boolean> {
  const notebook = panel.content;
  const snnCell = notebook.activeCell;
  const name = snnCell
    ? networkName(snnCell.model.sharedModel.getSource())
    : null;
  if (!snnCell || name === null) {
    Notification.warning(
      'nbsnn: select a cell that starts with "%%snn NAME" to run its network.',
      { autoClose: 5000 }
    );
    return false;
  }
  insertCodeBelow(notebook, `%snn run ${name} ${RUN_DURATION}`);
  const runCell = notebook.activeCell;
  if (!runCell) {
    return false;
  }
  return NotebookActions.runCells(
    notebook,
    [snnCell, runCell],
    panel.sessionContext
  );
}

/**
 * Add the commands to the application and, when there is one, the palette.
 *
 * @param app - The application.
 * @param tracker - The notebook tracker (the commands act on its current notebook).
 * @param palette - The command palette, if present.
 */
export function addCommands(
  app: JupyterFrontEnd,
  tracker: INotebookTracker,
  palette: ICommandPalette | null
): void {
  const hasNotebook = (): boolean => tracker.currentWidget !== null;
  app.commands.addCommand(CommandIDs.insertTemplate, {
    label: 'nbsnn: insert %%snn cell template',
    caption: 'Insert a %%snn cell that defines a small network',
    isEnabled: hasNotebook,
    execute: () => {
      const panel = tracker.currentWidget;
      if (panel) {
        insertTemplate(panel);
      }
    }
  });
  app.commands.addCommand(CommandIDs.runNetwork, {
    label: 'nbsnn: run network in current cell',
    caption: `Insert "%snn run NAME ${RUN_DURATION}" below the %%snn cell and run both`,
    isEnabled: hasNotebook,
    execute: () => {
      const panel = tracker.currentWidget;
      return panel ? runNetwork(panel) : false;
    }
  });
  if (palette) {
    for (const command of [CommandIDs.insertTemplate, CommandIDs.runNetwork]) {
      palette.addItem({ command, category: PALETTE_CATEGORY });
    }
  }
}
