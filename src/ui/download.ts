// Saving something the page made (a scenario, a starter project) as a file the user downloads.
import { DOWNLOAD_URL_KEEP_MS } from '../shared/limits.ts';

export function download(fileName: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  // Firefox only follows a download link that is in the document.
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), DOWNLOAD_URL_KEEP_MS);
}
