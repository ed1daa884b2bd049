/**
 * `NotebookStateModel` (Python: `nbsnn.dashboard.notebook_state.NotebookState`):
 * keeps a value from the kernel in the notebook's metadata
 * (`metadata.nbsnn[key]`), so it is saved with the notebook, and hands a
 * saved value back to a new model under the same key while the kernel's value
 * is still unset.
 */
import { WidgetModel } from '@jupyter-widgets/base';

/** The notebook metadata key the values live under. */
export const METADATA_KEY = 'nbsnn';

/* eslint-disable @typescript-eslint/no-explicit-any */
export class NotebookStateModel extends WidgetModel {
  defaults(): any {
    return {
      ...super.defaults(),
      _model_name: 'NotebookStateModel',
      key: '',
      value: null,
      saved: null
    };
  }

  initialize(attributes: any, options: any): void {
    super.initialize(attributes, options);
    this.on('change:value', () => this._keep());
    const stored = this._stored()[this.get('key')];
    if (stored !== undefined && this.get('value') === null) {
      setTimeout(() => {
        this.set('saved', stored);
        this.save_changes();
      }, 0);
    }
  }

  /** The notebook this kernel belongs to (null outside a notebook). */
  private _notebook(): any {
    return (this.widget_manager as any).context?.model ?? null;
  }

  private _stored(): { [key: string]: unknown } {
    return (this._notebook()?.getMetadata(METADATA_KEY) as any) ?? {};
  }

  private _keep(): void {
    const notebook = this._notebook();
    if (notebook !== null && this.get('value') !== null) {
      notebook.setMetadata(METADATA_KEY, { ...this._stored(), [this.get('key')]: this.get('value') });
    }
  }
}
