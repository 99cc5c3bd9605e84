/** How to reach one Staffbase platform, and the client's transport defaults. */
import {
  DEFAULT_STAFFBASE_MAX_RESPONSE_BYTES,
  DEFAULT_STAFFBASE_REQUEST_TIMEOUT_MS,
} from '../config/defaults';
import { version } from '../package.json';
import {
  DEFAULT_FILTER_SPACE_ENCODING,
  DEFAULT_PROFILE_PLACEMENT,
  DEFAULT_PROFILE_UPDATE,
  PROFILE_PLACEMENTS,
  PROFILE_UPDATE_MODES,
  type ProfilePlacement,
  type ProfileUpdateMode,
} from './api-choices';

export interface StaffbaseClientConfig {
  /** Full base URL including `/api`, e.g. `https://acme.staffbase.com/api`. Never derived from a host. */
  baseUrl: string;
  /** The API token from Studio, ALREADY base64: sent as `Authorization: Basic <token>` unchanged. */
  token: string;
  /** Default `staffbase-lifecycle/<package version>`: Cloudflare blocks default scripting agents. */
  userAgent?: string;
  /** Connect, headers and body (idle) timeout per request. Default STAFFBASE_REQUEST_TIMEOUT_MS's, 30000. */
  requestTimeoutMs?: number;
  /** Upper bound of parallel connections to the platform; default unlimited (undici's default). */
  connections?: number;
  /** Largest response body read (bytes); a larger one is refused unread. Default 8 MiB. */
  maxResponseBytes?: number;
  /** Where the client says which tenant behaviours it adapted to (once each). Default: the console. */
  logger?: StaffbaseClientLogger;
  /** How a space in a query value goes on the wire; default `%20` (STAFFBASE_FILTER_SPACE_ENCODING). */
  filterSpaceEncoding?: FilterSpaceEncoding;
  /** How look-ups by externalID are made; default `auto` (STAFFBASE_LOOKUP_MODE). */
  lookupMode?: ConfiguredLookupMode;
  /** Where the tenant keeps the system profile fields (STAFFBASE_PROFILE_PLACEMENT). Default `top-level`. */
  profilePlacement?: ProfilePlacement;
  /** How the tenant's PUT treats `profile` (STAFFBASE_PROFILE_UPDATE). Default `replace`. */
  profileUpdate?: ProfileUpdateMode;
}

/** `%20` (the reference's examples) or `+` (form encoding), for tenants that only read that. */
export type FilterSpaceEncoding = '%20' | '+';
/** `auto`: the filter, switching to the path look-up once a control query proves it is refused. */
export type ConfiguredLookupMode = 'auto' | 'filter' | 'path';

/** The shape of Temporal's runtime logger, so the worker can pass its own. Never given the token. */
export interface StaffbaseClientLogger {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
}

export const consoleClientLogger: StaffbaseClientLogger = {
  info: (message, meta) => console.info(`staffbase-client: ${message}`, meta ?? ''),
  warn: (message, meta) => console.warn(`staffbase-client: ${message}`, meta ?? ''),
};

export const DEFAULT_USER_AGENT = `staffbase-lifecycle/${version}`;

export interface ResolvedStaffbaseClientConfig {
  baseUrl: string;
  token: string;
  userAgent: string;
  requestTimeoutMs: number;
  connections: number | undefined;
  maxResponseBytes: number;
  logger: StaffbaseClientLogger;
  filterSpaceEncoding: FilterSpaceEncoding;
  lookupMode: ConfiguredLookupMode;
  profilePlacement: ProfilePlacement;
  profileUpdate: ProfileUpdateMode;
}

/** Validates and applies defaults. Messages never echo the token. */
export function resolveClientConfig(config: StaffbaseClientConfig): ResolvedStaffbaseClientConfig {
  let url: URL;
  try {
    url = new URL(config.baseUrl);
  } catch {
    throw new TypeError(`Staffbase baseUrl is not an absolute URL: ${JSON.stringify(config.baseUrl)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`Staffbase baseUrl must be http(s), got ${url.protocol}`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new TypeError('Staffbase baseUrl must not carry credentials, a query or a fragment');
  }
  if (typeof config.token !== 'string' || config.token.trim() === '' || /\s/.test(config.token)) {
    throw new TypeError('Staffbase token must be a non-empty string without whitespace');
  }
  const requestTimeoutMs = config.requestTimeoutMs ?? DEFAULT_STAFFBASE_REQUEST_TIMEOUT_MS;
  if (!Number.isInteger(requestTimeoutMs) || requestTimeoutMs <= 0) {
    throw new TypeError(`Staffbase requestTimeoutMs must be a positive integer, got ${requestTimeoutMs}`);
  }
  if (
    config.connections !== undefined &&
    (!Number.isInteger(config.connections) || config.connections <= 0)
  ) {
    throw new TypeError(`Staffbase connections must be a positive integer, got ${config.connections}`);
  }
  const maxResponseBytes = config.maxResponseBytes ?? DEFAULT_STAFFBASE_MAX_RESPONSE_BYTES;
  if (!Number.isInteger(maxResponseBytes) || maxResponseBytes <= 0) {
    throw new TypeError(`Staffbase maxResponseBytes must be a positive integer, got ${maxResponseBytes}`);
  }
  const filterSpaceEncoding = config.filterSpaceEncoding ?? DEFAULT_FILTER_SPACE_ENCODING;
  if (filterSpaceEncoding !== '%20' && filterSpaceEncoding !== '+') {
    throw new TypeError(`Staffbase filterSpaceEncoding must be %20 or +, got ${String(filterSpaceEncoding)}`);
  }
  const lookupMode = config.lookupMode ?? 'auto';
  if (!['auto', 'filter', 'path'].includes(lookupMode)) {
    throw new TypeError(`Staffbase lookupMode must be auto, filter or path, got ${String(lookupMode)}`);
  }
  const profilePlacement = config.profilePlacement ?? DEFAULT_PROFILE_PLACEMENT;
  if (!PROFILE_PLACEMENTS.includes(profilePlacement)) {
    throw new TypeError(`Staffbase profilePlacement must be one of ${PROFILE_PLACEMENTS.join(', ')}`);
  }
  const profileUpdate = config.profileUpdate ?? DEFAULT_PROFILE_UPDATE;
  if (!PROFILE_UPDATE_MODES.includes(profileUpdate)) {
    throw new TypeError(`Staffbase profileUpdate must be one of ${PROFILE_UPDATE_MODES.join(', ')}`);
  }
  return {
    // Paths are appended to it, so one trailing slash or none gives the same URLs.
    baseUrl: url.toString().replace(/\/+$/, ''),
    token: config.token,
    userAgent: config.userAgent ?? DEFAULT_USER_AGENT,
    requestTimeoutMs,
    connections: config.connections,
    maxResponseBytes,
    logger: config.logger ?? consoleClientLogger,
    filterSpaceEncoding,
    lookupMode,
    profilePlacement,
    profileUpdate,
  };
}
