/**
 * A MIME renderer for `application/vnd.nbsnn.summary+json`: a compact card
 * that sums up a network (populations, neurons, connections, probes).
 *
 * The data (version 1):
 *
 *     {
 *       "version": 1,                       // optional, 1 if absent
 *       "label": "channel",                 // required
 *       "totals": {"ensembles": 2, "neurons": 250,
 *                  "connections": 3, "probes": 1},   // optional, computed if absent
 *       "populations": [                    // required (may be empty)
 *         {"name": "stim", "kind": "input", "dimensions": 1, "output": "Sine"},
 *         {"name": "a", "kind": "ensemble", "neurons": 150,
 *          "neuron_type": "LIF", "dimensions": 1},
 *         {"name": "arr", "kind": "array", "neurons": 200, "neuron_type": "LIF",
 *          "dimensions": 4, "count": 4}
 *       ],
 *       "connections": [                    // optional
 *         {"pre": "a", "post": "b", "function": "x**2", "synapse": "5ms",
 *          "learning": null}
 *       ],
 *       "probes": [{"name": "b_probe", "target": "b", "kind": "value"}]   // optional
 *     }
 *
 * Everything is written with `textContent`: no markup from the data reaches
 * the page. Data that does not fit the schema shows a one-line message.
 */
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';

/** The MIME type this renderer handles. */
export const SUMMARY_MIME = 'application/vnd.nbsnn.summary+json';

const CARD_CLASS = 'nbsnn-summary-card';

/** One population (ensemble, ensemble array or input node). */
export interface IPopulation {
  name: string;
  kind: 'ensemble' | 'array' | 'input';
  neurons?: number;
  neuron_type?: string | null;
  dimensions?: number;
  count?: number;
  output?: string | null;
}

/** One connection. */
export interface IConnection {
  pre: string;
  post: string;
  function?: string | null;
  synapse?: string | null;
  learning?: string | null;
}

/** One probe. */
export interface IProbe {
  name: string;
  target: string;
  kind?: string;
}

/** The summary of a network. */
export interface ISummary {
  version?: number;
  label: string;
  totals?: {
    ensembles?: number;
    neurons?: number;
    connections?: number;
    probes?: number;
  };
  populations: IPopulation[];
  connections?: IConnection[];
  probes?: IProbe[];
}

const KINDS = new Set(['ensemble', 'array', 'input']);

const isString = (v: unknown): v is string => typeof v === 'string';
const isOptional = (v: unknown, test: (v: unknown) => boolean): boolean =>
  v === undefined || v === null || test(v);
const isCount = (v: unknown): boolean =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function problemWith(data: unknown): string | null {
  if (!isRecord(data)) {
    return 'the data is not an object';
  }
  if (!isOptional(data.version, v => v === 1)) {
    return `unsupported version ${JSON.stringify(data.version)} (this renderer reads version 1)`;
  }
  if (!isString(data.label)) {
    return '"label" must be a string';
  }
  if (!Array.isArray(data.populations)) {
    return '"populations" must be a list';
  }
  for (const [i, p] of (data.populations as unknown[]).entries()) {
    if (!isRecord(p) || !isString(p.name) || !KINDS.has(p.kind as string)) {
      return `populations[${i}] needs a "name" and a "kind" (ensemble, array or input)`;
    }
    for (const key of ['neurons', 'dimensions', 'count']) {
      if (!isOptional(p[key], isCount)) {
        return `populations[${i}].${key} must be a whole number`;
      }
    }
  }
  for (const key of ['connections', 'probes']) {
    if (!isOptional(data[key], Array.isArray)) {
      return `"${key}" must be a list`;
    }
  }
  for (const [i, c] of ((data.connections ?? []) as unknown[]).entries()) {
    if (!isRecord(c) || !isString(c.pre) || !isString(c.post)) {
      return `connections[${i}] needs "pre" and "post" names`;
    }
  }
  for (const [i, p] of ((data.probes ?? []) as unknown[]).entries()) {
    if (!isRecord(p) || !isString(p.name) || !isString(p.target)) {
      return `probes[${i}] needs "name" and "target"`;
    }
  }
  if (!isOptional(data.totals, isRecord)) {
    return '"totals" must be an object';
  }
  return null;
}

/**
 * Check that data follows the summary schema.
 *
 * @returns The data as a summary, or a description of the first problem.
 */
