// Charts (ECharts) and the evidence graph (Cytoscape.js), loaded on first use so the
// landing page's table is interactive before the chart library has arrived.
import { useEffect, useRef } from "preact/hooks";
import { html } from "./html.js";

let echartsModule = null;
const loadECharts = () => (echartsModule ??= import("echarts"));

function useEChart(option, onClick, deps) {
  const ref = useRef(null);
  useEffect(() => {
    let chart = null;
    let disposed = false;
    const resize = () => chart && chart.resize();
    loadECharts().then((echarts) => {
      if (disposed || !ref.current) return;
      chart = echarts.init(ref.current, null, { renderer: "svg" });
      // an option may depend on the width it is drawn in (a phone's 390 px, a desktop's)
      chart.setOption(typeof option === "function" ? option(ref.current.clientWidth) : option);
      if (onClick) chart.on("click", onClick);
      ref.current.dataset.rendered = "true";
      window.addEventListener("resize", resize);
    });
    return () => {
      disposed = true;
      window.removeEventListener("resize", resize);
      if (chart) chart.dispose();
    };
  }, deps);
  return ref;
}

export function Sparkline({ points, label, format }) {
  const option = {
    animation: false,
    grid: { left: 2, right: 2, top: 4, bottom: 4 },
    xAxis: { type: "category", show: false, data: points.map((p) => p.day) },
    yAxis: { type: "value", show: false, scale: true },
    tooltip: { trigger: "axis", valueFormatter: format, confine: true },
    series: [{ type: "line", data: points.map((p) => p.value), symbolSize: 3, lineStyle: { width: 1.5 } }],
  };
  const ref = useEChart(option, null, [JSON.stringify(points)]);
  return html`<div class="sparkline" ref=${ref} role="img" aria-label=${label}></div>`;
}

// rows: technologies; columns: kinds; cells: counts. Colour is the count relative to its
// column's largest (kinds differ in scale by a hundredfold); zero cells are gaps, drawn red.
export function Heatmap({ rows, columns, values, onCell, label }) {
  const colMax = columns.map((_, x) => Math.max(1, ...values.map((row) => row[x])));
  const data = [];
  values.forEach((row, y) => row.forEach((v, x) => data.push({ value: [x, y, v / colMax[x]], count: v })));
  // the row labels take a third of a narrow chart; column labels wrap within their column
  const option = (width) => {
    const left = width < 700 ? Math.round(width / 3) : 200;
    const column = (width - left - 20) / columns.length;
    return {
    animation: false,
    grid: { left, right: 20, top: width < 700 ? 70 : 48, bottom: 60 },
    tooltip: { position: "top", confine: true, formatter: (p) => `${rows[p.value[1]]} · ${columns[p.value[0]]}: ${p.data.count}` },
    xAxis: { type: "category", data: columns, position: "top",
      axisLabel: { interval: 0, width: Math.max(30, column - 6), overflow: "break", fontSize: width < 700 ? 10 : 12 } },
    yAxis: { type: "category", data: rows, inverse: true,
      axisLabel: { width: left - 10, overflow: width < 700 ? "break" : "truncate", fontSize: width < 700 ? 10 : 12 } },
    visualMap: {
      type: "piecewise",
      orient: "horizontal",
      left: "center",
      bottom: 0,
      dimension: 2,
      pieces: [
        { value: 0, color: "#d7301f", label: "0" },
        { gt: 0, lte: 0.34, color: "#c6dbef", label: "≤ ⅓" },
        { gt: 0.34, lte: 0.67, color: "#6baed6", label: "⅓–⅔" },
        { gt: 0.67, color: "#08519c", label: "> ⅔" },
      ],
    },
    series: [
      {
        type: "heatmap",
        data,
        label: { show: true, formatter: (p) => String(p.data.count) },
        itemStyle: { borderColor: "#fff", borderWidth: 2 },
        emphasis: { itemStyle: { borderColor: "#333" } },
      },
    ],
    };
  };
  const ref = useEChart(option, (e) => onCell(e.value[1], e.value[0]), [JSON.stringify(values), rows.join()]);
  const height = 130 + rows.length * 34;
  return html`<div class="heatmap" ref=${ref} style=${`height:${height}px`} role="img" aria-label=${label}></div>`;
}

