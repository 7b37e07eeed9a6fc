import { TIME_PARTS } from './charts.js';
import { ago, duration, fixed, grouped } from './format.js';
import type { Store } from './store.js';

function cell(tag: 'td' | 'th', text: string, className = ''): HTMLElement {
  const el = document.createElement(tag);
  el.textContent = text;
  if (className) el.className = className;
  return el;
}

function row(...cells: HTMLElement[]): HTMLTableRowElement {
  const tr = document.createElement('tr');
  tr.append(...cells);
  return tr;
}

function byId(id: string): HTMLElement {
  return document.getElementById(id) as HTMLElement;
}

/** Title, status badge, epoch / step / ETA, samples/s and the progress bar. */
export function renderProgress(s: Store, connection: 'open' | 'lost'): void {
  const p = s.progress;
  byId('title').textContent = s.title;
  document.title = `${s.title} · descent`;
  const status =
    connection === 'lost' && p?.status !== 'finished' ? 'disconnected' : (p?.status ?? 'waiting');
  const badge = byId('status');
  badge.textContent = s.replay && status === 'finished' ? 'finished (reopened)' : status;
  badge.className = `badge ${status}`;
  if (!p) return;
  const last = s.epochs.at(-1);
  const stats: [string, string][] = [
    ['step', `${grouped(p.step)} / ${grouped(p.iters)}`],
    ['epoch', fixed(p.epoch, 2)],
    ['ETA', p.status === 'finished' ? 'done' : duration(p.etaSeconds)],
    ['elapsed', duration(p.elapsedSeconds)],
    ['samples/s', grouped(p.samplesPerSecond)],
    ['loss (EMA)', fixed(s.smoothed.at(-1) ?? Number.NaN, 4)],
    ['train acc', last ? fixed(last.trainAcc, 4) : '–'],
    ['test acc', last ? fixed(last.testAcc, 4) : '–'],
    ['workers', String(s.workers.filter((w) => w.state === 'active' || w.state === 'rejoined').length)],
  ];
  const dl = byId('progress');
  dl.replaceChildren(
    ...stats.map(([k, v]) => {
      const div = document.createElement('div');
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      dd.textContent = v;
      dd.dataset.stat = k;
      div.append(dt, dd);
      return div;
    }),
  );
  byId('bar-fill').style.width = `${p.iters > 0 ? (100 * p.step) / p.iters : 0}%`;
  byId('loss-note').textContent = `raw (light) and EMA over ${s.smoothingSpan} iterations (dark)`;
  byId('gap-note').textContent = last
    ? `train − test gap ${fixed(100 * (last.trainAcc - last.testAcc), 2)} points (a widening gap is overfitting)`
    : '';
}

export function renderWorkers(s: Store): void {
  const body = byId('workers').querySelector('tbody') as HTMLElement;
  body.replaceChildren(
    ...s.workers.map((w) =>
      row(
        cell('td', w.name),
        cell('td', w.link === 'in-process' ? 'in process' : w.address || '–'),
        cell('td', w.state, `state-${w.state}`),
        cell('td', grouped(w.shards), 'num'),
        cell('td', w.medianComputeMs === null ? '–' : fixed(w.medianComputeMs, 2), 'num'),
        cell('td', w.link === 'in-process' ? '–' : ago(w.lastHeardMs), 'num'),
      ),
    ),
  );
}

/** The latest bucket's step-time parts, and each one's share of the step. */
export function renderTimeTable(s: Store): void {
  const t = s.timings.at(-1);
  const table = byId('time-table');
  if (!t) return;
  table.replaceChildren(
    row(cell('th', 'part'), cell('th', 'ms', 'num'), cell('th', 'share', 'num')),
    ...TIME_PARTS.map(([key, label]) =>
      row(
        cell('td', label),
        cell('td', fixed(t[key], 3), 'num'),
        cell('td', `${fixed(t.stepMs > 0 ? (100 * t[key]) / t.stepMs : 0, 1)} %`, 'num'),
      ),
    ),
    row(cell('td', 'whole step'), cell('td', fixed(t.stepMs, 3), 'num'), cell('td', '100 %', 'num')),
  );
}

export function renderLog(s: Store): void {
  const list = byId('log');
  const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
  list.replaceChildren(
    ...s.log.slice(-200).map((l) => {
      const li = document.createElement('li');
      li.className = l.kind;
      if (l.time) {
        const time = document.createElement('time');
        time.textContent = l.time.slice(11, 19);
        li.append(time);
      }
      li.append(l.text);
      return li;
    }),
  );
  if (atBottom) list.scrollTop = list.scrollHeight;
}

export function renderConfig(s: Store): void {
  byId('config').replaceChildren(...s.config.map(([k, v]) => row(cell('td', k), cell('td', v))));
}
