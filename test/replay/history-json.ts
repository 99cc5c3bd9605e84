/**
 * History ⇄ JSON in the format Temporal's tools use (`temporal workflow show --output json`, the
 * SDK's `historyToJSON`). The SDK's own `historyToJSON` / `historyFromJSON` are tried first. In this
 * install they throw "type must be a Type": npm placed two copies of protobufjs 8 (one under
 * @temporalio/common, one under @temporalio/proto), and common's protojson extension rejects the
 * types built by proto's copy. The fallback runs the very same conversion (protobufjs' protojson
 * over @temporalio/proto's types) with the protobufjs copy that @temporalio/proto itself loads.
 */
import path from 'node:path';
import { historyFromJSON, historyToJSON, type History } from '@temporalio/common/lib/proto-utils';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';

interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options: { ignoreUnknownFields: boolean }): unknown;
}

let fallback: { protojson: ProtoJson; historyType: unknown } | undefined;
function protoJsonOfProtoPackage() {
  if (!fallback) {
    const protoDir = path.dirname(require.resolve('@temporalio/proto'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const protojson = require(
      require.resolve('protobufjs/ext/protojson', { paths: [protoDir] }),
    ) as ProtoJson;
    const root = patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown };
    fallback = { protojson, historyType: root.lookupType('temporal.api.history.v1.History') };
  }
  return fallback;
}

const isDuplicateProtobufError = (error: unknown) =>
  error instanceof TypeError && error.message === 'type must be a Type';

/** A history (e.g. from `handle.fetchHistory()`) as pretty JSON text, ready for a fixture file. */
export function historyToJson(history: History): string {
  try {
    return historyToJSON(history);
  } catch (error) {
    if (!isDuplicateProtobufError(error)) throw error;
    const { protojson, historyType } = protoJsonOfProtoPackage();
    const message = proto.temporal.api.history.v1.History.fromObject(history);
    return JSON.stringify(protojson.toJson(historyType, message), null, 2);
  }
}

/** A history from its JSON form, ready for `Worker.runReplayHistory`. */
export function historyFromJson(json: unknown): History {
  try {
    return historyFromJSON(json);
  } catch (error) {
    if (!isDuplicateProtobufError(error)) throw error;
    const { protojson, historyType } = protoJsonOfProtoPackage();
    const loaded = protojson.fromJson(historyType, json, { ignoreUnknownFields: true });
    if (loaded === null || typeof loaded !== 'object') throw new TypeError('Invalid history');
    return loaded;
  }
}
