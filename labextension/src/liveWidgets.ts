/**
 * The widgets that nbsnn's live views draw in (Python: `nbsnn.dashboard.widgets`).
 *
 * - `LiveBokehModel` / `LiveBokehView` show one bokeh layout, as jupyter_bokeh's
 *   `BokehModel` does (same `render_bundle` trait, same document patches from
 *   the kernel), but send back only the changes made in the browser (a tap, a
 *   selection), not an echo of every patch the kernel sent: jupyter_bokeh 4.1
 *   sends each applied patch back, and each of those costs the kernel a
 *   message and the page two kernel status updates.
 * - `FrameChannelModel` carries a live session's frames: one message per frame
 *   with the new rows of all its views' sources, applied straight to the
 *   BokehJS sources (`stream`, or new `data`) of every view on the page that
 *   shows them. After the frame is painted it reports the frame's time back
 *   (the kernel holds frames back while too many are sent but not drawn).
 * - `NotebookStateModel` (`notebookState.ts`) keeps a value in the notebook's
 *   metadata (a network graph's layout and views).
 *
 * BokehJS itself comes from the page (`window.Bokeh`, loaded by the kernel
 * with `output_notebook`), as in jupyter_bokeh.
 */
import {
  DOMWidgetModel,
  DOMWidgetView,
  IJupyterWidgetRegistry,
  WidgetModel
} from '@jupyter-widgets/base';
import { JupyterFrontEndPlugin } from '@jupyterlab/application';

import { NotebookStateModel } from './notebookState';

/** The widget module name and version the Python classes ask for. */
export const WIDGET_MODULE = 'nbsnn';
export const WIDGET_MODULE_VERSION = '1.0.0';

/* eslint-disable @typescript-eslint/no-explicit-any */
type BokehDocument = any;

function bokeh(name: string): any {
  return (window as any).Bokeh.require(name);
}

/** Least time (ms) between two reports of drawn frames to the kernel. */
const REPORT_INTERVAL = 100;

/** The documents of the live views on the page (a view shown twice has two). */
const documents = new Set<BokehDocument>();

/**
 * A column as sent by the kernel: numbers as a float64 buffer, arrays (lines,
 * images) as buffers with their shapes, anything else as a list.
 */
type Column =
  | unknown[]
  | { buffer: number }
  | { ndarrays: { shape: number[]; buffer: number }[] };

function float64(view: DataView): Float64Array {
  // copied: the buffer's offset in the message need not be a multiple of 8
  return new Float64Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
}

function decodeColumn(column: Column, buffers: DataView[]): unknown {
  if (Array.isArray(column)) {
    return column;
  }
  if ('buffer' in column) {
    // a plain Array: BokehJS streams typed arrays wrongly when the rollover shrinks
    return Array.from(float64(buffers[column.buffer]));
  }
  const { ndarray } = bokeh('core/util/ndarray');
  return column.ndarrays.map(a =>
    a.shape.length === 1
      ? float64(buffers[a.buffer]) // a line of a multi-line glyph
      : ndarray(float64(buffers[a.buffer]), { dtype: 'float64', shape: a.shape })
  );
}

/** One source's update in a frame. */
interface IUpdate {
  id: string;
  op: 'stream' | 'data';
  columns: { [name: string]: Column };
  rollover?: number | null;
}

function applyUpdate(update: IUpdate, buffers: DataView[]): void {
  const columns: { [name: string]: unknown } = {};
  for (const [name, column] of Object.entries(update.columns)) {
    columns[name] = decodeColumn(column, buffers);
  }
  for (const doc of documents) {
    const source = doc.get_model_by_id(update.id);
    if (source == null) {
      continue;
    }
    // sync: false -- these changes come from the kernel and go nowhere else
    if (update.op === 'stream') {
      source.stream(columns, update.rollover ?? undefined, { sync: false });
    } else {
      source.setv({ data: columns }, { sync: false, check_eq: false });
    }
  }
}

let styleWritesPatched = false;

/**
 * BokehJS rewrites the position stylesheet of every renderer on every paint,
 * changed or not, and each write makes its next computed-style read (colours
 * are read from CSS on every paint) restyle the element. Writes of the same
 * text are skipped (once per page; what is drawn does not change).
 */
function skipUnchangedStyleWrites(): void {
  if (styleWritesPatched) {
    return;
  }
  styleWritesPatched = true;
  const { InlineStyleSheet } = bokeh('core/dom');
  const update = InlineStyleSheet.prototype._update;
  InlineStyleSheet.prototype._update = function (this: any, css: string) {
    if (this.el.textContent !== css) {
      update.call(this, css);
    }
  };
}

const LAYOUT_ATTRS = new Set(['inner_width', 'inner_height', 'outer_width', 'outer_height']);

function isComputedState(event: any): boolean {
  if (event.kind !== 'ModelChanged') {
    return false;
  }
  const { Range } = bokeh('models/ranges/range');
  return (
    LAYOUT_ATTRS.has(event.attr) ||
    (event.model instanceof Range && (event.attr === 'start' || event.attr === 'end'))
  );
}

