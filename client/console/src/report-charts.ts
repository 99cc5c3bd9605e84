/**
 * The reports' charts, drawn by Chart.js on a canvas: bundled with the console (no request elsewhere)
 * and only the parts used registered, so esbuild leaves the rest out. Canvas drawing needs no inline
 * style attribute or stylesheet: Chart.js sizes the canvas through the CSSOM, which the console's CSP
 * (style-src 'self') allows. No animation: the figures are there at once, and screenshots are stable.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
} from 'chart.js';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Legend,
  Tooltip,
);

export interface ReportChart {
  kind: 'bar' | 'stacked-bar' | 'line';
  labels: string[];
  datasets: { label: string; data: (number | null)[] }[];
}

/** Colours that stay apart for common colour blindness (Okabe–Ito). */
const COLOURS = ['#0072B2', '#E69F00', '#D55E00', '#009E73', '#CC79A7', '#56B4E9'];

export function drawReportChart(canvas: HTMLCanvasElement, chart: ReportChart): Chart {
  const stacked = chart.kind === 'stacked-bar';
  return new Chart(canvas, {
    type: chart.kind === 'line' ? 'line' : 'bar',
    data: {
      labels: chart.labels,
      datasets: chart.datasets.map((dataset, index) => ({
        label: dataset.label,
        data: dataset.data,
        backgroundColor: COLOURS[index % COLOURS.length],
        borderColor: COLOURS[index % COLOURS.length],
        spanGaps: true,
      })),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        x: { stacked },
        y: { stacked, beginAtZero: true },
      },
      plugins: { legend: { position: 'bottom' } },
    },
  });
}
