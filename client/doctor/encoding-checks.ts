/**
 * Which encoding of a space in a filter the tenant reads: the reference's examples show `%20`; a
 * form-encoded `+` (URLSearchParams) may be refused or read as a literal `+`. Asked with the control
 * filter the externalID look-up uses, once each way, limit 1.
 */
import { EXTERNAL_ID_FILTER_CONTROL } from '../../staffbase/api-choices';
import { type FilterSpaceEncoding } from '../../staffbase/config';
import { equals } from '../../staffbase/filters';
import { DoctorProbe, type ProbeTarget, describeAnswer } from './probe';
import { type DoctorCheck, check } from './report';

const VARIABLE = 'STAFFBASE_FILTER_SPACE_ENCODING';
const controlFilter = equals(EXTERNAL_ID_FILTER_CONTROL.attribute, EXTERNAL_ID_FILTER_CONTROL.value);

async function askWith(target: ProbeTarget, encoding: FilterSpaceEncoding) {
  const probe = new DoctorProbe({ ...target, filterSpaceEncoding: encoding });
  try {
    return await probe.send('GET', '/users', { query: { filter: controlFilter, limit: 1 } });
  } finally {
    await probe.close();
  }
}

export async function encodingCheck(target: ProbeTarget): Promise<DoctorCheck> {
  const title = 'space in a filter: %20 or +';
  const percent = await askWith(target, '%20');
  const plus = await askWith(target, '+');
  const accepted = (status: number) => status >= 200 && status < 300;
  const details = { '%20': percent.status, '+': plus.status };
  const found = `%20 → ${describeAnswer(percent)}, + → ${describeAnswer(plus)}`;
  if (accepted(percent.status)) {
    return check(
      'filter-space-encoding',
      title,
      'ok',
      found,
      'sends a space as %20, as the reference shows',
      { recommends: { variable: VARIABLE, value: '%20' }, details },
    );
  }
  if (accepted(plus.status)) {
    return check(
      'filter-space-encoding',
      title,
      'differs',
      found,
      `the tenant reads only +: set ${VARIABLE}=+`,
      { recommends: { variable: VARIABLE, value: '+' }, details },
    );
  }
  return check(
    'filter-space-encoding',
    title,
    'failed',
    found,
    'neither encoding of a filter is accepted: filters (look-ups, sweeps) fail, report this tenant answer',
    { details },
  );
}
