import { readFile, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { type Client, type Connection } from '@temporalio/client';
import { type Command } from 'commander';
import { type AuditRecord, auditFields } from '../../lifecycle/audit/audit-record';
import { ConfigError, collectConfig } from '../../config/config-error';
import { type LifecyclePolicies } from '../../config/policies';
import type { LifecycleStore } from '../../store';
import { CliError, ExitCode, type ExitCodeValue } from './exit-codes';

// The Temporal client, the payload codec and the zod-checked configuration are imported when a command
// first needs them, not at start: `--help` and a bad argument never load them (a fast CLI).

/** Carries a size refusal past readInput's "cannot read" handling. */
class InputTooLarge extends Error {
  constructor(readonly refusal: Error) {
    super(refusal.message);
  }
}

/** Where the CLI reads and writes: the process's streams and environment, swappable in tests. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
}

/** Who runs the CLI, as the operating system knows them. */
function osUser(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}

/** Options every command takes (declared on the program; commander accepts them after the command). */
export interface GlobalOptions {
  json?: boolean;
  address?: string;
  namespace?: string;
  /** Seconds. */
  connectTimeout?: number;
  /** Who asks, for the audit line of an irreversible action (default: the operating-system user). */
  requestedBy?: string;
}

/**
 * What a command's action gets: its options, the Temporal client (connected on first use, closed after
 * the command), the policies from the environment, and one way to print a result as text or JSON.
 */
export class CommandContext {
  /** Set by a command that finished but must not exit 0 (e.g. an import with rejected rows). */
  exitCode: ExitCodeValue = ExitCode.ok;
  private connection?: Connection;
  private clientPromise?: Promise<Client>;
  private storePromise?: Promise<LifecycleStore>;
  /** The audit rows this command wrote or is writing, settled before it exits. */
  private readonly rowsWritten: Promise<void>[] = [];
  private readonly rowFailures: Error[] = [];

  constructor(
    readonly io: CliIo,
    readonly options: GlobalOptions,
  ) {}

  static of(io: CliIo, command: Command): CommandContext {
    return new CommandContext(io, command.optsWithGlobals<GlobalOptions>());
  }

  get json(): boolean {
    return this.options.json === true;
  }

  /** The Temporal client, from TEMPORAL_* (or --address / --namespace); connects once. */
  client(): Promise<Client> {
    this.clientPromise ??= this.connect();
    return this.clientPromise;
  }

  private async connect(): Promise<Client> {
    const [{ Client, Connection }, { lifecycleDataConverter }, { encryptionConfigFromEnv }, temporal] =
      await Promise.all([
        import('@temporalio/client'),
        import('../../lifecycle/payload-codec/data-converter.js'),
        import('../../config/encryption.js'),
        import('../../config/temporal.js'),
      ]);
    const { temporalConfigFromEnv, temporalConnectionOptions } = temporal;
    const env = { ...this.io.env };
    if (this.options.address !== undefined) env.TEMPORAL_ADDRESS = this.options.address;
    if (this.options.namespace !== undefined) env.TEMPORAL_NAMESPACE = this.options.namespace;
    let config;
    try {
      // The same key as the worker's: the CLI reads and writes the same encrypted payloads.
      config = collectConfig({
        temporal: () => temporalConfigFromEnv(env),
        encryption: () => encryptionConfigFromEnv(env),
      });
    } catch (error) {
      throw this.withFlagNames(error);
    }
    this.connection = await Connection.connect({
      ...temporalConnectionOptions(config.temporal),
      connectTimeout: (this.options.connectTimeout ?? 10) * 1000,
    });
    return new Client({
      connection: this.connection,
      namespace: config.temporal.namespace,
      dataConverter: lifecycleDataConverter(config.encryption),
    });
  }

  /** A bad --address is reported as --address, not as the variable it overrides. */
  private withFlagNames(error: unknown): unknown {
    if (!(error instanceof ConfigError)) return error;
    const flags: Record<string, string | undefined> = {
      TEMPORAL_ADDRESS: this.options.address !== undefined ? '--address' : undefined,
      TEMPORAL_NAMESPACE: this.options.namespace !== undefined ? '--namespace' : undefined,
    };
    return new ConfigError(
      error.problems.map((problem) => ({
        ...problem,
        variable: flags[problem.variable] ?? problem.variable,
      })),
    );
  }

  /** The project's own store (LIFECYCLE_STORE_URL; default the embedded `.data/store.sqlite`), opened once. */
  store(): Promise<LifecycleStore> {
    this.storePromise ??= (async () => {
      const [{ storeConfigFromEnv }, { openStore }] = await Promise.all([
        import('../../config/store.js'),
        import('../../store/index.js'),
      ]);
      return openStore(storeConfigFromEnv(this.io.env));
    })();
    return this.storePromise;
  }

  /** The onboarding and offboarding policies each started run carries (ONBOARDING_*, OFFBOARDING_*, …). */
  async policies(): Promise<LifecyclePolicies> {
    const { policiesFromEnv } = await import('../../config/policies.js');
    return policiesFromEnv(this.io.env);
  }

  /** Prints a command's result: `data` as JSON with --json, else the text lines. */
  result(data: unknown, text: string | string[]): void {
    if (this.json) this.io.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    else this.io.stdout.write(`${(Array.isArray(text) ? text : [text]).join('\n')}\n`);
  }

  /**
   * One audit line (JSON, on stderr, beside any --json result on stdout) for an act on a person or a
   * mass action: who asked (the OS user; `--requested-by`, self-asserted, as `claimedBy`), when, and
   * never a name or email of the person. The CLI talks to Temporal directly, so it acts as the admin.
   */
  audit(record: Omit<AuditRecord, 'via' | 'requestedBy' | 'claimedBy' | 'at'>): Promise<void> {
    const time = new Date().toISOString();
    const claimedBy = this.options.requestedBy?.trim();
    const full: AuditRecord = {
      ...record,
      via: 'cli',
      at: time,
      requestedBy: osUser(),
      ...(claimedBy && { claimedBy }),
    };
    this.io.stderr.write(`${JSON.stringify({ time, msg: 'audit', ...auditFields(full) })}\n`);
    // The row too (store/audit-records.ts): awaited by the caller, and in any case before the command
    // exits (settleAudit), so the CLI never exits 0 for an act whose row is missing.
    const row = this.writeAuditRow(full);
    this.rowsWritten.push(row.catch((error: unknown) => void this.rowFailures.push(error as Error)));
    return row;
  }

  /** `audit`, for a record that may not apply (e.g. a start that found a completed run). */
  async auditIf(
    record: Omit<AuditRecord, 'via' | 'requestedBy' | 'claimedBy' | 'at'> | undefined,
  ): Promise<void> {
    if (record) await this.audit(record);
  }

  private async writeAuditRow(record: AuditRecord): Promise<void> {
    try {
      const [store, { auditRowWriter }] = await Promise.all([
        this.store(),
        import('../../store/audit-records.js'),
      ]);
      await auditRowWriter(store.audit)(record);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new CliError(
        `${record.event}: carried out, but its audit row could not be written to the store ` +
          `(the audit line above was written): ${reason}`,
        ExitCode.unexpected,
      );
    }
  }

  /** Waits for every audit row of the command; throws when one could not be written. */
  async settleAudit(): Promise<void> {
    await Promise.all(this.rowsWritten);
    const [failure] = this.rowFailures;
    if (failure) throw failure;
  }

  /** A line for people only (never in --json output). */
  note(text: string): void {
    if (!this.json) this.io.stdout.write(`${text}\n`);
  }

  /**
   * Reads a file, or stdin for `-`. With `limit`, a larger input is refused with `limit.error()` before
   * it is read (a file, by its size) or as soon as it passes the limit (stdin).
   */
  async readInput(
    file: string,
    flag: string,
    limit?: { maxBytes: number; error: () => Error },
  ): Promise<Buffer> {
    try {
      if (file !== '-') {
        if (limit && (await stat(file)).size > limit.maxBytes) throw new InputTooLarge(limit.error());
        return await readFile(file);
      }
      const chunks: Buffer[] = [];
      let bytes = 0;
      for await (const chunk of this.io.stdin) {
        const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
        bytes += buffer.length;
        if (limit && bytes > limit.maxBytes) throw new InputTooLarge(limit.error());
        chunks.push(buffer);
      }
      return Buffer.concat(chunks);
    } catch (error) {
      if (error instanceof InputTooLarge) throw error.refusal;
      const reason = error instanceof Error ? error.message : String(error);
      throw new CliError(`${flag}: cannot read ${file}: ${reason}`, ExitCode.invalidInput, [
        { field: flag, message: `cannot read ${file}` },
      ]);
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.rowsWritten);
    await this.connection?.close().catch(() => undefined);
    const store = await this.storePromise?.catch(() => undefined);
    await store?.close().catch(() => undefined);
  }
}
