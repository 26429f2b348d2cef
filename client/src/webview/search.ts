// The search panel's page. It only renders: searches go to the extension, which asks the language
// server. Every string from a digest is put into the page with textContent, never as HTML.
// Bundled for the browser (dist/webview/search.js): it imports types only.
import type {
  MessageFromSearchPanel, MessageToSearchPanel, SearchPanelItem, SearchPanelResult, SearchPanelState, SearchSort, StatusParams,
} from '../../../server/src/shared/protocol';

/** What VS Code gives a webview's script, once. */
interface WebviewApi {
  postMessage(message: MessageFromSearchPanel): void;
  getState(): SearchPanelState | undefined;
  setState(state: SearchPanelState): void;
}

declare function acquireVsCodeApi(): WebviewApi;

type Action = 'open' | 'insert' | 'copy';

const vscode = acquireVsCodeApi();
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const query = $<HTMLInputElement>('query');
const results = $<HTMLUListElement>('results');
const summary = $('summary');
const chart = $('chart');
const filters = {
  minYear: $<HTMLInputElement>('minYear'),
  maxYear: $<HTMLInputElement>('maxYear'),
  minUpvotes: $<HTMLInputElement>('minUpvotes'),
  author: $<HTMLInputElement>('author'),
  digest: $<HTMLSelectElement>('digest'),
  sort: $<HTMLSelectElement>('sort'),
};
const isMac = navigator.platform.toUpperCase().includes('MAC');

let items: SearchPanelItem[] = [];
let active = -1;
let requestId = 0;
let status: Pick<StatusParams, 'papers' | 'indexing'> = { papers: 0, indexing: true };
let debounce: ReturnType<typeof setTimeout> | undefined;
/** False until the extension sent the saved state: nothing may be searched or saved before, or an
 * early status message would save the empty form over the state being restored. */
let initialized = false;

function numberOrUndefined(input: HTMLInputElement): number | undefined {
  const value = input.value.trim();
  return value === '' || Number.isNaN(Number(value)) ? undefined : Number(value);
}

function currentState(): SearchPanelState {
  return {
    query: query.value,
    minYear: numberOrUndefined(filters.minYear),
    maxYear: numberOrUndefined(filters.maxYear),
    minUpvotes: numberOrUndefined(filters.minUpvotes),
    author: filters.author.value.trim() || undefined,
    digest: filters.digest.value || undefined,
    // The select offers only the sorts there are.
    sort: filters.sort.value as SearchSort,
  };
}

function saveState(): void {
  const state = currentState();
  vscode.setState(state);
  vscode.postMessage({ type: 'state', state });
}

function search(): void {
  if (!initialized) return;
  saveState();
  const state = currentState();
  requestId += 1;
  vscode.postMessage({ type: 'search', id: requestId, params: { query: state.query, limit: 100, minYear: state.minYear, maxYear: state.maxYear, minUpvotes: state.minUpvotes, author: state.author, digest: state.digest, sort: state.sort } });
}

function scheduleSearch(): void {
  clearTimeout(debounce);
  debounce = setTimeout(search, 120);
}