// Per period: new and renewed holders up, lapsed ones down, the net as a line.
export function FlowsChart({ rows, names, label }) {
  const option = {
    animation: false,
    grid: { left: 48, right: 16, top: 36, bottom: 28, containLabel: true },
    legend: { top: 0, data: [names.new, names.renewed, names.lapsed, names.net] },
    tooltip: { trigger: "axis", confine: true },
    xAxis: { type: "category", data: rows.map((r) => r.period) },
    yAxis: { type: "value" },
    series: [
      { name: names.new, type: "bar", stack: "in", data: rows.map((r) => r.new), itemStyle: { color: "#31a354" } },
      { name: names.renewed, type: "bar", data: rows.map((r) => r.renewed), itemStyle: { color: "#6baed6" } },
      { name: names.lapsed, type: "bar", stack: "in", data: rows.map((r) => -r.lapsed), itemStyle: { color: "#d7301f" } },
      { name: names.net, type: "line", data: rows.map((r) => r.net), itemStyle: { color: "#222" } },
    ],
  };
  const ref = useEChart(option, null, [JSON.stringify(rows), JSON.stringify(names)]);
  return html`<div class="flows-chart" ref=${ref} role="img" aria-label=${label}></div>`;
}

let cytoscapeModule = null;

// elements: Cytoscape's {data: {id, label, kind}} nodes and {data: {source, target}} edges.
export function EvidenceGraph({ elements, label, onNode }) {
  const ref = useRef(null);
  useEffect(() => {
    let cy = null;
    let disposed = false;
    (cytoscapeModule ??= import("cytoscape")).then(({ default: cytoscape }) => {
      if (disposed || !ref.current) return;
      cy = cytoscape({
        container: ref.current,
        elements,
        // rings (me, the paths, the partners) spaced by the labels' size, so no two overlap
        layout: { name: "concentric", concentric: (n) => (n.data("kind") === "me" ? 3 : n.data("kind") === "partner" ? 1 : 2), levelWidth: () => 1,
          minNodeSpacing: 12, avoidOverlap: true, nodeDimensionsIncludeLabels: true, spacingFactor: 1.05 },
        style: [
          { selector: "node", style: { label: "data(label)", "font-size": 10, "text-wrap": "ellipsis", "text-max-width": 120, "background-color": "#9ecae1", width: 18, height: 18 } },
          { selector: "node[kind = 'me']", style: { "background-color": "#d94801", width: 30, height: 30, "font-weight": "bold" } },
          { selector: "node[kind = 'partner']", style: { "background-color": "#08519c", width: 24, height: 24 } },
          { selector: "node[kind = 'consortium'], node[kind = 'standard']", style: { shape: "round-rectangle", "background-color": "#74c476" } },
          { selector: "node[kind = 'technology'], node[kind = 'complementary']", style: { shape: "diamond", "background-color": "#fdae6b" } },
          { selector: "node[kind = 'area']", style: { shape: "hexagon", "background-color": "#bcbddc" } },
          { selector: "edge", style: { width: 1.2, "line-color": "#bbb", "curve-style": "bezier" } },
        ],
      });
      if (onNode) cy.on("tap", "node", (e) => onNode(e.target.data()));
      // the labels' boxes, for the browser test that checks none overlaps another
      ref.current.labelBoxes = () => cy.nodes().map((n) => n.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true }));
      ref.current.dataset.rendered = String(cy.nodes().length);
    });
    return () => {
      disposed = true;
      if (cy) cy.destroy();
    };
  }, [JSON.stringify(elements)]);
  return html`<div class="graph" ref=${ref} role="img" aria-label=${label}></div>`;
}
