/**
 * The failure converter of every worker, client and workflow bundle (`failureConverterPath`): failure
 * messages and stack traces go into an encoded payload (`encodeCommonAttributes`), so the payload
 * codec encrypts them too — an error message can name a person ("userName ada.lovelace is taken").
 * Loaded inside the workflow sandbox as well: it must import nothing but @temporalio/common.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
