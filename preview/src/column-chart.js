// A small SVG column (or bar) chart for a dashboard component: one bar per grouping, its value written
// above it. Every bar carries data-group, data-value and data-count, so tests read the exact figures.
const SVG_NS = 'http://www.w3.org/2000/svg';
const COLORS = [
  '#1b96ff',
  '#ff5d2d',
  '#04844b',
  '#9050e9',
  '#ba0517',
  '#706e6b'
];

const shorten = (text, max) =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

function svg(tag, attributes, text) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes))
    node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * bars: [{label, value, count, text}], value ≥ 0 (null draws no bar); horizontal for Bar components.
 */
export function columnChart(bars, { horizontal = false, title }) {
  const width = 320;
  const rowHeight = 26;
  const height = horizontal ? Math.max(120, bars.length * rowHeight + 24) : 200;
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    class: 'preview-chart',
    role: 'img',
    'aria-label': title
  });
  const max = Math.max(0, ...bars.map((b) => b.value ?? 0)) || 1;
  bars.forEach((bar, i) => {
    const group = svg('g', {
      'data-group': bar.label,
      'data-value': bar.value ?? '',
      'data-count': bar.count
    });
    const color = COLORS[i % COLORS.length];
    const size = bar.value === null ? 0 : bar.value / max;
    if (horizontal) {
      const y = 8 + i * rowHeight;
      const labelWidth = 150;
      const length = size * (width - labelWidth - 60);
      group.append(
        svg(
          'text',
          {
            x: labelWidth - 6,
            y: y + 15,
            'text-anchor': 'end',
            class: 'preview-chart__label'
          },
          shorten(bar.label, 24)
        ),
        svg('rect', {
          x: labelWidth,
          y: y + 2,
          width: length,
          height: rowHeight - 8,
          fill: color,
          rx: 2
        }),
        svg(
          'text',
          {
            x: labelWidth + length + 6,
            y: y + 15,
            class: 'preview-chart__value'
          },
          bar.text
        )
      );
    } else {
      const slot = (width - 20) / Math.max(1, bars.length);
      const barWidth = Math.min(70, slot * 0.6);
      const x = 10 + slot * i + (slot - barWidth) / 2;
      const plot = height - 60;
      const barHeight = size * (plot - 10);
      const top = 20 + plot - barHeight;
      group.append(
        svg('rect', {
          x,
          y: top,
          width: barWidth,
          height: barHeight,
          fill: color,
          rx: 2
        }),
        svg(
          'text',
          {
            x: x + barWidth / 2,
            y: top - 6,
            'text-anchor': 'middle',
            class: 'preview-chart__value'
          },
          bar.text
        ),
        svg(
          'text',
          {
            x: x + barWidth / 2,
            y: height - 22,
            'text-anchor': 'middle',
            class: 'preview-chart__label'
          },
          bar.label
        ),
        svg(
          'text',
          {
            x: x + barWidth / 2,
            y: height - 8,
            'text-anchor': 'middle',
            class: 'preview-chart__count'
          },
          `n = ${bar.count}`
        )
      );
    }
    chart.append(group);
  });
  chart.append(
    svg(
      'line',
      horizontal
        ? {
            x1: 150,
            y1: 4,
            x2: 150,
            y2: height - 8,
            class: 'preview-chart__axis'
          }
        : {
            x1: 6,
            y1: height - 40,
            x2: width - 6,
            y2: height - 40,
            class: 'preview-chart__axis'
          }
    )
  );
  return chart;
}