/** Appends `text` to `parent`, wrapping the [start, end) ranges in <mark>. */
function appendHighlighted(parent: HTMLElement, text: string, ranges: [number, number][] | undefined): void {
  let at = 0;
  const sorted = (ranges || []).filter((r) => r[0] < r[1] && r[1] <= text.length).sort((a, b) => a[0] - b[0]);
  for (const [start, end] of sorted) {
    if (start < at) continue;
    parent.appendChild(document.createTextNode(text.slice(at, start)));
    const mark = document.createElement('mark');
    mark.textContent = text.slice(start, end);
    parent.appendChild(mark);
    at = end;
  }
  parent.appendChild(document.createTextNode(text.slice(at)));
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function renderChart(list: SearchPanelItem[]): void {
  chart.textContent = '';
  if (list.length < 2) return;
  const counts = new Map<string, number>();
  for (const item of list) {
    const month = item.date.slice(0, 7);
    counts.set(month, (counts.get(month) || 0) + 1);
  }
  const months = [...counts.keys()].sort();
  const max = Math.max(...counts.values());
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  const barWidth = 8;
  svg.setAttribute('viewBox', `0 0 ${months.length * (barWidth + 2)} 40`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('class', 'chart');
  months.forEach((month, i) => {
    const count = counts.get(month)!;
    const height = Math.max(2, Math.round((count / max) * 38));
    const bar = document.createElementNS(ns, 'rect');
    bar.setAttribute('x', String(i * (barWidth + 2)));
    bar.setAttribute('y', String(40 - height));
    bar.setAttribute('width', String(barWidth));
    bar.setAttribute('height', String(height));
    const title = document.createElementNS(ns, 'title');
    title.textContent = `${month}: ${count}`;
    bar.appendChild(title);
    svg.appendChild(bar);
  });
  const caption = element('div', 'chart-caption', `${months[0]} – ${months[months.length - 1]}, by month`);
  chart.appendChild(svg);
  chart.appendChild(caption);
}

function render(result: SearchPanelResult): void {
  items = result.items;
  results.textContent = '';
  const digestValue = filters.digest.value;
  filters.digest.textContent = '';
  filters.digest.appendChild(new Option('All sources', ''));
  for (const digest of result.digests) filters.digest.appendChild(new Option(digest.label, digest.uri));
  filters.digest.value = digestValue;

  if (status.indexing && result.total === 0) {
    summary.textContent = 'Indexing the workspace…';
  } else if (result.total === 0) {
    summary.textContent = 'No papers yet. Paste a Hugging Face Papers listing into a .digest file (one paper per line) and its papers appear here.';
  } else if (items.length === 0) {
    summary.textContent = query.value.trim() ? `No paper matches “${query.value}” among ${result.total.toLocaleString()} papers. Try fewer or other words, or clear the filters.` : 'No paper passes the filters.';
  } else {
    summary.textContent = `${items.length === 100 ? '100+' : items.length} of ${result.total.toLocaleString()} papers${status.indexing ? ' (still indexing)' : ''}`;
  }
  renderChart(items);
  const buttons: [label: string, action: Action, hint: string][] = [['Open', 'open', 'Enter'], ['Insert', 'insert', isMac ? '⌘Enter' : 'Ctrl+Enter'], ['Copy key', 'copy', isMac ? '⌘⇧C' : 'Ctrl+Shift+C']];
  items.forEach((item, index) => {
    const li = element('li', 'result');
    li.id = `result-${index}`;
    li.setAttribute('role', 'option');
    li.setAttribute('aria-selected', 'false');
    li.dataset.index = String(index);
    const title = element('div', 'title');
    appendHighlighted(title, item.title, item.matches.title);
    const meta = element('div', 'meta');
    const key = element('code', 'key');
    appendHighlighted(key, item.key, item.matches.key);
    meta.appendChild(key);
    meta.appendChild(element('span', 'date', item.date));
    // No count where the listing shows `-`.
    if (item.upvotes !== null) meta.appendChild(element('span', 'upvotes', `${item.upvotes}↑`));
    meta.appendChild(element('span', 'file', item.file));
    const abstract = element('div', 'abstract');
    appendHighlighted(abstract, item.abstractStart, item.matches.abstract);
    const actions = element('div', 'actions');
    for (const [label, action, hint] of buttons) {
      const button = element('button', 'action', label);
      button.type = 'button';
      button.title = `${label} (${hint})`;
      button.setAttribute('aria-label', `${label}: ${item.title}`);
      button.addEventListener('click', (event) => { event.stopPropagation(); act(action, index); });
      actions.appendChild(button);
    }
    li.append(title, meta, abstract, actions);
    li.addEventListener('click', () => select(index));
    li.addEventListener('dblclick', () => act('open', index));
    results.appendChild(li);
  });
  select(items.length > 0 ? 0 : -1, false);
}

function select(index: number, scroll = true): void {
  const previous = results.querySelector('[aria-selected="true"]');
  if (previous) previous.setAttribute('aria-selected', 'false');
  active = index;
  if (index < 0) { results.removeAttribute('aria-activedescendant'); return; }
  const li = $(`result-${index}`);
  li.setAttribute('aria-selected', 'true');
  results.setAttribute('aria-activedescendant', li.id);
  if (scroll) li.scrollIntoView({ block: 'nearest' });
}

function act(action: Action, index = active): void {
  const item = items[index];
  if (!item) return;
  if (action === 'open') vscode.postMessage({ type: 'open', uri: item.locations[0].uri, line: item.locations[0].line });
  else vscode.postMessage({ type: action, key: item.key });
}

function onKey(event: KeyboardEvent): void {
  const mod = isMac ? event.metaKey : event.ctrlKey;
  if (event.key === 'ArrowDown') { event.preventDefault(); select(Math.min(items.length - 1, active + 1)); return; }
  if (event.key === 'ArrowUp') { event.preventDefault(); select(Math.max(0, active - 1)); return; }
  if (event.key === 'Enter' && mod) { event.preventDefault(); act('insert'); return; }
  if (event.key === 'Enter') { event.preventDefault(); act('open'); return; }
  if (mod && event.shiftKey && (event.key === 'C' || event.key === 'c')) { event.preventDefault(); act('copy'); }
}

query.addEventListener('input', scheduleSearch);
query.addEventListener('keydown', onKey);
results.addEventListener('keydown', onKey);
for (const input of Object.values(filters)) input.addEventListener('change', search);
for (const input of [filters.minYear, filters.maxYear, filters.minUpvotes, filters.author]) input.addEventListener('input', scheduleSearch);

window.addEventListener('message', (event: MessageEvent<MessageToSearchPanel>) => {
  const message = event.data;
  if (message.type === 'init') {
    // A repeated 'ready' may be answered twice; the first answer set up this page.
    if (initialized) return;
    // The extension's copy is written on every change; the webview's own may be an older snapshot.
    const state: Partial<SearchPanelState> = message.state || vscode.getState() || {};
    query.value = state.query || '';
    filters.minYear.value = String(state.minYear ?? '');
    filters.maxYear.value = String(state.maxYear ?? '');
    filters.minUpvotes.value = String(state.minUpvotes ?? '');
    filters.author.value = state.author ?? '';
    filters.sort.value = state.sort || 'relevance';
    if (state.digest) filters.digest.appendChild(new Option(state.digest, state.digest));
    filters.digest.value = state.digest || '';
    status = message.status || status;
    initialized = true;
    search();
    query.focus();
  } else if (message.type === 'results' && message.id === requestId) {
    render(message.result);
  } else if (message.type === 'error' && message.id === requestId) {
    summary.textContent = `Search failed: ${message.message}`;
  } else if (message.type === 'status') {
    const wasIndexing = status.indexing;
    status = message.status;
    if (wasIndexing && !status.indexing) search();
  }
});
// A 'ready' sent while the window reloads can be lost before the extension listens: ask again
// until the state arrives, or the panel would stay empty with no search running.
const READY_RETRY_MS = 500;
const READY_ATTEMPTS = 20;
let readyAttempts = 0;
function announceReady(): void {
  if (initialized || readyAttempts++ >= READY_ATTEMPTS) return;
  vscode.postMessage({ type: 'ready' });
  setTimeout(announceReady, READY_RETRY_MS);
}
announceReady();
