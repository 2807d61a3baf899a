import { createContext } from '@lit/context';

export type WorkbenchTab = 'trace' | 'manifest' | 'wit' | 'replay' | 'settings';

/** Which plugin and which workbench tab the user is looking at; shared by the page's elements. */
export class Selection extends EventTarget {
  pluginId?: string;
  tab: WorkbenchTab = 'trace';

  show(tab: WorkbenchTab, pluginId = this.pluginId): void {
    this.tab = tab;
    this.pluginId = pluginId;
    this.dispatchEvent(new Event('change'));
  }
}

export const selectionContext = createContext<Selection | undefined>(Symbol('selection'));