export class LiveBokehModel extends DOMWidgetModel {
  defaults(): any {
    return {
      ...super.defaults(),
      _model_name: 'LiveBokehModel',
      _model_module: WIDGET_MODULE,
      _model_module_version: WIDGET_MODULE_VERSION,
      _view_name: 'LiveBokehView',
      _view_module: WIDGET_MODULE,
      _view_module_version: WIDGET_MODULE_VERSION,
      combine_events: false,
      render_bundle: {}
    };
  }
}

export class LiveBokehView extends DOMWidgetView {
  private _document: BokehDocument = null;
  private _receiver: any = null;

  render(): void {
    this._render();
    this.listenTo(this.model, 'change:render_bundle', () => this._render());
    this.listenTo(this.model, 'msg:custom', (content: any, buffers: DataView[]) =>
      this._consumePatch(content, buffers)
    );
  }

  remove(): any {
    this._forget();
    return super.remove();
  }

  private _forget(): void {
    if (this._document !== null) {
      documents.delete(this._document);
      this._document.clear();
      this._document = null;
    }
  }

  private _render(): void {
    skipUnchangedStyleWrites();
    this._forget();
    const { docs_json, render_items, div } = JSON.parse(this.model.get('render_bundle'));
    this.el.innerHTML = div;
    const element = this.el.children[0];
    const { Document } = bokeh('document');
    const { add_document_standalone } = bokeh('embed/standalone');
    const doc = Document.from_json(Object.values(docs_json)[0]);
    for (const item of render_items) {
      const roots: { [id: string]: Element } = {};
      for (const id in item.roots) {
        roots[id] = element;
      }
      add_document_standalone(doc, element, roots);
    }
    doc.on_change((event: any) => this._changed(event));
    documents.add(doc);
    this._document = doc;
  }

  /**
   * Send a change made in the browser to the kernel: not changes the kernel
   * made, nor the state BokehJS computes as it draws (data ranges following
   * the data, plot sizes), which would be a message back on every frame.
   */
  private _changed(event: any): void {
    if (event.sync === false || isComputedState(event)) {
      return;
    }
    const { Serializer } = bokeh('core/serialization');
    const references = new Map();
    for (const model of event.document._all_models.values()) {
      references.set(model, model.ref());
    }
    const content = new Serializer({ references }).encode(event);
    content.event = 'jsevent';
    this.send(content);
  }

  /** A document patch in jupyter_bokeh's framing (header, metadata, content, buffers). */
  private _consumePatch(content: any, buffers: DataView[]): void {
    if (this._document === null || content.msg !== 'patch') {
      return;
    }
    if (this._receiver === null) {
      const { Receiver } = bokeh('protocol/receiver');
      this._receiver = new Receiver();
    }
    this._receiver.consume(content.payload ?? buffers[0].buffer);
    const message = this._receiver.message;
    if (message != null && Object.keys(message.content).length > 0) {
      this._document.apply_json_patch(message.content, message.buffers);
    }
  }
}

export class FrameChannelModel extends WidgetModel {
  private _reportAt: number | null = null;
  private _reported = 0;

  defaults(): any {
    return {
      ...super.defaults(),
      _model_name: 'FrameChannelModel',
      _model_module: WIDGET_MODULE,
      _model_module_version: WIDGET_MODULE_VERSION,
      _view_name: null,
      _view_module: null
    };
  }

  initialize(attributes: any, options: any): void {
    super.initialize(attributes, options);
    this.on('msg:custom', (content: any, buffers: DataView[]) => this._frame(content, buffers));
  }

  private _frame(content: { t: number | null; updates: IUpdate[] }, buffers: DataView[]): void {
    for (const update of content.updates) {
      applyUpdate(update, buffers);
    }
    if (content.t === null) {
      return;
    }
    // report once the frame is painted, at most every REPORT_INTERVAL ms (each report
    // costs the page a kernel message and two kernel status updates)
    const pending = this._reportAt !== null;
    this._reportAt = content.t;
    if (!pending) {
      const wait = Math.max(0, this._reported + REPORT_INTERVAL - performance.now());
      setTimeout(
        () =>
          requestAnimationFrame(() =>
            setTimeout(() => {
              this.send({ drawn: this._reportAt }, {});
              this._reportAt = null;
              this._reported = performance.now();
            }, 0)
          ),
        wait
      );
    }
  }
}

/** Registers the widget module with the Jupyter widget manager. */
export const liveWidgetsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'nbsnn:live-widgets',
  description: 'The widgets nbsnn live views draw in.',
  autoStart: true,
  requires: [IJupyterWidgetRegistry],
  activate: (_app, registry: IJupyterWidgetRegistry) => {
    registry.registerWidget({
      name: WIDGET_MODULE,
      version: WIDGET_MODULE_VERSION,
      exports: { LiveBokehModel, LiveBokehView, FrameChannelModel, NotebookStateModel }
    });
  }
};
