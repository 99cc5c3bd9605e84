import { after, before, beforeEach } from 'node:test';
import { SimulatorControl } from '../../simulator/control-client';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../simulator/server';
import { type StaffbaseErrorBody } from '../../simulator/types';

/** Fixed token of test simulators: base64 of "000000000000000000000000:test-secret", like a real one. */
export const TEST_TOKEN = 'MDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwOnRlc3Qtc2VjcmV0';

/** A simulator on a random port with the test token; the caller closes it in `after`. */
export async function startTestSimulator(
  options: Partial<SimulatorOptions> = {},
): Promise<{ simulator: RunningSimulator; control: SimulatorControl; token: string }> {
  const token = options.token ?? TEST_TOKEN;
  const simulator = await startSimulator({ ...options, token, port: options.port ?? 0 });
  return { simulator, control: new SimulatorControl(simulator.baseUrl), token };
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined for an empty body. */
  body: T;
}

/**
 * A bare User API caller for tests of the simulator itself (the project's real client lives in
 * staffbase/). Sends the token as is, like the real client must.
 */
export function apiCaller(simulator: RunningSimulator, token: string) {
  return async function call<T = unknown>(
    method: string,
    path: string,
    options: { body?: unknown; token?: string | null; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> {
    const sentToken = options.token === undefined ? token : options.token;
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (sentToken !== null) headers.authorization = `Basic ${sentToken}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${simulator.apiUrl}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: (text ? JSON.parse(text) : undefined) as T,
    };
  };
}

export type ApiCaller = ReturnType<typeof apiCaller>;

/** Asserts nothing by itself; narrows an answer to the Staffbase error body for readable tests. */
export function errorOf(response: ApiResponse): StaffbaseErrorBody {
  return response.body as StaffbaseErrorBody;
}

export interface SimulatorSuite {
  simulator: RunningSimulator;
  control: SimulatorControl;
  api: ApiCaller;
  token: string;
}

/**
 * Registers the hooks of a suite that talks to one simulator: start it before the suite (random
 * port, test token), reset it before each test, close it after. `onStarted` receives it once it runs.
 */
export function useTestSimulator(onStarted: (suite: SimulatorSuite) => void): void {
  let simulator: RunningSimulator | undefined;
  let control: SimulatorControl | undefined;
  before(async () => {
    const started = await startTestSimulator();
    ({ simulator, control } = started);
    onStarted({ ...started, api: apiCaller(started.simulator, started.token) });
  });
  after(async () => {
    await simulator?.close();
  });
  beforeEach(async () => {
    await control?.reset();
  });
}