export function readSummary(data: unknown): ISummary | string {
  const problem = problemWith(data);
  return problem === null ? (data as ISummary) : problem;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** The totals line, e.g. "2 ensembles · 250 neurons · 3 connections · 1 probe". */
export function totalsText(summary: ISummary): string {
  const ensembles = summary.populations.filter(p => p.kind !== 'input');
  const t = summary.totals ?? {};
  const counts: [number, string][] = [
    [
      t.ensembles ??
        ensembles.reduce((n, p) => n + (p.kind === 'array' ? p.count ?? 1 : 1), 0),
      'ensemble'
    ],
    [t.neurons ?? ensembles.reduce((n, p) => n + (p.neurons ?? 0), 0), 'neuron'],
    [t.connections ?? (summary.connections ?? []).length, 'connection'],
    [t.probes ?? (summary.probes ?? []).length, 'probe']
  ];
  return counts.map(([n, noun]) => plural(n, noun)).join(' · ');
}

/** How a population reads in the card, e.g. "150 × LIF, 1-D". */
export function populationText(p: IPopulation): string {
  const dims = p.dimensions !== undefined ? `${p.dimensions}-D` : '';
  if (p.kind === 'input') {
    return [p.output ?? 'input', dims].filter(Boolean).join(', ');
  }
  const neurons = `${p.neurons ?? '?'} × ${p.neuron_type ?? 'neurons'}`;
  const count = p.kind === 'array' && p.count ? `${p.count} ensembles, ` : '';
  return `${count}${[neurons, dims].filter(Boolean).join(', ')}`;
}

/** How a connection reads in the card, e.g. "a → b : x**2 (synapse 5ms)". */
export function connectionText(c: IConnection): string {
  let text = `${c.pre} → ${c.post}`;
  if (c.function) {
    text += ` : ${c.function}`;
  }
  const extras = [
    c.synapse ? `synapse ${c.synapse}` : '',
    c.learning ? `learns ${c.learning}` : ''
  ].filter(Boolean);
  return extras.length ? `${text} (${extras.join(', ')})` : text;
}

function element(
  tag: string,
  className: string,
  text?: string
): HTMLElement {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

function section(title: string, rows: [string, string][]): HTMLElement {
  const box = element('div', 'nbsnn-summary-section');
  box.appendChild(element('div', 'nbsnn-summary-heading', title));
  const table = element('table', 'nbsnn-summary-table') as HTMLTableElement;
  for (const [name, text] of rows) {
    const tr = table.insertRow();
    tr.appendChild(element('td', 'nbsnn-summary-name', name));
    tr.appendChild(element('td', 'nbsnn-summary-text', text));
  }
  box.appendChild(table);
  return box;
}

/** Fill `node` with the card of a summary. */
export function renderSummary(node: HTMLElement, summary: ISummary): void {
  node.replaceChildren();
  const header = element('div', 'nbsnn-summary-header');
  header.appendChild(element('span', 'nbsnn-summary-label', summary.label));
  header.appendChild(element('span', 'nbsnn-summary-totals', totalsText(summary)));
  node.appendChild(header);
  const populations = summary.populations.map(
    (p): [string, string] => [p.name, populationText(p)]
  );
  if (populations.length) {
    node.appendChild(section('populations', populations));
  }
  const connections = (summary.connections ?? []).map(
    (c, i): [string, string] => [`${i + 1}`, connectionText(c)]
  );
  if (connections.length) {
    node.appendChild(section('connections', connections));
  }
  const probes = (summary.probes ?? []).map(
    (p): [string, string] => [p.name, `${p.target}${p.kind ? ` (${p.kind})` : ''}`]
  );
  if (probes.length) {
    node.appendChild(section('probes', probes));
  }
}

/** A widget that renders one summary output. */
export class SummaryWidget extends Widget implements IRenderMime.IRenderer {
  constructor(options: IRenderMime.IRendererOptions) {
    super();
    this._mimeType = options.mimeType;
    this.addClass(CARD_CLASS);
  }

  renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const summary = readSummary(model.data[this._mimeType]);
    if (typeof summary === 'string') {
      this.node.replaceChildren(
        element('div', 'nbsnn-summary-error', `nbsnn summary: ${summary}`)
      );
    } else {
      renderSummary(this.node, summary);
    }
    return Promise.resolve();
  }

  private _mimeType: string;
}

/** Renderer factory for the summary MIME type. */
export const rendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [SUMMARY_MIME],
  // Below text/html (50): a bundle with an HTML fallback shows the card.
  defaultRank: 40,
  createRenderer: options => new SummaryWidget(options)
};

/** The MIME extension (the `mimeExtension` entry of `package.json`). */
const extension: IRenderMime.IExtension = {
  id: 'nbsnn:summary-renderer',
  description: 'Renders nbsnn network summaries.',
  rendererFactory,
  rank: 40,
  dataType: 'json'
};

export default extension;
