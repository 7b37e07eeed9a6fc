import type { Config } from 'vega-lite';
import { FONT_FAMILY } from './font.js';

export const DEFAULT_WIDTH = 800;
export const DEFAULT_HEIGHT = 400;

/** Colour-blind-safe categorical palette, shared so the same optimizer keeps its colour across figures. */
export const PALETTE = [
  '#4c78a8',
  '#f58518',
  '#54a24b',
  '#e45756',
  '#72b7b2',
  '#b279a2',
  '#eeca3b',
  '#9d755d',
];

export const THEME: Config = {
  font: FONT_FAMILY,
  background: 'white',
  padding: 12,
  view: { stroke: '#bbbbbb' },
  title: { fontSize: 16, fontWeight: 'bold', anchor: 'start', offset: 12 },
  axis: {
    labelFontSize: 12,
    titleFontSize: 14,
    titleFontWeight: 'normal',
    gridColor: '#e6e6e6',
    domainColor: '#888888',
    tickColor: '#888888',
  },
  legend: {
    labelFontSize: 12,
    titleFontSize: 12,
    symbolSize: 120,
    symbolStrokeWidth: 2.5,
    fillColor: 'rgba(255,255,255,0.85)',
    padding: 6,
    cornerRadius: 3,
  },
  range: { category: PALETTE },
};
