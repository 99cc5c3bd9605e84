/**
 * What the HR API tells the console about its surroundings (`/console/config.json`, public, no
 * secret): where the Temporal Web UI is, for the engineers' link on a person's page.
 */
export interface ConsoleConfig {
  temporalUiUrl?: string;
  namespace: string;
  /** IMPORT_MAX_FILE_MB of the HR API: a larger file is refused here, before it is uploaded. */
  importMaxFileMb?: number;
}

let loaded: ConsoleConfig = { namespace: 'default' };

export async function loadConfig(): Promise<void> {
  try {
    const response = await fetch('/console/config.json', { cache: 'no-store' });
    if (response.ok) loaded = { ...loaded, ...((await response.json()) as Partial<ConsoleConfig>) };
  } catch {
    // Without it the console works; only the Temporal UI links are left out.
  }
}

/** IMPORT_MAX_FILE_MB, when the HR API said it (the API checks it again either way). */
export function importMaxFileMb(): number | undefined {
  return loaded.importMaxFileMb;
}

/** The run's page in the Temporal Web UI, when the UI's address is known. */
export function temporalRunUrl(workflowId: string, runId: string): string | undefined {
  if (!loaded.temporalUiUrl) return undefined;
  const base = loaded.temporalUiUrl.replace(/\/$/, '');
  return `${base}/namespaces/${encodeURIComponent(loaded.namespace)}/workflows/${encodeURIComponent(workflowId)}/${encodeURIComponent(runId)}/history`;
}
