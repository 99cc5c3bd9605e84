/**
 * A few lines instead of a framework: `h()` builds elements, text is always set as text (never as
 * HTML), so names from the API cannot inject markup.
 */
type Child = Node | string | number | false | null | undefined;
type Attributes = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === false || child === null || child === undefined) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces what a region shows. */
export function show(region: Element, ...children: (Child | Child[])[]): void {
  region.replaceChildren();
  append(region, children);
}

/** A polite live region's message, for screen readers and everyone else. */
export function status(text: string, kind: 'info' | 'ok' | 'error' = 'info'): HTMLElement {
  return h('p', { class: `message ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

/** A page's heading, focusable so that the router can move focus to it. */
export function pageTitle(text: string): HTMLElement {
  return h('h1', { tabindex: '-1' }, text);
}

/** Where a page's data goes once loaded: a live region, so screen readers hear it arrive. */
export function loadingRegion(text = 'Loading…'): HTMLElement {
  return h('div', { 'aria-live': 'polite' }, status(text));
}

/** "in 3 days", "2 hours ago": relative times read faster than ISO stamps; the stamp is the tooltip. */
export function when(iso: string | undefined): HTMLElement | string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const seconds = Math.round((date.getTime() - Date.now()) / 1000);
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
    ['second', 1],
  ];
  const [unit, size] = units.find(([, size]) => Math.abs(seconds) >= size) ?? ['second', 1];
  const text = new Intl.RelativeTimeFormat('en', { numeric: 'auto' }).format(
    Math.round(seconds / size),
    unit,
  );
  return h('time', { datetime: iso, title: date.toLocaleString() }, text);
}
