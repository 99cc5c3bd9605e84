import { accessSync, constants } from 'node:fs';

/** Whether this process may read (or execute) the file: `accessSync` as a yes/no answer. */
export function hasFileAccess(path: string, access: 'read' | 'execute'): boolean {
  try {
    accessSync(path, access === 'read' ? constants.R_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
