/**
 * Reads the project's Markdown the way GitHub renders it, as far as links go: which headings a page has
 * (as GitHub's anchors) and which relative links it makes, so a test can prove every link resolves.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface MarkdownLink {
  /** The file the link is written in. */
  file: string;
  line: number;
  target: string;
}

/** Fenced code blocks hold examples, not links: blank them, keeping line numbers. */
function withoutCodeBlocks(markdown: string): string[] {
  let fence: string | undefined;
  return markdown.split('\n').map((line) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined && marker !== undefined) {
      fence = marker;
      return '';
    }
    if (fence !== undefined) {
      if (marker !== undefined && marker.startsWith(fence)) fence = undefined;
      return '';
    }
    return line;
  });
}

/** GitHub's anchor for a heading's text (github-slugger): lower case, punctuation dropped, spaces to `-`. */
export function headingAnchor(headingText: string): string {
  const text = headingText
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link in a heading counts by its text
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/** Every anchor a page offers, numbered as GitHub numbers repeated headings (`x`, `x-1`, `x-2`). */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of withoutCodeBlocks(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = headingAnchor(heading);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** The inline links and images of a page whose target is not a URL with a scheme (http:, mailto:). */
export function relativeLinks(file: string, markdown: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  withoutCodeBlocks(markdown).forEach((text, index) => {
    const line = text.replace(/`[^`]*`/g, ''); // code spans are examples too
    for (const match of line.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      const target = match[1] ?? '';
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
      links.push({ file, line: index + 1, target });
    }
  });
  return links;
}

/** Why a link does not resolve (a missing file, or a heading its target page lacks), or undefined. */
export function brokenLinkReason(link: MarkdownLink): string | undefined {
  const [rawPath = '', anchor] = link.target.split('#', 2);
  const target =
    rawPath === '' ? link.file : path.resolve(path.dirname(link.file), decodeURIComponent(rawPath));
  if (!existsSync(target)) return `no file ${path.relative(process.cwd(), target) || target}`;
  if (anchor === undefined || anchor === '') return undefined;
  if (!target.endsWith('.md')) return `an anchor on a file that is not Markdown`;
  const anchors = headingAnchors(readFileSync(target, 'utf8'));
  return anchors.has(decodeURIComponent(anchor).toLowerCase())
    ? undefined
    : `no heading for #${anchor} in ${path.basename(target)}`;
}
