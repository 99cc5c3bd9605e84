/**
 * Optional data file for `npm start`: users are read once at start and written after every change,
 * atomically (temp file + rename) so a crash mid-write never leaves a torn file behind.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { dataFileSchema, describeZodError, type DataFile } from './schemas';
import { type SimulatedUserRecord } from './types';

export function loadUsers(file: string): SimulatedUserRecord[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`simulator data file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = dataFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(
      `simulator data file ${file} is not a simulator data file: ${describeZodError(parsed.error)}`,
    );
  }
  return parsed.data.users;
}

export function saveUsers(file: string, users: SimulatedUserRecord[]): void {
  const content: DataFile = { version: 1, users };
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(content, null, 2)}\n`, 'utf8');
  renameSync(temporary, file);
}
