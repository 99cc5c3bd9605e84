/**
 * A real SMTP server (the `smtp-server` package) on 127.0.0.1 with an ephemeral port, recording what it
 * receives, plus just enough MIME decoding to read nodemailer's output back in assertions.
 */
import { once } from 'node:events';
import net from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface ReceivedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  /** Header names lower-cased, values unfolded and RFC 2047-decoded. */
  headers: Map<string, string>;
  subject: string;
  text: string;
  html: string;
  raw: string;
}

export interface TestSmtpServerOptions {
  /** When set, AUTH is required and only these credentials pass. */
  auth?: { user: string; pass: string };
  /** Recipients the server refuses at RCPT TO, with the reply code to use. */
  rejectRecipients?: Record<string, { code: number; message: string }>;
  /** Refuse every connection at the greeting with this reply code (e.g. 421 "try again later"). */
  refuseConnectionsWith?: number;
}

export interface TestSmtpServer {
  port: number;
  received: ReceivedMail[];
  authAttempts: { user: string; accepted: boolean }[];
  close(): Promise<void>;
}

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

export async function startTestSmtpServer(options: TestSmtpServerOptions = {}): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const authAttempts: { user: string; accepted: boolean }[] = [];
  const serverOptions: SMTPServerOptions = {
    logger: false,
    // Plain TCP only: nodemailer would refuse the package's built-in self-signed certificate.
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    closeTimeout: 500,
    onConnect(_session, callback) {
      if (options.refuseConnectionsWith) {
        callback(smtpError('Too busy, try again later', options.refuseConnectionsWith));
        return;
      }
      callback();
    },
    onAuth(auth, _session, callback) {
      const accepted = auth.username === options.auth?.user && auth.password === options.auth?.pass;
      authAttempts.push({ user: auth.username ?? '', accepted });
      if (!accepted) {
        callback(smtpError('Invalid username or password', 535));
        return;
      }
      callback(null, { user: auth.username });
    },
    onRcptTo(address, _session, callback) {
      const rejection = options.rejectRecipients?.[address.address];
      callback(rejection ? smtpError(rejection.message, rejection.code) : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const from = session.envelope.mailFrom;
        received.push({
          envelopeFrom: from ? from.address : '',
          envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw,
          ...parseMessage(raw),
        });
        callback();
      });
    },
  };
  const server = new SMTPServer(serverOptions);
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const address = server.server.address() as net.AddressInfo;
  return {
    port: address.port,
    received,
    authAttempts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port on 127.0.0.1 that nothing listens on (bound once, then released). */
export async function closedPort(): Promise<number> {
  const probe = net.createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve, reject) => probe.close((error) => (error ? reject(error) : resolve())));
  return port;
}

/** A TCP server that accepts connections and never says a word: for greeting timeouts. */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

// ---- minimal MIME reading (enough for nodemailer's multipart/alternative output) ----

function splitHeaderBlock(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  return headers;
}

function bytesFromQuotedPrintable(value: string): Buffer {
  const bytes: number[] = [];
  const unwrapped = value.replace(/=\r?\n/g, '');
  for (let i = 0; i < unwrapped.length; i += 1) {
    const hex = unwrapped.slice(i + 1, i + 3);
    if (unwrapped[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(unwrapped.charCodeAt(i));
    }
  }
  return Buffer.from(bytes);
}

/** RFC 2047 encoded words (`=?UTF-8?Q?...?=`, `=?UTF-8?B?...?=`), as nodemailer writes non-ASCII headers. */
function decodeWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?[^?]+\?([QqBb])\?([^?]*)\?=/g, (_match, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : bytesFromQuotedPrintable(text.replace(/_/g, ' ')).toString('utf8'),
    );
}

function decodeBody(body: string, transferEncoding: string | undefined): string {
  switch (transferEncoding?.toLowerCase()) {
    case 'quoted-printable':
      return bytesFromQuotedPrintable(body).toString('utf8');
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    default:
      return body;
  }
}

function parseMessage(raw: string): Pick<ReceivedMail, 'headers' | 'subject' | 'text' | 'html'> {
  const split = raw.indexOf('\r\n\r\n');
  const headers = splitHeaderBlock(raw.slice(0, split));
  const body = raw.slice(split + 4);
  const parts: { type: string; content: string }[] = [];
  const boundary = /boundary="?([^";]+)"?/.exec(headers.get('content-type') ?? '')?.[1];
  if (boundary) {
    for (const section of body.split(`--${boundary}`).slice(1)) {
      if (section.startsWith('--')) break;
      const end = section.indexOf('\r\n\r\n');
      const partHeaders = splitHeaderBlock(section.slice(0, end).trim());
      const content = section.slice(end + 4).replace(/\r\n$/, '');
      parts.push({
        type: partHeaders.get('content-type') ?? '',
        content: decodeBody(content, partHeaders.get('content-transfer-encoding')),
      });
    }
  } else {
    parts.push({
      type: headers.get('content-type') ?? 'text/plain',
      content: decodeBody(body, headers.get('content-transfer-encoding')),
    });
  }
  return {
    headers,
    subject: headers.get('subject') ?? '',
    text: parts.find((part) => part.type.startsWith('text/plain'))?.content.replace(/\r\n/g, '\n') ?? '',
    html: parts.find((part) => part.type.startsWith('text/html'))?.content.replace(/\r\n/g, '\n') ?? '',
  };
}
