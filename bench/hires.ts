/** New hires for the benchmark, and the CSV file the real import reads. */
import { writeFileSync } from 'node:fs';

export interface BenchHire {
  externalID: string;
  userName: string;
  firstName: string;
  lastName: string;
  email: string;
}

export function benchHires(prefix: string, count: number): BenchHire[] {
  return Array.from({ length: count }, (_, index) => ({
    externalID: `${prefix}-${index + 1}`,
    userName: `${prefix}.${index + 1}`,
    firstName: 'Bench',
    lastName: `Hire ${index + 1}`,
    email: `${prefix}.${index + 1}@example.test`,
  }));
}

export function writeHiresCsv(file: string, hires: BenchHire[]): void {
  const lines = ['externalID,userName,firstName,lastName,email'];
  for (const hire of hires) {
    lines.push([hire.externalID, hire.userName, hire.firstName, hire.lastName, hire.email].join(','));
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}
