/* Fusebox web UI: plain JS, no build step. Data: /fusebox/api/v1 (session cookie + X-CSRF-Token on writes). */
(function () {
  'use strict';
  const API = '/fusebox/api/v1';
  const ROLES = ['viewer', 'driver', 'installer', 'admin'];
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));
  let me = null;          // {user, role, csrfToken}
  let site = null;        // the latest site view
  let stream = null;
  const charts = {};
  // what the page showed and when: read by the browser tests and the latency benchmark
  window.fusebox = { renders: [], lastRender: null, count: 0, site: null };

  // ---------------------------------------------------------------- helpers
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c.nodeType ? c : document.createTextNode(String(c)));
    return e;
  }
  const num = (q, key) => (q && typeof q[key] === 'number') ? q[key] : null;
  const fmt = (v, digits, unit) => v === null || v === undefined ? '–' : v.toFixed(digits) + (unit ? ' ' + unit : '');
  const kw = q => fmt(num(q, 'watts') === null ? null : num(q, 'watts') / 1000, 2, 'kW');
  const kwh = q => fmt(num(q, 'wattHours') === null ? null : num(q, 'wattHours') / 1000, 2, 'kWh');
  const amps = q => fmt(num(q, 'amps'), 1, 'A');
  const money = m => m ? (m.rounded || m.amount) + ' ' + m.currency : '–';
  const time = iso => iso ? new Date(iso).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' }) : '–';
  const roleAtLeast = r => me && ROLES.indexOf(me.role) >= ROLES.indexOf(r);

  async function api(method, path, body) {
    const headers = { 'Accept': 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && method !== 'HEAD' && me && me.csrfToken) headers['X-CSRF-Token'] = me.csrfToken;
    const r = await fetch(path.startsWith('/') ? path : API + '/' + path, {
      method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body)
    });
    let data = null;
    const text = await r.text();
    if (text) { try { data = JSON.parse(text); } catch (e) { data = { error: text }; } }
    if (r.status === 401 && path !== API + '/auth/login') { showLogin('Your session ended; log in again.'); }
    return { status: r.status, ok: r.ok, data: data || {} };
  }

  // ---------------------------------------------------------------- login and pages
  function showLogin(message) {
    me = null;
    if (stream) { stream.close(); stream = null; }
    $('#nav').hidden = true; $('#who').hidden = true; $('#logout').hidden = true;
    $('#login-error').textContent = message || '';
    showPage('login');
  }

  async function start() {
    const r = await api('GET', API + '/auth/me');
    if (r.status !== 200) { showLogin(); return; }
    loggedIn(r.data);
  }

  function loggedIn(data) {
    me = data;
    $('#who').textContent = me.user + ' · ' + me.role;
    $('#who').hidden = false; $('#logout').hidden = me.authenticatedBy && me.authenticatedBy !== 'session';
    $('#nav').hidden = false;
    $$('#nav a').forEach(a => { a.hidden = a.dataset.role ? !roleAtLeast(a.dataset.role) : false; });
    openStream();
    route();
  }

  $('#login-form').addEventListener('submit', async ev => {
    ev.preventDefault();
    $('#login-error').textContent = '';
    const r = await api('POST', API + '/auth/login', { username: $('#login-user').value, password: $('#login-password').value });
    if (r.status === 200) { $('#login-password').value = ''; loggedIn(r.data); }
    else $('#login-error').textContent = r.data.error || ('login failed (' + r.status + ')');
  });

  $('#logout').addEventListener('click', async () => {
    await api('POST', API + '/auth/logout');
    showLogin('Logged out.');
  });

  function showPage(name) {
    $$('.page').forEach(p => { p.hidden = p.id !== 'page-' + name; });
    $$('#nav a').forEach(a => a.classList.toggle('active', a.dataset.page === name));
  }

  const loaders = { flow: renderSite, charts: loadCharts, devices: () => { renderSite(); loadSessions(); }, driver: loadDriver, config: loadConfig, system: loadSystem };
  function route() {
    if (!me) return;
    let page = (location.hash || '#flow').slice(1);
    const link = $('#nav a[data-page="' + page + '"]');
    if (!link || link.hidden) page = 'flow';
    showPage(page);
    (loaders[page] || (() => {}))();
  }
  window.addEventListener('hashchange', route);
  const current = () => (location.hash || '#flow').slice(1);

  // ---------------------------------------------------------------- live site
  function openStream() {
    if (stream) stream.close();
    stream = new EventSource(API + '/stream');
    stream.addEventListener('site', ev => {
      const received = performance.now();
      site = JSON.parse(ev.data);
      renderSite();
      const cur = site.grid && site.grid.reading && site.grid.reading.currents;
      const r = { cycle: site.cycle, at: Date.now(), renderMillis: performance.now() - received, l1: cur ? num(cur.l1, 'amps') : null, n: ++window.fusebox.count };
      window.fusebox.site = site;
      window.fusebox.lastRender = r;
      window.fusebox.renders.push(r);
      if (window.fusebox.renders.length > 500) window.fusebox.renders.shift();
    });
    stream.onopen = () => { $('#stream-state').textContent = 'live'; };
    stream.onerror = async () => {
      $('#stream-state').textContent = 'reconnecting…';
      // a 401 is not visible to EventSource: ask who we are
      const r = await fetch(API + '/auth/me', { credentials: 'same-origin' });
      if (r.status === 401) showLogin('Your session ended; log in again.');
    };
  }

  function renderSite() {
    if (!site) return;
    renderMode();
    const page = current();
    if (page === 'flow') renderFlow();
    else if (page === 'devices') renderDevices();
    else if (page === 'driver') renderDriverSession();
  }

  function renderMode() {
    const s = site.state || {};
    const badge = $('#mode');
    badge.textContent = s.mode || '?';
    badge.className = 'badge ' + (s.mode || '');
    badge.title = (s.reasons || []).join('; ');
    const fs = $('#failsafe');
    fs.hidden = s.mode !== 'FAILSAFE';
    fs.textContent = s.mode === 'FAILSAFE' ? 'Failsafe since ' + time(s.since) + ': ' + ((s.reasons || []).join('; ') || 'no reason given') : '';
  }

  function phaseBar(label, current, fuse, id) {
    const a = num(current, 'amps');
    const f = num(fuse, 'amps') || 1;
    const pct = a === null ? 0 : Math.min(100, Math.abs(a) / f * 100);
    const cls = a === null ? '' : a < 0 ? 'export' : Math.abs(a) > f ? 'over' : Math.abs(a) > 0.9 * f ? 'high' : '';
    return el('div', { class: 'phase', id },
      el('span', { text: label }),
      el('div', { class: 'bar ' + cls, title: (a === null ? '?' : a.toFixed(1)) + ' A of ' + f + ' A' },
        el('i', { style: 'width:' + pct.toFixed(1) + '%' })),
      el('span', { class: 'value', 'data-amps': a === null ? '' : a.toFixed(3), text: fmt(a, 1, 'A') + ' / ' + f }));
  }

  function renderFlow() {
    const g = site.grid, lim = site.limits || {};
    const gp = g && g.reading ? num(g.reading.power, 'watts') : null;
    $('#grid-power').textContent = gp === null ? 'no reading' : (gp >= 0 ? 'import ' : 'export ') + fmt(Math.abs(gp) / 1000, 2, 'kW');
    const phases = $('#grid-phases');
    phases.replaceChildren();
    const cur = g && g.reading && g.reading.currents;
    ['l1', 'l2', 'l3'].forEach((p, i) => {
      if (i < (lim.phases || 3)) phases.append(phaseBar(p.toUpperCase(), cur ? cur[p] : null, lim.fuseLimit, 'grid-' + p));
    });
    $('#grid-limits').textContent = 'Fuse ' + amps(lim.fuseLimit) + ' per phase, planning to ' + amps(lim.planningLimit)
      + (g ? ' · ' + g.status.state + (g.status.reason ? ' (' + g.status.reason + ')' : '') : ' · no grid meter');

    let pvSum = 0;
    $('#pv-list').replaceChildren(...(site.pv || []).map(p => {
      const w = p.reading ? num(p.reading.power, 'watts') : null; pvSum += w || 0;
      return el('dl', { class: 'kv' }, el('dt', { text: p.name || p.id }), el('dd', { text: kw(p.reading && p.reading.power) + ' of ' + kw(p.ratedPower) }),
        el('dt', { text: 'limit' }), el('dd', { text: kw(p.reading && p.reading.outputLimit) }));
    }));
    if (!(site.pv || []).length) $('#pv-list').replaceChildren(el('p', { class: 'muted', text: 'no PV' }));
    $('#pv-power').textContent = (site.pv || []).length ? fmt(pvSum / 1000, 2, 'kW') : '';

    let batSum = 0;
    $('#battery-list').replaceChildren(...(site.batteries || []).map(b => {
      const r = b.reading || {}; batSum += num(r.power, 'watts') || 0;
      const soc = num(r.soc, 'percent');
      return el('div', {},
        el('div', { class: 'phase' }, el('span', { text: 'SoC' }),
          el('div', { class: 'bar' }, el('i', { style: 'width:' + (soc || 0).toFixed(1) + '%' }),
            el('b', { style: 'left:' + (num(lim.batteryMinSoc, 'percent') || 0) + '%', title: 'minimum SoC' })),
          el('span', { class: 'value', id: 'battery-soc', text: fmt(soc, 1, '%') })),
        el('dl', { class: 'kv' }, el('dt', { text: b.name || b.id }),
          el('dd', { text: (num(r.power, 'watts') || 0) >= 0 ? 'charging ' + kw(r.power) : 'discharging ' + kw({ watts: -num(r.power, 'watts') }) }),
          el('dt', { text: 'capacity' }), el('dd', { text: kwh(b.ratings && b.ratings.capacity) })));
    }));
    if (!(site.batteries || []).length) $('#battery-list').replaceChildren(el('p', { class: 'muted', text: 'no battery' }));
    $('#battery-power').textContent = (site.batteries || []).length ? fmt(batSum / 1000, 2, 'kW') : '';

    const evs = [];
    for (const c of site.chargers || []) {
      for (const k of c.connectors || []) {
        const r = k.reading || {}, s = r.session;
        const total = r.currents ? Math.max(...['l1', 'l2', 'l3'].map(p => num(r.currents[p], 'amps') || 0)) : null;
        evs.push(el('div', { class: 'ev', id: 'ev-' + c.id + '-' + k.connectorId },
          el('h3', {}, el('span', { text: (c.name || c.id) + ' #' + k.connectorId }), el('span', { class: 'state-' + (r.state || ''), text: r.state || c.status.state })),
          el('dl', { class: 'kv' },
            el('dt', { text: 'current' }), el('dd', { text: fmt(total, 1, 'A') + ' (limit ' + amps(r.currentLimit) + ')' }),
            el('dt', { text: 'power' }), el('dd', { text: kw(r.power) }),
            el('dt', { text: 'energy' }), el('dd', { text: s ? kwh(s.delivered) + (s.energyRequested ? ' of ' + kwh(s.energyRequested) : '') : '–' }),
            el('dt', { text: 'departure' }), el('dd', { text: s ? time(s.departure) : '–' }),
            k.pausedBecause ? [el('dt', { text: 'paused' }), el('dd', { text: k.pausedBecause })] : null)));
      }
    }
    $('#ev-list').replaceChildren(...(evs.length ? evs : [el('p', { class: 'muted', text: 'no chargers' })]));
    $('#cycle').textContent = site.cycle;
    $('#cycle-time').textContent = time(site.timestamp);
  }

  // ---------------------------------------------------------------- devices
  function devicesOf(s) {
    const list = [];
    if (s.grid) list.push({ id: s.grid.id, name: s.grid.name, kind: 'grid meter', status: s.grid.status, readAt: s.grid.reading && s.grid.reading.timestamp });
    (s.pv || []).forEach(p => list.push({ id: p.id, name: p.name, kind: 'PV', status: p.status, readAt: p.reading && p.reading.timestamp }));
    (s.batteries || []).forEach(b => list.push({ id: b.id, name: b.name, kind: 'battery', status: b.status, readAt: b.reading && b.reading.timestamp }));
    (s.chargers || []).forEach(c => list.push({ id: c.id, name: c.name, kind: 'charger', status: c.status, readAt: c.readAt }));
    return list;
  }

  function renderDevices() {
    const at = new Date(site.timestamp).getTime();
    const writes = site.writeResults || {};
    $('#devices-table tbody').replaceChildren(...devicesOf(site).map(d => {
      const w = Object.entries(writes).filter(([k]) => k === d.id || k.startsWith(d.id + '/'))
        .map(([k, v]) => k + ': ' + v.outcome + (v.detail ? ' (' + v.detail + ')' : ''));
      const age = d.readAt ? Math.max(0, (at - new Date(d.readAt).getTime()) / 1000) : null;
      return el('tr', { 'data-device': d.id },
        el('td', {}, el('strong', { text: d.name || d.id }), el('div', { class: 'muted', text: d.kind + ' · ' + d.id })),
        el('td', { class: 'state-' + d.status.state, text: d.status.state }),
        el('td', { text: d.status.reason || '' }),
        el('td', { text: age === null ? 'never read' : age.toFixed(1) + ' s' }),
        el('td', { text: w.join('; ') || '–' }));
    }));
    const rows = [];
    for (const c of site.chargers || []) for (const k of c.connectors || []) {
      const s = k.reading && k.reading.session;
      const m = k.metered;
      if (s) rows.push(el('tr', {}, el('td', { text: c.id + ' #' + k.connectorId }), el('td', { text: s.sessionId || '–' }),
        el('td', { text: time(s.startedAt) }), el('td', { text: kwh(s.delivered) }), el('td', { text: kwh(s.remaining) }), el('td', { text: time(s.departure) }),
        el('td', { text: m && m.cost ? money(m.cost) + (m.costComplete ? '' : ' (incomplete)') : '–' })));
    }
    $('#sessions').replaceChildren(rows.length ? el('div', { class: 'scroll' }, el('table', {},
      el('thead', {}, el('tr', {}, ['Connector', 'Session', 'Started', 'Delivered', 'Remaining', 'Departure', 'Cost so far'].map(h => el('th', { text: h })))),
      el('tbody', {}, rows))) : el('p', { class: 'empty', text: 'No EV is charging.' }));
  }

  // the sessions fusebox-sessions recorded (the last 7 days), with their metered energy and cost
  async function loadSessions() {
    const box = $('#recorded-sessions');
    const r = await api('GET', API + '/sessions');
    if (r.status === 503 || r.status === 404) {
      box.replaceChildren(el('p', { class: 'empty', id: 'sessions-empty', text: 'No session records: fusebox-sessions is not installed.' }));
      return;
    }
    const list = ((r.data && r.data.sessions) || []).slice().reverse().slice(0, 50);
    if (!r.ok || !list.length) {
      box.replaceChildren(el('p', { class: 'empty', text: r.ok ? 'No session in the last 7 days.' : (r.data.error || 'Sessions could not be read.') }));
      return;
    }
    box.replaceChildren(el('div', { class: 'scroll' }, el('table', { id: 'recorded-table' },
      el('thead', {}, el('tr', {}, ['Connector', 'Driver', 'Started', 'Ended', 'Status', 'Energy', 'Cost'].map(h => el('th', { text: h })))),
      el('tbody', {}, list.map(s => el('tr', {}, el('td', { text: s.chargerId + ' #' + s.connectorId }), el('td', { text: s.idTag || '–' }),
        el('td', { text: time(s.start) }), el('td', { text: s.end ? time(s.end) : '–' }), el('td', { class: 'state-' + s.status, text: s.status }),
        el('td', { text: kwh(s.energy) }), el('td', { text: money(s.cost) + (s.costComplete ? '' : ' (incomplete)') })))))));
  }

  // ---------------------------------------------------------------- charts
  function chart(id, opts, data) {
    const host = $('#' + id);
    if (charts[id]) { charts[id].destroy(); delete charts[id]; }
    host.replaceChildren();
    const width = Math.max(280, host.clientWidth || 600);
    charts[id] = new uPlot(Object.assign({ width, height: 220 }, opts), data, host);
  }

  const slotEnds = s => new Date(s.start).getTime() / 1000 + (num(s.length, 'millis') || 0) / 1000;

  async function loadCharts() {
    if (!site) { setTimeout(loadCharts, 500); return; }
    const prices = site.prices || [];
    if (prices.length) {
      const xs = prices.map(p => new Date(p.start).getTime() / 1000);
      xs.push(slotEnds(prices[prices.length - 1]));
      const ys = prices.map(p => Number((p.perMegawattHour || p.price || {}).amount) / 10);
      ys.push(ys[ys.length - 1]);
      const series = [{}, { label: 'price (ct/kWh, ' + ((prices[0].perMegawattHour || {}).currency || '') + ')', stroke: '#1f6feb', width: 2, paths: uPlot.paths.stepped({ align: 1 }) }];
      const data = [xs, ys];
      const extra = ['spot', 'export'].filter(k => prices.some(p => p[k] && p[k].amount !== undefined));
      extra.forEach((k, i) => { series.push({ label: k, stroke: ['#8250df', '#1a7f37'][i], paths: uPlot.paths.stepped({ align: 1 }) });
        const v = prices.map(p => p[k] ? Number(p[k].amount) / 10 : null); v.push(v[v.length - 1]); data.push(v); });
      chart('chart-prices', { series, axes: [{}, { label: 'ct/kWh' }] }, data);
      const sources = [...new Set(prices.map(p => p.source).filter(Boolean))];
      $('#prices-note').textContent = prices.length + ' slots to ' + time(new Date(xs[xs.length - 1] * 1000).toISOString())
        + (sources.length ? ' · sources: ' + sources.join(', ') : '');
    } else {
      $('#chart-prices').replaceChildren(el('p', { class: 'empty', text: 'No prices: no price feed is installed, or it has none for now.' }));
      $('#prices-note').textContent = '';
    }
    const lines = [];
    for (const plan of site.plans || []) for (const l of plan.lines || []) lines.push(Object.assign({ optimiser: plan.optimiser }, l));
    if (lines.length) {
      const times = new Set();
      lines.forEach(l => (l.slots || []).forEach(s => { times.add(new Date(s.start).getTime() / 1000); times.add(slotEnds(s)); }));
      const xs = [...times].sort((a, b) => a - b);
      const palette = ['#1f6feb', '#cf222e', '#1a7f37', '#8250df', '#bf8700', '#0a7ea4'];
      const series = [{}], data = [xs];
      lines.forEach((l, i) => {
        series.push({ label: l.device + (l.connector ? ' #' + l.connector : '') + ' (' + l.optimiser + ')', stroke: palette[i % palette.length], width: 2, paths: uPlot.paths.stepped({ align: 1 }) });
        data.push(xs.map(x => { const s = (l.slots || []).find(s => new Date(s.start).getTime() / 1000 <= x && x < slotEnds(s)); return s ? num(s.power, 'watts') / 1000 : 0; }));
      });
      chart('chart-plans', { series, axes: [{}, { label: 'kW' }] }, data);
    } else {
      $('#chart-plans').replaceChildren(el('p', { class: 'empty', text: 'No plans: no planning optimiser (EV deadline, battery) is running, or it has nothing to plan.' }));
    }
    $('#plans-table').replaceChildren(...(site.plans || []).map(p => el('div', {},
      el('p', {}, el('strong', { text: p.optimiser }), ' · expected cost ' + money(p.expectedCost) + ' · computed ' + time(p.computedAt)),
      el('div', { class: 'scroll' }, el('table', {}, el('tbody', {}, (p.lines || []).map(l => el('tr', {},
        el('td', { text: l.device + (l.connector ? ' #' + l.connector : '') }), el('td', { text: kwh(l.planned) + (l.wanted ? ' of ' + kwh(l.wanted) : '') }),
        el('td', { text: l.deadline ? 'by ' + time(l.deadline) : '' }), el('td', { text: money(l.expectedCost) }),
        el('td', { class: l.targetMet === false ? 'error' : '', text: l.note || '' })))))))));
    loadHistory('day');
  }

  const HISTORY_SPANS = { hour: 3600, day: 86400, week: 7 * 86400 };
  const HISTORY_SERIES = ['grid.power', 'pv.power', 'battery.power', 'ev.power'];

  async function loadHistory(range) {
    const from = new Date(Date.now() - (HISTORY_SPANS[range] || HISTORY_SPANS.day) * 1000).toISOString();
    const r = await api('GET', API + '/history?series=' + HISTORY_SERIES.join(',') + '&from=' + encodeURIComponent(from));
    if (r.status === 404 || r.status === 405) {
      $('#chart-history').replaceChildren(el('p', { class: 'empty', id: 'history-empty', text: 'History is not available on this gateway (no history bundle installed).' }));
      $('#history-note').textContent = '';
      $('#history-ranges').hidden = true;
      return;
    }
    $('#history-ranges').hidden = false;
    // {timestamps: [iso, ...], series: [{name, unit, values: [number|null, ...]}]}, one value per timestamp
    const stamps = (r.data && r.data.timestamps) || [];
    const series = (r.data && r.data.series) || [];
    if (!r.ok || !stamps.length || !series.length) {
      $('#chart-history').replaceChildren(el('p', { class: 'empty', text: r.ok ? 'No history recorded yet.' : (r.data.error || 'History could not be read.') }));
      return;
    }
    const data = [stamps.map(t => new Date(t).getTime() / 1000)], defs = [{}];
    series.forEach((s, i) => {
      defs.push({ label: s.name + (s.unit ? ' (' + s.unit + ')' : ''), stroke: ['#1f6feb', '#bf8700', '#1a7f37', '#8250df', '#cf222e'][i % 5] });
      data.push(s.values || []);
    });
    chart('chart-history', { series: defs }, data);
    $('#history-note').textContent = range + ', ' + (r.data.resolution || '');
  }
  $$('#history-ranges button').forEach(b => b.addEventListener('click', () => loadHistory(b.dataset.range)));

  // ---------------------------------------------------------------- driver
  function connectors() {
    const out = [];
    for (const c of (site && site.chargers) || []) for (const k of c.connectors || []) out.push({ charger: c, connector: k });
    return out;
  }

  function loadDriver() {
    if (!site) { setTimeout(loadDriver, 500); return; }
    const sel = $('#driver-connector');
    const before = sel.value;
    sel.replaceChildren(...connectors().map(({ charger, connector }) => el('option', {
      value: charger.id + '/' + connector.connectorId,
      text: (charger.name || charger.id) + ' #' + connector.connectorId + ' · ' + ((connector.reading && connector.reading.state) || charger.status.state)
    })));
    if (before) sel.value = before;
    if (!sel.value) { const plugged = connectors().find(x => x.connector.reading && x.connector.reading.session); if (plugged) sel.value = plugged.charger.id + '/' + plugged.connector.connectorId; }
    const dep = $('#driver-departure');
    if (!dep.value) {
      const d = new Date(new Date(site.timestamp).getTime() + 8 * 3600e3);
      d.setMinutes(0, 0, 0);
      dep.value = new Date(d.getTime() - d.getTimezoneOffset() * 60e3).toISOString().slice(0, 16);
    }
    renderDriverSession();
  }
  $('#driver-connector').addEventListener('change', renderDriverSession);

  async function renderDriverSession() {
    const v = $('#driver-connector').value;
    const found = connectors().find(x => x.charger.id + '/' + x.connector.connectorId === v);
    const box = $('#driver-session');
    if (!found) { box.textContent = 'Pick a connector.'; return; }
    const r = found.connector.reading || {}, s = r.session;
    if (!s) { box.textContent = 'No EV is plugged in at this connector.'; return; }
    let cost = '–';
    const plan = (site.plans || []).flatMap(p => p.lines || []).find(l => l.device === found.charger.id && l.connector === found.connector.connectorId);
    if (plan) cost = money(plan.expectedCost) + ' expected for the plan';
    const metered = found.connector.metered;
    if (metered && metered.cost) cost = money(metered.cost) + ' so far' + (metered.costComplete ? '' : ' (some slots without a price)');
    box.replaceChildren(el('dl', { class: 'kv', id: 'driver-session-kv' },
      el('dt', { text: 'state' }), el('dd', { text: r.state }),
      el('dt', { text: 'delivered' }), el('dd', { text: kwh(s.delivered) + (found.connector.metered ? ' (metered ' + kwh(found.connector.metered.energy) + ')' : '') }),
      el('dt', { text: 'requested' }), el('dd', { id: 'driver-requested', text: kwh(s.energyRequested) }),
      el('dt', { text: 'departure' }), el('dd', { text: time(s.departure) }),
      el('dt', { text: 'cost' }), el('dd', { text: cost }),
      found.connector.pausedBecause ? [el('dt', { text: 'paused' }), el('dd', { text: found.connector.pausedBecause })] : null));
  }

  $('#driver-form').addEventListener('submit', async ev => {
    ev.preventDefault();
    const [charger, connector] = $('#driver-connector').value.split('/');
    const departure = new Date($('#driver-departure').value).toISOString();
    const res = $('#driver-result');
    res.replaceChildren('Sending…');
    const r = await api('POST', API + '/chargers/' + encodeURIComponent(charger) + '/' + connector + '/request',
      { energyKwh: Number($('#driver-energy').value), departure });
    if (r.status === 202) {
      res.replaceChildren(el('p', { class: 'ok', id: 'driver-accepted', text: 'Accepted: ' + kwh(r.data.energy) + ' by ' + time(r.data.departure) }));
    } else {
      res.replaceChildren(el('p', { class: 'error', id: 'driver-refused', text: r.data.error || ('refused (' + r.status + ')') }),
        el('ul', {}, (r.data.problems || []).map(p => el('li', { class: 'error', text: p }))));
    }
  });

  // ---------------------------------------------------------------- configuration
  let components = [];
  async function loadConfig() {
    const r = await api('GET', API + '/configurations');
    if (!r.ok) { $('#config-list').replaceChildren(el('li', { class: 'error', text: r.data.error || 'not available' })); return; }
    components = r.data.components || [];
    $('#config-list').replaceChildren(...components.map(c => el('li', {}, el('a', {
      href: '#config', 'data-pid': c.pid, title: c.form.description || '', text: c.form.name + (c.factoryPid ? ' (' + c.pid.split('~').pop() + ')' : ''),
      onclick: e => { e.preventDefault(); openForm(c.pid); }
    }))));
    loadSnapshots();
  }

  function openForm(pid) {
    const c = components.find(x => x.pid === pid);
    $$('#config-list a').forEach(a => a.classList.toggle('active', a.dataset.pid === pid));
    const form = $('#config-form');
    const values = c.values || {};
    form.replaceChildren(el('h2', {}, el('span', { text: c.form.name }), el('code', { class: 'muted', text: c.pid })),
      el('p', { class: 'muted', text: (c.form.description || '') + (c.values ? '' : ' · not configured: the defaults apply') }),
      ...c.form.fields.map(f => field(f, values[f.id])),
      el('div', { class: 'buttons' }, el('button', { type: 'submit', id: 'config-save' }, 'Apply'),
        el('button', { type: 'button', class: 'secondary', onclick: () => openForm(pid) }, 'Reset')),
      el('div', { id: 'config-result', role: 'status' }));
    form.dataset.pid = pid;
  }

  function field(f, value) {
    const id = 'cfg-' + f.id;
    const has = value !== undefined && value !== null;
    const shown = has ? value : (f.default.length ? f.default[0] : '');
    let input;
    if (f.cardinality !== 0) {
      input = el('textarea', { id, name: f.id, rows: 3, placeholder: 'one value a line' });
      input.value = Array.isArray(shown) ? shown.join('\n') : String(shown).split(',').map(x => x.trim()).filter(Boolean).join('\n');
    } else if (f.options.length) {
      input = el('select', { id, name: f.id }, f.required ? null : el('option', { value: '', text: '(default)' }),
        f.options.map(o => el('option', { value: o.value, text: o.label })));
      input.value = has ? String(value) : '';
    } else if (f.type === 'boolean') {
      input = el('select', { id, name: f.id }, el('option', { value: '', text: '(default: ' + (f.default[0] || 'false') + ')' }),
        el('option', { value: 'true', text: 'true' }), el('option', { value: 'false', text: 'false' }));
      input.value = has ? String(value) : '';
    } else {
      input = el('input', { id, name: f.id, type: f.type === 'password' ? 'password' : 'text', inputmode: f.type === 'integer' ? 'numeric' : f.type === 'decimal' ? 'decimal' : null,
        placeholder: f.default.length ? 'default ' + f.default[0] : '' });
      input.value = has ? String(value) : '';
    }
    input.dataset.field = f.id;
    return el('label', { 'data-field-label': f.id }, f.name + (f.required && !f.default.length ? ' *' : ''), el('span', { class: 'muted' }, ' ', f.id), input,
      el('span', { class: 'muted', text: f.description || '' }), el('div', { class: 'field-error', id: 'err-' + f.id }));
  }

  $('#config-form').addEventListener('submit', async ev => {
    ev.preventDefault();
    const form = $('#config-form');
    const pid = form.dataset.pid;
    const properties = {};
    $$('[data-field]', form).forEach(i => {
      if (i.tagName === 'TEXTAREA') properties[i.dataset.field] = i.value.split('\n').map(x => x.trim()).filter(Boolean);
      else if (i.value !== '') properties[i.dataset.field] = i.value;
    });
    $$('.field-error', form).forEach(e => { e.textContent = ''; });
    $$('.invalid', form).forEach(e => e.classList.remove('invalid'));
    const r = await api('PUT', API + '/configurations/' + encodeURIComponent(pid), { properties });
    const res = $('#config-result');
    if (r.ok) {
      res.replaceChildren(el('p', { class: 'ok', id: 'config-applied', text: 'Applied' + (r.data.snapshot ? ' (snapshot ' + r.data.snapshot + ' taken first)' : '') }),
        ...(r.data.notes || []).map(n => el('p', { class: 'muted', text: n })));
      const fresh = await api('GET', API + '/configurations');
      if (fresh.ok) components = fresh.data.components || components;
      loadSnapshots();
      return;
    }
    const general = [];
    for (const p of (r.data.problems || [r.data.error || 'refused'])) {
      // a problem names its key: "fusebox.core: fuseLimitAmps: ..." or "fuseLimitAmps: ..."
      const f = $$('[data-field]', form).find(i => new RegExp('(^|[\\s:\'"])' + i.dataset.field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '([\\s:\'"=]|$)').test(p));
      if (f) { f.classList.add('invalid'); $('#err-' + f.dataset.field).textContent = p; } else general.push(p);
    }
    res.replaceChildren(el('p', { class: 'error', id: 'config-refused', text: 'Refused, nothing was changed.' }), el('ul', {}, general.map(p => el('li', { class: 'error', text: p }))));
  });

  async function loadSnapshots() {
    const r = await api('GET', API + '/snapshots');
    const list = (r.data.snapshots || []).slice().reverse();
    $('#snapshots-table tbody').replaceChildren(...(list.length ? list.map(s => el('tr', {},
      el('td', { text: time(s.created) }), el('td', { text: s.reason }), el('td', { text: s.configurations }),
      el('td', {}, el('button', { type: 'button', class: 'secondary', onclick: () => rollback(s) }, 'Roll back')))) :
      [el('tr', {}, el('td', { colspan: 4, class: 'muted', text: 'No snapshots yet.' }))]));
  }

  async function rollback(s) {
    if (!confirm('Make the site configuration what it was at ' + time(s.created) + '?')) return;
    const r = await api('POST', API + '/snapshots/' + encodeURIComponent(s.id) + '/rollback');
    $('#snapshot-result').replaceChildren(el('span', { class: r.ok ? 'ok' : 'error', text: r.ok ? 'Rolled back to ' + s.id : (r.data.problems || [r.data.error]).join('; ') }));
    loadConfig();
  }

  $('#snapshot-take').addEventListener('click', async () => {
    const r = await api('POST', API + '/snapshots', { reason: 'taken in the web UI by ' + me.user });
    $('#snapshot-result').replaceChildren(el('span', { class: r.ok ? 'ok' : 'error', text: r.ok ? 'Snapshot ' + r.data.id + ' taken' : r.data.error }));
    loadSnapshots();
  });

  // ---------------------------------------------------------------- system
  async function loadSystem() {
    const [f, b, o] = await Promise.all([api('GET', API + '/features'), api('GET', API + '/bundles'), api('GET', API + '/operations')]);
    $('#features-table tbody').replaceChildren(...((f.data.features || []).map(x => el('tr', { 'data-feature': x.name },
      el('td', {}, el('strong', { text: x.name }), el('div', { class: 'muted', text: x.description || '' })),
      el('td', { text: x.version }), el('td', { class: 'state-' + x.state, text: x.installed ? x.state : 'not installed' }),
      el('td', {}, el('button', { type: 'button', class: x.installed ? 'secondary' : '', onclick: ev => changeFeature(ev.target, x) }, x.installed ? 'Uninstall' : 'Install'))))));
    if (!f.ok) $('#feature-result').textContent = f.data.error || '';
    $('#bundles-table tbody').replaceChildren(...((b.data.bundles || []).map(x => el('tr', {},
      el('td', { text: x.symbolicName }), el('td', { text: x.version }), el('td', { class: 'state-' + x.state, text: x.state }),
      el('td', {}, (x.health || []).map(h => el('div', { class: 'state-' + h.status, text: h.name + ': ' + h.status + (h.details.length ? ' (' + h.details.join('; ') + ')' : '') })),
        (x.components || []).filter(c => c.state !== 'ACTIVE' && c.state !== 'SATISFIED').map(c => el('div', { class: 'state-' + c.state, text: c.name.split('.').pop() + ': ' + c.state + (c.failure ? ' ' + c.failure : '') })))))));
    const ops = $('#operations');
    if (!o.data.available) ops.replaceChildren(el('p', { class: 'empty', text: o.data.note || o.data.error || 'not available' }));
    else {
      const rep = o.data.report || {};
      const errors = rep.errors || [];
      ops.replaceChildren(el('p', { text: 'Management: ' + ((rep.health && rep.health.status) || o.data.status) }),
        errors.length ? el('ul', {}, errors.map(e => el('li', { class: 'error', text: (e.time || e.at || '') + ' ' + (e.operation || '') + ' ' + (e.name || '') + ': ' + (e.reason || e.message || JSON.stringify(e)) })))
          : el('p', { class: 'muted', text: 'No failed operation recorded.' }),
        el('details', {}, el('summary', { text: 'Full status' }), el('pre', { text: JSON.stringify(rep, null, 2) })));
    }
  }

  async function changeFeature(button, x) {
    const verb = x.installed ? 'Uninstall' : 'Install';
    if (!confirm(verb + ' ' + x.name + '?')) return;
    button.disabled = true; button.textContent = verb + 'ing…';
    const r = await api(x.installed ? 'DELETE' : 'POST', API + '/features/' + encodeURIComponent(x.name));
    $('#feature-result').replaceChildren(el('span', { class: r.ok ? 'ok' : 'error', id: 'feature-outcome', text: r.ok ? x.name + (r.data.installed ? ' installed' : ' uninstalled') : r.data.error }));
    loadSystem();
  }

  window.addEventListener('resize', () => { if (current() === 'charts' && site) loadCharts(); });
  start();
})();
