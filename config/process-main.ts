/**
 * The end of a process's `main` (HR API, worker): exit with the code it returns; anything it throws
 * unexpectedly is printed on stderr under the process's name and exits 1.
 */
export function runProcessMain(processName: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`${processName}: unexpected error`, error);
      process.exit(1);
    },
  );
}
