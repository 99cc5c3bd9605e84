/**
 * The one data converter of the project: every Temporal client and worker is built with it, so what
 * one process encrypts the others can read. The failure converter goes by path because workflow
 * code (in its sandbox and in pre-built bundles) loads it by path too.
 */
import { type DataConverter } from '@temporalio/common';
import { AesGcmPayloadCodec } from './aes-gcm-codec';
import { type EncryptionConfig } from './key-ring';

/** Path of the failure converter module, for `bundleWorkflowCode({ failureConverterPath })`. */
export const failureConverterPath: string = require.resolve('./failure-converter');

export function lifecycleDataConverter(encryption: EncryptionConfig): DataConverter {
  return {
    failureConverterPath,
    payloadCodecs:
      encryption.mode === 'on'
        ? [new AesGcmPayloadCodec(encryption.keys, { acceptUnencrypted: encryption.acceptUnencrypted })]
        : [],
  };
}
