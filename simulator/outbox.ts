import { type MailKind, type MailRecord, type RecoveryRecord, type SimulatedUserRecord } from './types';

/** Mails the simulated tenant "sent" and recovery requests it accepted, for tests to read. */
export class Outbox {
  private mails: MailRecord[] = [];
  private recoveryRequests: RecoveryRecord[] = [];

  recordMail(kind: MailKind, user: SimulatedUserRecord, to: string, code: string, time: string): void {
    this.mails.push({ kind, to, userId: user.id, externalID: user.externalID, code, time });
  }

  recordRecovery(user: SimulatedUserRecord, time: string): void {
    this.recoveryRequests.push({ userId: user.id, externalID: user.externalID, time });
  }

  listMails(): MailRecord[] {
    return this.mails.map((mail) => ({ ...mail }));
  }

  listRecoveries(): RecoveryRecord[] {
    return this.recoveryRequests.map((recovery) => ({ ...recovery }));
  }

  clear(): void {
    this.mails = [];
    this.recoveryRequests = [];
  }
}
