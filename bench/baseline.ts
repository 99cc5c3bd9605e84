/**
 * The plain script the issue compares with: POST the users 8 at a time, sleep 2 s on a 429, no
 * Temporal. What a hand-written import achieves against the same simulator and rate limit.
 */
import { type BenchHire } from './hires';

const parallel = 8;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runPlainScript(apiUrl: string, token: string, hires: BenchHire[]): Promise<void> {
  const queue = [...hires];
  const post = async (hire: BenchHire) => {
    for (;;) {
      const response = await fetch(`${apiUrl}/users`, {
        method: 'POST',
        headers: { authorization: `Basic ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          externalID: hire.externalID,
          userName: hire.userName,
          firstName: hire.firstName,
          lastName: hire.lastName,
          emails: [{ value: hire.email, primary: true }],
          sendMail: true,
        }),
      });
      await response.arrayBuffer();
      if (response.status !== 429) return;
      await sleep(2_000);
    }
  };
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let hire = queue.shift(); hire; hire = queue.shift()) await post(hire);
    }),
  );
}
