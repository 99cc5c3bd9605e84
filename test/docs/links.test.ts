/**
 * The README stays a page a newcomer reads (at most 250 lines; the rest lives in docs/), and no link in
 * the project's Markdown (README, CONTRIBUTING, docs/, the folders' READMEs) points at a file or heading
 * that is not there — so moving a section cannot silently strand the links to it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { brokenLinkReason, headingAnchor, headingAnchors, relativeLinks } from './markdown-links';

const root = path.resolve(__dirname, '..', '..');
const README_MAX_LINES = 250;

/** Installed, generated or local-state folders: not the project's own pages. */
const NOT_DOCUMENTATION = new Set(['node_modules', '.tools', '.data', '.git', 'dist', 'test-results']);

/** Every Markdown page of the project: the README, CONTRIBUTING, docs/ and the folders' own READMEs. */
function documentationPages(folder = root): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    if (NOT_DOCUMENTATION.has(entry.name)) return [];
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return documentationPages(full);
    return entry.name.endsWith('.md') ? [full] : [];
  });
}

function brokenLinks(files: string[]): string[] {
  return files.flatMap((file) =>
    relativeLinks(file, readFileSync(file, 'utf8')).flatMap((link) => {
      const reason = brokenLinkReason(link);
      return reason === undefined
        ? []
        : [`${path.relative(root, file)}:${link.line} (${link.target}): ${reason}`];
    }),
  );
}

describe('README and docs/', () => {
  it(`keeps the README at most ${README_MAX_LINES} lines`, () => {
    const lines = readFileSync(path.join(root, 'README.md'), 'utf8').trimEnd().split('\n').length;
    assert.ok(lines <= README_MAX_LINES, `README.md has ${lines} lines; move a section to docs/`);
  });

  it('has an index of docs/ that links every page there', () => {
    const index = readFileSync(path.join(root, 'docs', 'README.md'), 'utf8');
    const linked = new Set(relativeLinks(path.join(root, 'docs', 'README.md'), index).map((l) => l.target));
    const pages = readdirSync(path.join(root, 'docs')).filter((n) => n.endsWith('.md') && n !== 'README.md');
    assert.ok(pages.length > 0);
    assert.deepEqual(
      pages.filter((page) => ![...linked].some((target) => target.split('#')[0] === page)),
      [],
      'pages in docs/ that docs/README.md does not link',
    );
  });

  it('links only files and headings that exist', () => {
    const files = documentationPages();
    for (const page of ['README.md', 'CONTRIBUTING.md', path.join('docs', 'README.md')]) {
      assert.ok(files.includes(path.join(root, page)), `${page} is not among the pages checked`);
    }
    const links = files.flatMap((file) => relativeLinks(file, readFileSync(file, 'utf8')));
    assert.ok(links.length > 30, `found only ${links.length} links: is the link reader broken?`);
    assert.deepEqual(brokenLinks(files), []);
  });

  it('anchors headings as GitHub does', () => {
    assert.equal(headingAnchor('How it fits together'), 'how-it-fits-together');
    assert.equal(
      headingAnchor('When Staffbase refuses: `needs-attention`'),
      'when-staffbase-refuses-needs-attention',
    );
    assert.equal(
      headingAnchor('Throughput, priority lanes and memory'),
      'throughput-priority-lanes-and-memory',
    );
    assert.equal(headingAnchor('HR console (the browser)'), 'hr-console-the-browser');
    assert.equal(headingAnchor('What `npm start` runs'), 'what-npm-start-runs');
    assert.deepEqual(
      [...headingAnchors('# A\n\n## A\n\n```sh\n# not a heading\n```\n## A')],
      ['a', 'a-1', 'a-2'],
    );
  });

  it('reports a missing file and a missing heading, and ignores URLs and code', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'docs-links-'));
    try {
      writeFileSync(path.join(dir, 'other.md'), '# Other page\n\n## A section\n');
      const page = path.join(dir, 'page.md');
      writeFileSync(
        page,
        [
          '# Page',
          '[fine](other.md#a-section) [fine too](#page) [web](https://example.com/x.md)',
          '[gone](missing.md) [no such heading](other.md#nowhere)',
          '`[in code](missing-too.md)`',
          '```md',
          '[in a block](missing-three.md)',
          '```',
        ].join('\n'),
      );
      const found = brokenLinks([page]).map((line) => line.replace(/^.*?:(\d+) /, '$1 '));
      assert.equal(found.length, 2, found.join('\n'));
      assert.match(found[0] ?? '', /^3 \(missing\.md\): no file/);
      assert.match(found[1] ?? '', /^3 \(other\.md#nowhere\): no heading for #nowhere in other\.md/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
