// segmenter's page: polls the JSON endpoints of the instance that served it and draws them as plain
// SVG and HTML. No library, no inline script or style (the server's Content-Security-Policy allows
// neither), no innerHTML: every text from the server goes in through textContent.
'use strict';
(() => {
  const SVG = 'http://www.w3.org/2000/svg';
  const TOKEN_KEY = 'segmenter.token';
  const PALETTE_SIZE = 12;
  // What each endpoint needs when access control is on (docs/SECURITY.md); a reader may do all ops may.
  const ROLE = { '/segments': 'ops', '/model': 'ops', '/map': 'ops', '/flows': 'ops', '/customers': 'reader' };

  const state = { segments: null, model: null, map: null, flows: null, modelSeenAt: new Map(), errors: new Map() };

  // ---- DOM helpers ------------------------------------------------------------------------------

  function el(tag, options, ...children) {
    const node = document.createElement(tag);
    decorate(node, options);
    children.flat().forEach((c) => c != null && node.append(c instanceof Node ? c : String(c)));
    return node;
  }

  function svg(tag, attributes, ...children) {
    const node = document.createElementNS(SVG, tag);
    Object.entries(attributes || {}).forEach(([k, v]) => v != null && node.setAttribute(k, String(v)));
    children.flat().forEach((c) => c != null && node.append(c instanceof Node ? c : String(c)));
    return node;
  }

  function decorate(node, options) {
    if (!options) return;
    if (options.class) node.className = options.class;
    if (options.title) node.title = options.title;
    if (options.hidden) node.hidden = true;
    Object.entries(options.data || {}).forEach(([k, v]) => { if (v != null) node.dataset[k] = String(v); });
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  function tooltip(text) {
    return svg('title', null, text);
  }

  const $ = (selector, root) => (root || document).querySelector(selector);

  // ---- Formatting -------------------------------------------------------------------------------

  const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

  function count(n) {
    return n == null ? '–' : integer.format(n);
  }

  function number(x, digits) {
    if (x == null || !Number.isFinite(Number(x))) return '–';
    return Number(x).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  }

  function percent(x, digits) {
    return x == null ? '–' : number(100 * x, digits == null ? 0 : digits) + ' %';
  }

  function money(x, currency) {
    if (x == null) return '–';
    return Number(x).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + ' ' + (currency || '');
  }

  function signed(n) {
    if (n == null) return '–';
    return n > 0 ? '+' + count(n) : n < 0 ? '−' + count(-n) : '0';
  }

  function time(iso) {
    if (!iso) return '–';
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? String(iso) : d.toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
  }

  function clock(ms) {
    return new Date(ms).toISOString().slice(11, 19);
  }

  function colour(id) {
    return id == null ? 'seg-new' : 'seg-c' + (((Number(id) % PALETTE_SIZE) + PALETTE_SIZE) % PALETTE_SIZE);
  }

  function swatch(id) {
    return el('span', { class: 'swatch ' + colour(id) });
  }

  function label(feature) {
    return String(feature).replace(/_/g, ' ');
  }

  // ---- Access to the API ------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, path, body) {
      super('GET ' + path + ' answered ' + status + (body && body.error ? ': ' + body.error : ''));
      this.status = status;
      this.path = path;
      this.body = body;
    }
  }

  async function api(path) {
    const headers = { Accept: 'application/json' };
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers.Authorization = 'Bearer ' + token;
    const response = await fetch(path, { headers, cache: 'no-store', credentials: 'same-origin' });
    let body = null;
    try {
      body = await response.json();
    } catch (notJson) {
      body = null;
    }
    if (!response.ok) throw new ApiError(response.status, path, body);
    return body;
  }

  function roleFor(path) {
    const key = Object.keys(ROLE).find((p) => path === p || path.startsWith(p + '/'));
    return key ? ROLE[key] : 'ops';
  }

  function showAccess(error) {
    const role = roleFor(error.path.split('?')[0]);
    const what = error.path.startsWith('/customers/') ? 'GET /customers/{id}' : 'GET ' + error.path;
    const had = sessionStorage.getItem(TOKEN_KEY);
    const message = error.status === 401
      ? what + ' answered 401: it needs a token with the ' + role + ' role' + (had ? ' (this one was not accepted)' : '') + '.'
      : what + ' answered 403: this token lacks the ' + role + ' role' + (role === 'ops' ? ' (reader includes ops)' : '') + '.';
    $('#access-message').textContent = message;
    $('#access').hidden = false;
  }

  function setUpAccessForm() {
    const form = $('#access');
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const token = $('#token').value.trim();
      if (token) sessionStorage.setItem(TOKEN_KEY, token);
      $('#token').value = '';
      form.hidden = true;
      pollers.forEach((p) => p.now());
    });
    $('#token-clear').addEventListener('click', () => {
      sessionStorage.removeItem(TOKEN_KEY);
      $('#token').value = '';
    });
  }

  // ---- Polling ----------------------------------------------------------------------------------

  class Poller {
    constructor(name, path, intervalMs, onData) {
      this.name = name;
      this.path = path;
      this.intervalMs = intervalMs;
      this.onData = onData;
      this.timer = null;
      this.busy = false;
      this.again = false;
    }

    now() {
      if (this.busy) {
        this.again = true;
        return;
      }
      clearTimeout(this.timer);
      this.tick();
    }

    async tick() {
      this.busy = true;
      try {
        const data = await api(this.path);
        state.errors.delete(this.name);
        this.onData(data);
      } catch (e) {
        failed(this.name, e);
      } finally {
        this.busy = false;
        const delay = this.again ? 0 : this.intervalMs;
        this.again = false;
        this.timer = setTimeout(() => this.tick(), delay);
        renderStatus();
      }
    }
  }

  function failed(name, e) {
    if (e instanceof ApiError) {
      if (e.status === 401 || e.status === 403) {
        showAccess(e);
        state.errors.set(name, 'needs the ' + roleFor(e.path) + ' role');
      } else if (e.status === 404 && e.body && e.body.error === 'no such endpoint') {
        state.errors.set(name, 'not served by this version of segmenter');
        waiting(name, 'not served by this version of segmenter');
      } else if (e.status === 404) {
        state.errors.set(name, 'waiting for the first model');
        waiting(name, 'waiting for the first model');
      } else {
        state.errors.set(name, e.status + (e.body && e.body.error ? ' ' + e.body.error : '') + ', retrying');
      }
    } else {
      state.errors.set(name, 'no answer from the server, retrying');
    }
  }

  function waiting(name, text) {
    const caption = { map: '#map-caption', model: '#model-caption', flows: '#flows-caption' }[name];
    if (caption) $(caption).textContent = text;
  }

  const pollers = [];
  let mapPoller;
  let modelPoller;

  function start() {
    setUpAccessForm();
    setUpLookup();
    const segments = new Poller('segments', '/segments', 2000, onSegments);
    const flows = new Poller('flows', '/flows', 5000, (d) => { state.flows = d; renderFlows(); renderSegments(); });
    mapPoller = new Poller('map', '/map', 10000, (d) => { state.map = d; renderMap(); renderSegments(); });
    modelPoller = new Poller('model', '/model', 10000, (d) => { onModel(d); });
    pollers.push(segments, flows, mapPoller, modelPoller);
    pollers.forEach((p) => p.tick());
  }

  function onSegments(data) {
    state.segments = data;
    renderSegments();
    if (state.map) renderMap();
    // A new model version: the map's axes and the model panel change with it, so ask for them now.
    const v = data.modelVersion;
    if (v != null && state.map && state.map.modelVersion !== v) mapPoller.now();
    if (v != null && state.model && state.model.version !== v) modelPoller.now();
  }

  function onModel(data) {
    state.model = data;
    if (!state.modelSeenAt.has(data.version)) state.modelSeenAt.set(data.version, Date.now());
    renderModel();
  }

  function renderStatus() {
    const parts = [];
    const s = state.segments;
    if (s) {
      parts.push('model v' + (s.modelVersion == null ? '–' : s.modelVersion));
      parts.push(count(s.customers) + ' customers');
      parts.push(s.instancesAnswered + ' of ' + s.instances + ' instance' + (s.instances === 1 ? '' : 's') + ' answered');
    }
    parts.push('updated ' + clock(Date.now()) + ' UTC');
    state.errors.forEach((text, name) => parts.push(name + ': ' + text));
    $('#status').textContent = parts.join(' · ');
  }

  // ---- Segments table ---------------------------------------------------------------------------

  function mixOf(id) {
    const centres = state.map && state.map.centres;
    const c = centres && centres.find((x) => x.id === id);
    return c ? c.mix || null : null;
  }

  function renderSegments() {
    const s = state.segments;
    if (!s) return;
    const total = $('#total-population');
    total.textContent = count(s.customers);
    total.dataset.value = String(s.customers);
    const caption = [];
    if (s.partial) caption.push('partial: ' + s.instancesAnswered + ' of ' + s.instances + ' instances answered, populations are lower bounds');
    if (s.explanation && s.explanation.fidelity != null) {
      caption.push('rules: a decision tree that agrees with the model on ' + percent(s.explanation.fidelity, 1) + ' of ' + count(s.explanation.sample) + ' customers');
    }
    $('#segments-caption').textContent = caption.join(' · ');
    $('#segments-caption').classList.toggle('warn', !!s.partial);
    const body = clear($('#segments-table tbody'));
    s.segments.forEach((seg) => body.append(segmentRow(seg, s)));
  }

  function segmentRow(seg, all) {
    const row = el('tr', { class: seg.inModel ? '' : 'absent', data: { segmentId: seg.id, name: seg.name } });
    row.append(
      el('td', { class: 'segment' },
        el('div', { class: 'name' }, swatch(seg.id), el('span', null, seg.name)),
        el('div', { class: 'description' }, seg.inModel ? seg.description || '' : 'not a centre of this model version')),
      el('td', { class: 'population num', data: { value: seg.population } },
        el('div', null, count(seg.population)), el('div', { class: 'sub' }, percent(seg.share, 1))),
      trendCell(seg.id),
      el('td', { class: 'centre' }, centreText(seg.centre, all)),
      el('td', { class: 'rules' }, (seg.rules || []).slice(0, 2).map((r) =>
        el('p', { title: 'support ' + count(r.support) + ' customers, precision ' + percent(r.precision, 1) },
          r.rule, el('span', { class: 'sub' }, ' (' + percent(r.precision) + ')')))),
      mixCell(seg.id, all.currency));
    return row;
  }

  function trendCell(id) {
    const net = state.flows && state.flows.net;
    const cell = el('td', { class: 'trend num' });
    [['hour', '1 h'], ['day', '1 d']].forEach(([w, name]) => {
      const value = net && net[w] ? (net[w][String(id)] || 0) : null;
      cell.append(el('span', { class: w + (value > 0 ? ' up' : value < 0 ? ' down' : ''), data: { value } }, signed(value) + ' ' + name));
    });
    return cell;
  }

  function centreText(centre, all) {
    if (!centre) return '–';
    const units = all.centreUnits || {};
    const full = Object.entries(centre).map(([f, v]) => label(f) + ': ' + number(v, 3) + ' ' + (units[f] || '')).join('\n');
    // R, F, M first (days since the last order, orders, net spend), then how they browse.
    return el('div', { title: full },
      el('div', null, 'R ' + number(centre.recency_days, 1) + ' days'),
      el('div', null, 'F ' + number(centre.orders, 2) + ' orders'),
      el('div', null, 'M ' + money(centre.net_spend, all.currency)),
      el('div', { class: 'sub' }, number(centre.sessions, 1) + ' sessions, ' + number(centre.views, 0) + ' views'));
  }

  function mixCell(id, currency) {
    const mix = mixOf(id);
    const cell = el('td', { class: 'mix' });
    if (!mix) {
      cell.append('–');
      return cell;
    }
    const parts = [];
    if (mix.pAliveMean != null) parts.push('churn risk ' + percent(1 - mix.pAliveMean));
    if (mix.clvMedian != null) parts.push('median CLV ' + money(mix.clvMedian, mix.currency || currency));
    if (!parts.length) cell.append(el('div', null, 'not scored'));
    parts.forEach((p) => cell.append(el('div', null, p)));
    const shares = mix.predictive || {};
    const top = Object.entries(shares).sort((a, b) => b[1] - a[1]).slice(0, 3);
    if (top.length) cell.append(el('div', { class: 'sub' }, top.map(([k, v]) => label(k).toLowerCase() + ' ' + percent(v)).join(', ')));
    if (mix.scored != null) cell.append(el('div', { class: 'sub' }, count(mix.scored) + ' of ' + count(mix.sampled) + ' sampled scored'));
    return cell;
  }

  // ---- Map --------------------------------------------------------------------------------------

  const MAP = { width: 560, height: 420, left: 10, right: 550, top: 10, bottom: 376 };
  let mapView = null;

  function renderMap() {
    const m = state.map;
    const root = clear($('#map-svg'));
    root.dataset.modelVersion = m.modelVersion;
    const points = m.points || [];
    const centres = m.centres || [];
    const view = extent(m.modelVersion, points, centres);
    // Each axis fills the plot: PC2 usually spreads far less than PC1, and at one scale for both its
    // customers would sit on a line. The axis titles say what each direction means.
    const sx = (MAP.right - MAP.left) / (view.x1 - view.x0);
    const sy = (MAP.bottom - MAP.top) / (view.y1 - view.y0);
    const X = (x) => MAP.left + sx * (Math.min(view.x1, Math.max(view.x0, x)) - view.x0);
    const Y = (y) => MAP.bottom - sy * (Math.min(view.y1, Math.max(view.y0, y)) - view.y0);
    const outside = (p) => p.x < view.x0 || p.x > view.x1 || p.y < view.y0 || p.y > view.y1;

    if (view.x0 < 0 && view.x1 > 0) root.append(svg('line', { class: 'axis', x1: X(0), x2: X(0), y1: MAP.top, y2: MAP.bottom }));
    if (view.y0 < 0 && view.y1 > 0) root.append(svg('line', { class: 'axis', x1: MAP.left, x2: MAP.right, y1: Y(0), y2: Y(0) }));
    const axes = m.axes || [];
    if (axes[0]) root.append(svg('text', { class: 'axis-title', x: MAP.left, y: MAP.height - 26 }, axisTitle(axes[0], '→')));
    if (axes[1]) root.append(svg('text', { class: 'axis-title', x: MAP.left, y: MAP.height - 10 }, axisTitle(axes[1], '↑')));

    const dots = svg('g', { class: 'points' });
    let clipped = 0;
    points.forEach((p) => {
      const out = outside(p);
      if (out) clipped++;
      dots.append(svg('circle', { class: 'point ' + colour(p.segment) + (out ? ' clipped' : ''), cx: X(p.x).toFixed(1), cy: Y(p.y).toFixed(1), r: 2.2 }));
    });
    root.append(dots);

    // Sized by the newest populations: /segments' (every 2 s) while it speaks of the map's model version.
    const s = state.segments;
    const fresh = s && s.modelVersion === m.modelVersion ? new Map(s.segments.map((x) => [x.id, x])) : new Map();
    centres.forEach((c) => {
      const f = fresh.get(c.id);
      if (f) { c.population = f.population; c.share = f.share; }
    });
    const total = centres.reduce((sum, c) => sum + (c.population || 0), 0);
    const marks = svg('g', { class: 'centres' });
    const labels = svg('g', { class: 'labels' });
    const placed = [];
    centres.slice().sort((a, b) => (b.population || 0) - (a.population || 0)).forEach((c) => {
      const share = c.share != null ? c.share : total ? (c.population || 0) / total : 0;
      const r = 5 + 24 * Math.sqrt(Math.max(0, share));
      marks.append(svg('circle', {
        class: 'centre ' + colour(c.id), cx: X(c.x).toFixed(1), cy: Y(c.y).toFixed(1), r: r.toFixed(1),
        'data-segment-id': c.id, 'data-population': c.population,
      }, tooltip(c.name + ': ' + count(c.population) + ' customers (' + percent(share, 1) + ')')));
      const spot = labelSpot(X(c.x), Y(c.y), r, c.name, placed);
      labels.append(svg('text', { class: 'centre-label', x: spot.x.toFixed(1), y: spot.y.toFixed(1), 'text-anchor': spot.anchor }, c.name));
    });
    root.append(marks, labels);

    const legend = clear($('#map-legend'));
    centres.slice().sort((a, b) => a.id - b.id).forEach((c) => legend.append(
      el('li', { data: { segmentId: c.id } }, swatch(c.id), c.name + ' (' + count(c.population) + ')')));

    const sample = m.sample || {};
    const caption = ['model v' + m.modelVersion, m.features != null ? m.features + ' features, standardised as the model assigns' : null,
      count(sample.points != null ? sample.points : points.length) + ' customers sampled' + (sample.customers != null ? ' of ' + count(sample.customers) : '')
        + (sample.instance ? ' on ' + sample.instance : ''),
      'circle area ∝ population', 'each axis scaled to fit'].filter(Boolean);
    if (clipped) caption.push(count(clipped) + ' outlying point' + (clipped === 1 ? '' : 's') + ' drawn hollow at the edge');
    $('#map-caption').textContent = caption.join(' · ');
    $('#map-note').textContent = (m.partial ? 'partial: not every instance answered. ' : '') + (sample.note || '');
  }

  // A label beside its centre where it overlaps no label placed before: right, left, below, above,
  // then further down. Text width is estimated (about 6.5 px a character at 11 px, bold).
  function labelSpot(x, y, r, text, placed) {
    const w = 6.5 * text.length, h = 13;
    const candidates = [[x + r + 3, y + 4, 'start'], [x - r - 3, y + 4, 'end'], [x, y + r + 13, 'middle'], [x, y - r - 4, 'middle']];
    for (let i = 1; i <= 6; i++) candidates.push([x + r + 3, y + 4 + i * h, 'start'], [x - r - 3, y + 4 + i * h, 'end']);
    const box = ([lx, ly, anchor]) => {
      const left = anchor === 'start' ? lx : anchor === 'end' ? lx - w : lx - w / 2;
      return { x0: left, x1: left + w, y0: ly - h + 3, y1: ly + 3 };
    };
    const free = (b) => b.x0 >= 0 && b.x1 <= MAP.width && b.y0 >= 0 && b.y1 <= MAP.bottom + 8
      && placed.every((p) => b.x1 < p.x0 || b.x0 > p.x1 || b.y1 < p.y0 || b.y0 > p.y1);
    const chosen = candidates.find((cand) => free(box(cand))) || candidates[0];
    placed.push(box(chosen));
    return { x: chosen[0], y: chosen[1], anchor: chosen[2] };
  }

  function axisTitle(axis, arrow) {
    const loadings = (axis.loadings || []).map((l) => (l.weight >= 0 ? '+' : '−') + number(Math.abs(l.weight), 2) + ' ' + (l.label || label(l.feature)));
    const variance = axis.explainedVariance != null ? ' (' + percent(axis.explainedVariance) + ' of variance)' : '';
    return arrow + ' ' + axis.name + variance + ': ' + loadings.join(', ');
  }

  // The view: every centre, and the customers but their 2 % most outlying on each side of each axis
  // (a handful of extreme customers would otherwise squeeze everyone else into a corner). For one
  // model version it only grows, so that points do not shift while the axes stay fixed.
  function extent(version, points, centres) {
    const xs = points.map((p) => p.x).filter(Number.isFinite).sort((a, b) => a - b);
    const ys = points.map((p) => p.y).filter(Number.isFinite).sort((a, b) => a - b);
    const at = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))];
    let x0 = xs.length ? at(xs, 0.02) : -1, x1 = xs.length ? at(xs, 0.98) : 1;
    let y0 = ys.length ? at(ys, 0.02) : -1, y1 = ys.length ? at(ys, 0.98) : 1;
    centres.forEach((c) => {
      if (!Number.isFinite(c.x) || !Number.isFinite(c.y)) return;
      x0 = Math.min(x0, c.x); x1 = Math.max(x1, c.x); y0 = Math.min(y0, c.y); y1 = Math.max(y1, c.y);
    });
    if (x1 - x0 < 1e-6) { x0 -= 1; x1 += 1; }
    if (y1 - y0 < 1e-6) { y0 -= 1; y1 += 1; }
    const padX = 0.08 * (x1 - x0);
    const padY = 0.08 * (y1 - y0);
    const next = { version, x0: x0 - padX, x1: x1 + padX, y0: y0 - padY, y1: y1 + padY };
    if (mapView && mapView.version === version) {
      next.x0 = Math.min(next.x0, mapView.x0); next.x1 = Math.max(next.x1, mapView.x1);
      next.y0 = Math.min(next.y0, mapView.y0); next.y1 = Math.max(next.y1, mapView.y1);
    }
    mapView = next;
    return next;
  }

  // ---- Flows ------------------------------------------------------------------------------------

  function renderFlows() {
    const f = state.flows;
    const caption = ['counted by the minute a change was emitted, over ' + count(f.instancesAnswered) + ' of ' + count(f.instances) + ' instances'];
    if (f.partial) caption.push('partial: not every instance answered');
    if (f.now) caption.push('as of ' + time(f.now));
    $('#flows-caption').textContent = caption.join(' · ');
    $('#flows-caption').classList.toggle('warn', !!f.partial);
    [['hour', '#flow-hour'], ['day', '#flow-day']].forEach(([w, id]) => {
      const figure = $(id);
      const win = (f.windows || {})[w] || { changes: 0, flows: [] };
      const changes = $('.changes', figure);
      changes.textContent = count(win.changes);
      changes.dataset.value = String(win.changes);
      drawSankey($('.sankey', figure), win);
      drawRate($('.rate', figure), (f.rate || {})[w]);
    });
  }

  function nodeKey(end) {
    return end && end.id != null ? String(end.id) : 'none';
  }

  function drawSankey(root, win) {
    clear(root);
    // H is the nodes' height; the view is 20 px taller, for labels pushed down below the last node.
    const W = 640, H = 230, nodeW = 10, side = 160;
    const flows = (win.flows || []).filter((x) => x.count > 0);
    if (!flows.length) {
      root.append(svg('text', { class: 'empty', x: W / 2, y: H / 2, 'text-anchor': 'middle' }, 'no segment changes in this window'));
      return;
    }
    const column = (pick) => {
      const nodes = new Map();
      flows.forEach((x) => {
        const end = pick(x);
        const key = nodeKey(end);
        const n = nodes.get(key) || { key, id: end ? end.id : null, name: end && end.name ? end.name : '(none)', total: 0, used: 0 };
        n.total += x.count;
        nodes.set(key, n);
      });
      // "(new)" (no previous segment) first, then by segment id: the same order at every refresh.
      return [...nodes.values()].sort((a, b) => (a.id == null ? -1 : b.id == null ? 1 : a.id - b.id));
    };
    const left = column((x) => x.from);
    const right = column((x) => x.to);
    const total = flows.reduce((s, x) => s + x.count, 0);
    const gap = 4;
    const unit = Math.min((H - gap * (left.length - 1)) / total, (H - gap * (right.length - 1)) / total);
    const place = (nodes) => {
      let y = 0;
      nodes.forEach((n) => { n.y = y; n.h = Math.max(1, n.total * unit); y += n.h + gap; });
    };
    place(left);
    place(right);
    const xl = side, xr = W - side - nodeW;
    const byKey = (nodes) => new Map(nodes.map((n) => [n.key, n]));
    const L = byKey(left), R = byKey(right);
    const order = (n, nodes) => nodes.indexOf(n);
    const bands = svg('g', { class: 'bands' });
    flows.slice().sort((a, b) => order(L.get(nodeKey(a.from)), left) - order(L.get(nodeKey(b.from)), left)
      || order(R.get(nodeKey(a.to)), right) - order(R.get(nodeKey(b.to)), right)).forEach((x) => {
      const a = L.get(nodeKey(x.from)), b = R.get(nodeKey(x.to));
      const w = Math.max(1, x.count * unit);
      const y0 = a.y + a.used + w / 2, y1 = b.y + b.used + w / 2;
      a.used += w;
      b.used += w;
      const mid = (xl + nodeW + xr) / 2;
      bands.append(svg('path', {
        class: 'band ' + colour(x.from ? x.from.id : null), 'stroke-width': w.toFixed(1),
        d: 'M' + (xl + nodeW) + ',' + y0.toFixed(1) + ' C' + mid + ',' + y0.toFixed(1) + ' ' + mid + ',' + y1.toFixed(1) + ' ' + xr + ',' + y1.toFixed(1),
        'data-from': x.from ? x.from.id : null, 'data-to': x.to ? x.to.id : null, 'data-count': x.count,
      }, tooltip(a.name + ' → ' + b.name + ': ' + count(x.count))));
    });
    root.append(bands);
    const nodes = svg('g', { class: 'nodes' });
    const labelled = (list, x, anchor, tx) => {
      let lastY = -Infinity;
      list.forEach((n) => {
        nodes.append(svg('rect', { class: 'node ' + colour(n.id), x, y: n.y.toFixed(1), width: nodeW, height: n.h.toFixed(1) },
          tooltip(n.name + ': ' + count(n.total))));
        const y = Math.max(n.y + n.h / 2 + 4, lastY + 12, 11); // 11: a whole line of text below the top
        if (y > H + 18) return; // no room left for another label: the node's tooltip still names it
        lastY = y;
        nodes.append(svg('text', { x: tx, y: y.toFixed(1), 'text-anchor': anchor }, fitted(n.name, ' ' + count(n.total))));
      });
    };
    // A label has the side's width (about 6 px a character): a longer name ("Can't Lose Them
    // (retired)") is cut with an ellipsis rather than run off the view; the tooltip has it whole.
    const fitted = (name, suffix) => {
      const room = Math.floor((side - 8) / 6) - suffix.length;
      return (name.length > room ? name.slice(0, Math.max(1, room - 1)) + '…' : name) + suffix;
    };
    labelled(left, xl, 'end', xl - 4);
    labelled(right, xr, 'start', xr + nodeW + 4);
    root.append(nodes);
  }

  function drawRate(root, rate) {
    clear(root);
    const W = 640, H = 70, top = 12, bottom = 56;
    const points = rate && rate.points ? rate.points : [];
    if (!points.length) {
      root.append(svg('text', { class: 'empty', x: W / 2, y: H / 2, 'text-anchor': 'middle' }, 'no rate yet'));
      return;
    }
    const max = Math.max(1, ...points.map((p) => p.changes || 0));
    const step = W / points.length;
    root.append(svg('line', { class: 'baseline', x1: 0, x2: W, y1: bottom, y2: bottom }));
    points.forEach((p, i) => {
      const h = (bottom - top) * (p.changes || 0) / max;
      root.append(svg('rect', { class: 'bar', x: (i * step).toFixed(1), y: (bottom - h).toFixed(1),
        width: Math.max(1, step - 1).toFixed(1), height: h.toFixed(1) }, tooltip(time(p.at) + ': ' + count(p.changes))));
    });
    root.append(svg('text', { x: 2, y: 10 }, 'max ' + count(max)));
    root.append(svg('text', { x: 0, y: H - 2 }, time(points[0].at).slice(11, 16)));
    root.append(svg('text', { x: W, y: H - 2, 'text-anchor': 'end' }, time(points[points.length - 1].at).slice(11, 16) + ' UTC'));
  }

  // ---- Model ------------------------------------------------------------------------------------

  function renderModel() {
    const m = state.model;
    $('#model-caption').textContent = 'version ' + m.version + ', ' + m.k + ' segments';
    const facts = clear($('#model-facts'));
    const add = (term, ...value) => facts.append(el('dt', null, term), el('dd', null, ...value));
    add('version', el('span', { data: { field: 'version' } }, String(m.version)));
    add('k', el('span', { data: { field: 'k' } }, String(m.k)));
    const cc = m.clusterCount;
    add('why this k', cc
      ? 'k = ' + cc.k + ' chosen in version ' + cc.chosenInVersion + ': the best ' + cc.criterion + ' (silhouette ' + number(cc.silhouette, 3) + ')'
        + (cc.k !== m.k ? '; ' + m.k + ' centres now' : '')
      : 'fixed by the settings (segmenter.model.k): no choice made');
    add('newest data', time(m.createdAt) + ' (event time)');
    const versions = versionList(m);
    const refresh = versions.filter((v) => v.refresh).pop();
    add('last refresh', refresh ? 'version ' + refresh.version + (refresh.createdAt ? ', ' + time(refresh.createdAt) : '')
      : cc ? 'k chosen in version ' + cc.chosenInVersion : '–');
    add('seen here', clock(state.modelSeenAt.get(m.version)) + ' UTC');
    if (m.explanation && m.explanation.fidelity != null) add('rules agree', percent(m.explanation.fidelity, 1) + ' of ' + count(m.explanation.sample) + ' customers');
    drawClusterCount($('#model-k'), cc);
    drawDrift($('#model-drift'), versions);
    renderPredictive(m.predictiveParameters);
  }

  function versionList(m) {
    const list = Array.isArray(m.versions) ? m.versions : [];
    return list.slice().sort((a, b) => a.version - b.version);
  }

  function drawClusterCount(root, cc) {
    clear(root);
    const W = 300, H = 120, bottom = 100;
    if (!cc || !cc.tried || !cc.tried.length) {
      root.append(svg('text', { class: 'empty', x: W / 2, y: H / 2, 'text-anchor': 'middle' }, cc ? 'no k tried' : 'k is fixed'));
      return;
    }
    const max = Math.max(0.01, ...cc.tried.map((t) => t.silhouette || 0));
    const step = W / cc.tried.length;
    cc.tried.forEach((t, i) => {
      const h = (bottom - 14) * Math.max(0, t.silhouette || 0) / max;
      root.append(svg('rect', { class: 'bar' + (t.k === cc.k ? ' chosen' : ''), x: (i * step + 4).toFixed(1), y: (bottom - h).toFixed(1),
        width: Math.max(2, step - 8).toFixed(1), height: h.toFixed(1) }, tooltip('k = ' + t.k + ': silhouette ' + number(t.silhouette, 3))));
      root.append(svg('text', { x: (i * step + step / 2).toFixed(1), y: H - 4, 'text-anchor': 'middle' }, 'k=' + t.k));
      root.append(svg('text', { x: (i * step + step / 2).toFixed(1), y: (bottom - h - 3).toFixed(1), 'text-anchor': 'middle' }, number(t.silhouette, 2)));
    });
  }

  function drawDrift(root, versions) {
    clear(root);
    const W = 300, H = 120, left = 4, right = 296, top = 14, bottom = 100;
    const usable = versions.filter((v) => Number.isFinite(v.maxDrift));
    if (usable.length < 2) {
      root.append(svg('text', { class: 'empty', x: W / 2, y: H / 2, 'text-anchor': 'middle' },
        versions.length ? 'too few versions seen yet' : 'no version history from this server'));
      return;
    }
    const v0 = usable[0].version, v1 = usable[usable.length - 1].version;
    const max = Math.max(1e-9, ...usable.map((v) => v.maxDrift));
    const X = (v) => left + (right - left) * (v1 === v0 ? 0.5 : (v - v0) / (v1 - v0));
    const Y = (d) => bottom - (bottom - top) * d / max;
    const line = (field, cls) => svg('polyline', { class: cls, points: usable.filter((v) => Number.isFinite(v[field]))
      .map((v) => X(v.version).toFixed(1) + ',' + Y(v[field]).toFixed(1)).join(' ') });
    root.append(svg('line', { class: 'baseline', x1: left, x2: right, y1: bottom, y2: bottom }));
    root.append(line('meanDrift', 'line mean'), line('maxDrift', 'line'));
    usable.filter((v) => v.refresh).forEach((v) => root.append(svg('circle', { class: 'dot refresh', cx: X(v.version).toFixed(1), cy: Y(v.maxDrift).toFixed(1), r: 3 },
      tooltip('version ' + v.version + ': k re-chosen'))));
    root.append(svg('text', { x: left, y: 10 }, 'largest move ' + number(max, 3) + ' (standardised units); light: mean'));
    root.append(svg('text', { x: left, y: H - 4 }, 'v' + v0));
    root.append(svg('text', { x: right, y: H - 4, 'text-anchor': 'end' }, 'v' + v1));
  }

  function renderPredictive(p) {
    const body = clear($('#model-predictive tbody'));
    if (!p) {
      body.append(el('tr', null, el('td', null, 'none yet: fitted once enough customers have bought')));
      return;
    }
    const rows = [
      ['source', p.source + (p.fittedInVersion != null ? ', fitted in version ' + p.fittedInVersion : '') + (p.fittedAt ? ' at ' + time(p.fittedAt) : '')],
      ['customers', count(p.customers)],
      ['purchases (BG/NBD)', 'r ' + number(p.r, 4) + ', α ' + number(p.alpha, 4) + ', a ' + number(p.a, 4) + ', b ' + number(p.b, 4)],
      ['spend (Gamma-Gamma)', p.p != null ? 'p ' + number(p.p, 4) + ', q ' + number(p.q, 4) + ', γ ' + number(p.gamma, 4) : 'no spend model'],
      ['value thresholds', 'high ' + money(p.highValue, p.currency) + ', typical ' + money(p.typicalValue, p.currency)],
    ];
    rows.forEach(([k, v]) => body.append(el('tr', null, el('th', { class: '' }, k), el('td', null, v))));
  }

  // ---- Customer lookup --------------------------------------------------------------------------

  function setUpLookup() {
    $('#lookup-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const id = $('#lookup-id').value.trim();
      if (id) lookup(id);
    });
  }

  async function lookup(id) {
    const out = $('#lookup-result');
    out.hidden = false;
    clear(out).append(el('p', { class: 'hint' }, 'looking up…'));
    out.dataset.state = 'loading';
    try {
      const c = await api('/customers/' + encodeURIComponent(id));
      clear(out).append(...customerView(c));
      out.dataset.state = 'found';
    } catch (e) {
      out.dataset.state = 'error';
      let text = 'no answer from the server';
      if (e instanceof ApiError) {
        if (e.status === 401 || e.status === 403) showAccess(e);
        text = e.status === 404 ? 'no customer with this id' : e.status === 401 || e.status === 403
          ? 'needs a token with the reader role' : e.status === 503 ? 'not available right now (rebalancing?), try again' : e.message;
      }
      clear(out).append(el('p', { class: 'warn' }, text));
    }
  }

  function customerView(c) {
    const parts = [];
    const seg = c.segment;
    parts.push(el('p', { class: 'headline' }, seg ? swatch(seg.id) : null,
      el('span', { class: 'segment-name', data: { segmentId: seg ? seg.id : null } }, seg ? seg.name || 'segment ' + seg.id : 'no segment yet'),
      seg && seg.since ? el('span', { class: 'sub' }, 'since ' + time(seg.since)) : null));
    const facts = el('dl');
    const add = (term, value) => facts.append(el('dt', null, term), el('dd', null, value));
    if (c.modelVersion != null) add('model version', String(c.modelVersion));
    if (c.distance != null) add('distance to its centre', number(c.distance, 3));
    if (c.nearest && seg && c.nearest.id !== seg.id) add('nearest centre now', c.nearest.name + ' (' + number(c.nearest.distance, 3) + ')');
    parts.push(facts);

    parts.push(el('h3', null, 'Why'));
    const why = c.why;
    if (!why) {
      parts.push(el('p', { class: 'hint' }, 'no explanation (no model yet)'));
    } else {
      if (why.rule) {
        parts.push(el('p', { class: 'rule' }, why.rule.text,
          el('span', { class: 'sub' }, ' → ' + why.rule.segmentName + ', precision ' + percent(why.rule.precision) + ', tree fidelity ' + percent(why.rule.treeFidelity))));
      }
      const top = why.topFeatures || [];
      if (top.length) {
        parts.push(el('ul', { class: 'top-features' }, top.map((f) => el('li', null,
          label(f.feature) + ': ' + number(f.value, 2) + ' ' + (f.unit || '') + ' (centre ' + number(f.segmentCentre, 2) + '), weight ' + number(f.weight, 2)))));
      }
    }

    parts.push(el('h3', null, 'Scores'));
    const p = c.predictive;
    if (!p) {
      parts.push(el('p', { class: 'hint' }, 'not scored: no order yet, or no predictive parameters'));
    } else {
      const scores = el('dl', { class: 'scores' });
      const s = (term, value) => scores.append(el('dt', null, term), el('dd', null, value));
      const now = p.segmentNow ? label(p.segmentNow).toLowerCase() : null;
      s('predictive segment', (p.label || (p.segment ? label(p.segment).toLowerCase() : 'none stored yet'))
        + (now && p.segmentNow !== p.segment ? ' (the rules give ' + now + ' now)' : ''));
      s('P(alive)', percent(p.pAlive, 1));
      s('expected purchases', number(p.expectedPurchases30d, 2) + ' in 30 days, ' + number(p.expectedPurchases90d, 2) + ' in 90 days');
      s('expected spend per purchase', money(p.expectedAverageSpend, p.currency));
      s('CLV (' + number(p.horizonDays, 0) + ' days)', money(p.clv, p.currency));
      parts.push(scores);
    }

    parts.push(el('h3', null, 'History'));
    if (!Array.isArray(c.history)) {
      parts.push(el('p', { class: 'hint' }, 'no history from this version of segmenter'));
    } else if (!c.history.length) {
      parts.push(el('p', { class: 'hint' }, 'no change recorded'));
    } else {
      const predictive = (h) => {
        const p = h.predictive;
        if (!p || p.from === p.to) return null;
        const name = (x) => (x ? label(x).toLowerCase() : 'none');
        return el('div', { class: 'sub' }, 'predictive: ' + name(p.from) + ' → ' + name(p.to));
      };
      const rows = c.history.map((h) => el('tr', null,
        el('td', null, time(h.at)),
        el('td', null, el('div', null, (h.from ? h.from.name : '(new)') + ' → ' + (h.to ? h.to.name : '(none)')), predictive(h)),
        el('td', null, h.reason || ''),
        el('td', { class: 'num' }, h.modelVersion != null ? 'v' + h.modelVersion : '')));
      parts.push(el('table', { class: 'compact history' },
        el('thead', null, el('tr', null, el('th', null, 'at'), el('th', null, 'change'), el('th', null, 'reason'), el('th', { class: 'num' }, 'model'))),
        el('tbody', null, rows)));
    }
    return parts;
  }

  document.addEventListener('DOMContentLoaded', start);
})();
