// The problems an editor underlines, as Monaco takes them.
import type * as MonacoApi from 'monaco-editor/editor/editor.api';
import type { Monaco } from './monaco.ts';

/** A problem to underline, 1-based. Without `column` the whole line (minus indentation) is marked. */
export interface EditorMarker {
  line: number;
  /** Without `endColumn`, Monaco widens the mark to the word at `column`. */
  column?: number;
  endLine?: number;
  endColumn?: number;
  message: string;
  severity: 'error' | 'warning';
}

/** Monaco's marker for one problem, its lines clamped to the text. */
export function toMarkerData(monaco: Monaco, model: MonacoApi.editor.ITextModel, marker: EditorMarker): MonacoApi.editor.IMarkerData {
  const line = Math.min(Math.max(1, marker.line), model.getLineCount());
  const common = {
    message: marker.message,
    severity: marker.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
    startLineNumber: line,
  };
  if (marker.column === undefined) {
    return {
      ...common,
      startColumn: model.getLineFirstNonWhitespaceColumn(line) || 1,
      endLineNumber: line,
      endColumn: model.getLineMaxColumn(line),
    };
  }
  return {
    ...common,
    startColumn: marker.column,
    endLineNumber: marker.endLine ?? line,
    endColumn: marker.endColumn ?? marker.column,
  };
}
