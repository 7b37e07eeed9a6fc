import { Charts } from './charts.js';
import { Store } from './store.js';
import { renderConfig, renderLog, renderProgress, renderTimeTable, renderWorkers } from './tables.js';
import type { StreamMessage } from './wire.js';

const store = new Store();
const charts = new Charts(document);
let connection: 'open' | 'lost' = 'open';

function render(): void {
  renderProgress(store, connection);
  charts.draw(store);
  renderWorkers(store);
  renderTimeTable(store);
  renderLog(store);
  renderConfig(store);
}

const source = new EventSource('/api/stream');
source.onmessage = (event: MessageEvent<string>) => {
  connection = 'open';
  store.apply(JSON.parse(event.data) as StreamMessage);
  render();
};
source.onerror = () => {
  connection = 'lost';
  // A finished live run stops serving: keep what was drawn rather than retrying forever.
  if (store.progress?.status === 'finished') source.close();
  render();
};
