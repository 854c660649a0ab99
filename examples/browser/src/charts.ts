/**
 * Canvas drawings of the page: a line chart (loss, accuracy), a spike raster and membrane traces.
 * Each returns how many marks it drew, which the browser test checks (a chart that draws nothing
 * fails it).
 */

/** One line of a {@link lineChart}. */
export interface Series {
  label: string;
  color: string;
  points: [number, number][];
}

const MARGIN = { left: 44, right: 10, top: 22, bottom: 22 };

function frame(canvas: HTMLCanvasElement, title: string): CanvasRenderingContext2D {
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error(`charts: canvas '${canvas.id}' has no 2d context.`);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#222';
  ctx.font = '12px sans-serif';
  ctx.fillText(title, MARGIN.left, 14);
  ctx.strokeStyle = '#999';
  ctx.strokeRect(MARGIN.left, MARGIN.top, canvas.width - MARGIN.left - MARGIN.right, canvas.height - MARGIN.top - MARGIN.bottom);
  return ctx;
}

/** Maps data to pixels inside the frame. */
function scales(canvas: HTMLCanvasElement, x0: number, x1: number, y0: number, y1: number) {
  const w = canvas.width - MARGIN.left - MARGIN.right;
  const h = canvas.height - MARGIN.top - MARGIN.bottom;
  return {
    x: (x: number) => MARGIN.left + ((x - x0) / (x1 - x0 || 1)) * w,
    y: (y: number) => MARGIN.top + h - ((y - y0) / (y1 - y0 || 1)) * h,
  };
}

/** Draws `series` as lines with a legend; `yRange` fixes the y axis (else it fits the data). */
export function lineChart(canvas: HTMLCanvasElement, title: string, series: Series[], yRange?: [number, number]): number {
  const ctx = frame(canvas, title);
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return 0;
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const [y0, y1] = yRange ?? [Math.min(0, ...ys), Math.max(...ys)];
  const sc = scales(canvas, Math.min(...xs), Math.max(...xs, 1), y0, y1);
  ctx.fillStyle = '#555';
  ctx.fillText(y1.toFixed(2), 4, MARGIN.top + 8);
  ctx.fillText(y0.toFixed(2), 4, canvas.height - MARGIN.bottom);
  ctx.fillText(`step ${Math.max(...xs)}`, canvas.width - MARGIN.right - 70, canvas.height - 6);
  let marks = 0;
  series.forEach((s, i) => {
    ctx.strokeStyle = s.color;
    ctx.fillStyle = s.color;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    s.points.forEach(([x, y], k) => (k === 0 ? ctx.moveTo(sc.x(x), sc.y(y)) : ctx.lineTo(sc.x(x), sc.y(y))));
    ctx.stroke();
    if (s.points.length === 1) ctx.fillRect(sc.x(s.points[0]![0]) - 2, sc.y(s.points[0]![1]) - 2, 4, 4);
    ctx.fillText(s.label, canvas.width - MARGIN.right - 110 * (series.length - i), MARGIN.top + 14);
    marks += s.points.length;
  });
  return marks;
}

/** Spike raster: one row per neuron, one column per time step, a dark cell per spike. */
export function spikeRaster(canvas: HTMLCanvasElement, title: string, spikes: number[][]): number {
  const ctx = frame(canvas, title);
  const T = spikes.length;
  const n = spikes[0]?.length ?? 0;
  const w = (canvas.width - MARGIN.left - MARGIN.right) / Math.max(T, 1);
  const h = (canvas.height - MARGIN.top - MARGIN.bottom) / Math.max(n, 1);
  ctx.fillStyle = '#1f4e9c';
  let marks = 0;
  spikes.forEach((row, t) =>
    row.forEach((s, i) => {
      if (s > 0) {
        ctx.fillRect(MARGIN.left + t * w + 1, MARGIN.top + i * h, Math.max(w - 2, 1), Math.max(h, 1));
        marks++;
      }
    }),
  );
  ctx.fillStyle = '#555';
  ctx.fillText(`t = 0..${T - 1}`, canvas.width - MARGIN.right - 60, canvas.height - 6);
  ctx.fillText(`${n} neurons`, 2, canvas.height - MARGIN.bottom);
  return marks;
}

/** Membrane potentials over time, one line per neuron (`highlight` drawn bold), threshold dashed. */
export function membraneTraces(canvas: HTMLCanvasElement, title: string, v: number[][], vThreshold: number, highlight: number): number {
  const ctx = frame(canvas, title);
  const T = v.length;
  const flat = v.flat();
  const sc = scales(canvas, 0, Math.max(T - 1, 1), Math.min(0, ...flat), Math.max(vThreshold * 1.1, ...flat));
  ctx.setLineDash([4, 4]);
  ctx.strokeStyle = '#c00';
  ctx.beginPath();
  ctx.moveTo(sc.x(0), sc.y(vThreshold));
  ctx.lineTo(sc.x(T - 1), sc.y(vThreshold));
  ctx.stroke();
  ctx.setLineDash([]);
  let marks = 0;
  const k = v[0]?.length ?? 0;
  for (let i = 0; i < k; i++) {
    ctx.strokeStyle = i === highlight ? '#1f4e9c' : '#bbb';
    ctx.lineWidth = i === highlight ? 2.5 : 1;
    ctx.beginPath();
    v.forEach((row, t) => (t === 0 ? ctx.moveTo(sc.x(t), sc.y(row[i]!)) : ctx.lineTo(sc.x(t), sc.y(row[i]!))));
    ctx.stroke();
    marks += T;
  }
  ctx.fillStyle = '#555';
  ctx.fillText(`V_th = ${vThreshold}`, canvas.width - MARGIN.right - 70, MARGIN.top + 12);
  return marks;
}
