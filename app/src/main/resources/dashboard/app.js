// leadsync dashboard: reads the admin API with the session of a token sign-in. Builds every element with
// textContent, never HTML from data; sends the session's CSRF value with every call that changes something. The API
// leaves out empty lists, maps and nulls, so every field read here has a fallback.
'use strict';

let session = null;

const $ = (id) => document.getElementById(id);

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function row(cells) {
  const tr = document.createElement('tr');
  for (const cell of cells) {
    const td = document.createElement('td');
    if (cell instanceof Node) td.appendChild(cell); else td.textContent = cell === null || cell === undefined ? '' : String(cell);
    tr.appendChild(td);
  }
  return tr;
}

async function api(path, options = {}) {
  const headers = Object.assign({'Accept': 'application/json'}, options.headers || {});
  if (options.method && options.method !== 'GET' && session) headers['X-CSRF-Token'] = session.csrf;
  const response = await fetch(path, Object.assign({credentials: 'same-origin'}, options, {headers}));
  if (response.status === 401) { showSignIn(); throw new Error('signed out'); }
  const body = response.headers.get('content-type') && response.headers.get('content-type').includes('json')
    ? await response.json() : await response.text();
  if (!response.ok && response.status !== 409) throw new Error((body && body.detail) || response.statusText);
  return body;
}

function isAdmin() { return session && session.roles.includes('admin'); }

function showSignIn() {
  session = null;
  $('main').hidden = true;
  $('sign-out').hidden = true;
  $('who').textContent = '';
  $('sign-in-panel').hidden = false;
}

async function signIn(event) {
  event.preventDefault();
  const token = $('token').value;
  $('token').value = '';
  const response = await fetch('/dashboard/sign-in', {method: 'POST', credentials: 'same-origin',
    headers: {'Content-Type': 'application/json'}, body: JSON.stringify({token})});
  const body = await response.json();
  if (!response.ok) { $('sign-in-error').textContent = body.detail || 'sign-in refused'; return; }
  $('sign-in-error').textContent = '';
  start(body);
}

async function signOut() {
  await fetch('/dashboard/sign-out', {method: 'POST', credentials: 'same-origin'});
  showSignIn();
}

function start(who) {
  session = who;
  $('sign-in-panel').hidden = true;
  $('main').hidden = false;
  $('sign-out').hidden = false;
  $('who').textContent = who.name + ' (' + (isAdmin() ? 'admin' : 'read') + ')';
  refresh();
}

function counts(run, stage, counter) {
  const scopes = (run.counts && run.counts[stage]) || {};
  return Object.values(scopes).reduce((sum, scope) => sum + (scope[counter] || 0), 0);
}

function bars(container, entries) {
  container.replaceChildren();
  const max = Math.max(1, ...entries.map(([, n]) => n));
  for (const [label, n] of entries) {
    const bar = el('div', null, 'bar');
    bar.appendChild(el('span', label));
    const fill = el('span', null, 'fill');
    fill.style.width = Math.max(2, Math.round(200 * n / max)) + 'px';
    bar.appendChild(fill);
    bar.appendChild(el('span', n));
    container.appendChild(bar);
  }
}

async function refresh() {
  await Promise.all([loadJobs(), loadRuns(), loadSummary(), loadConnectors(), loadDeadLetters()]);
}

async function loadJobs() {
  const jobs = await api('/api/jobs');
  const body = $('jobs').tBodies[0];
  body.replaceChildren();
  for (const job of jobs) {
    const actions = el('span');
    if (isAdmin()) {
      const run = el('button', 'Run now');
      run.dataset.job = job.name;
      run.className = 'run-now';
      run.addEventListener('click', () => trigger(job.name, 'run'));
      const dry = el('button', 'Dry run');
      dry.addEventListener('click', () => trigger(job.name, 'dry-run?wait=false'));
      actions.append(run, ' ', dry);
    }
    const schedule = (job.schedule || 'on demand') + (job.paused ? ' (paused)' : '');
    body.appendChild(row([job.name, schedule, job.nextFireTime || '-', (job.sources || []).concat(job.sinks || [])
      .filter((v, i, a) => a.indexOf(v) === i).join(', '), actions]));
  }
}

async function trigger(job, what) {
  const answer = await api('/api/jobs/' + encodeURIComponent(job) + '/' + what, {method: 'POST'});
  $('job-message').textContent = answer.message || answer.detail || '';
  await loadRuns();
  pollRuns();
}

let polling = null;
function pollRuns() {
  if (polling) return;
  polling = setInterval(async () => {
    const runs = await loadRuns();
    if (!runs.some((run) => run.status === 'RUNNING')) {
      clearInterval(polling);
      polling = null;
      refresh();
    }
  }, 1000);
}

async function loadRuns() {
  const runs = await api('/api/runs?limit=20');
  const body = $('runs').tBodies[0];
  body.replaceChildren();
  for (const run of runs) {
    const gaps = Object.entries(run.completeness || {}).map(([stream, c]) =>
      stream + ': ' + (c.status || '?') + (c.missing ? ' (' + c.missing + ' missing)' : ''));
    const tr = row([run.runId, run.job + (run.mode && run.mode !== 'sync' ? ' (' + run.mode + ')' : ''),
      el('span', run.status, 'status-' + run.status), (run.startedAt || '').substring(0, 19).replace('T', ' '),
      run.durationMillis === undefined || run.durationMillis === null ? '-' : (run.durationMillis / 1000).toFixed(1),
      counts(run, 'pull', 'received'), counts(run, 'score', 'changed'),
      counts(run, 'push', 'written') || counts(run, 'push', 'wouldWrite'),
      counts(run, 'calls', 'attempts'), gaps.join('; '), (run.problems || []).join('; ')]);
    tr.dataset.run = run.runId;
    tr.dataset.status = run.status;
    body.appendChild(tr);
  }
  return runs;
}

async function loadSummary() {
  const summary = await api('/api/dashboard');
  bars($('score-bands'), Object.entries(summary.scoreBands || {}));
  bars($('grades'), Object.entries(summary.grades || {}));
  const reasons = $('top-reasons');
  reasons.replaceChildren();
  for (const reason of summary.topReasons || []) reasons.appendChild(el('li', reason.criterion + ' — ' + reason.profiles + ' profiles'));
  const conversion = Object.entries(summary.conversionByBand || {});
  if (conversion.length === 0) {
    $('conversion').textContent = 'No outcome configured (leadsync.scoring.outcome), or none known yet.';
  } else {
    bars($('conversion'), conversion.map(([band, c]) => [band, Math.round(100 * c.converted / Math.max(1, c.known))]));
  }
  $('reviews-waiting').textContent = summary.identityReviewsWaiting || 0;
  $('dead-letters-open').textContent = summary.deadLettersOpen || 0;
}

async function loadConnectors() {
  const connectors = await api('/api/connectors');
  const body = $('connectors').tBodies[0];
  body.replaceChildren();
  const warnings = $('budget-warnings');
  warnings.replaceChildren();
  for (const c of connectors) {
    body.appendChild(row([c.name + ' (' + c.type + ')', el('span', c.status, 'status-' + c.status),
      c.lastSuccess ? c.lastSuccess.substring(0, 19).replace('T', ' ') : '-', c.budget.usedToday,
      c.budget.dailyAllowance === undefined || c.budget.dailyAllowance === null ? 'not set'
        : c.budget.dailyAllowance]));
    for (const w of c.budget.warnings || []) warnings.appendChild(el('li', w));
  }
}

async function loadDeadLetters() {
  const letters = await api('/api/dead-letters?limit=20');
  const body = $('dead-letters').tBodies[0];
  body.replaceChildren();
  for (const letter of letters) {
    const actions = el('span');
    if (isAdmin()) {
      const replay = el('button', 'Replay');
      replay.addEventListener('click', () => resolve(letter.id, 'replay'));
      const discard = el('button', 'Discard');
      discard.addEventListener('click', () => resolve(letter.id, 'discard'));
      actions.append(replay, ' ', discard);
    }
    body.appendChild(row([letter.id, letter.runId, letter.stage, letter.source, letter.recordId, letter.reason, actions]));
  }
}

async function resolve(id, what) {
  await api('/api/dead-letters/' + id + '/' + what, {method: 'POST'});
  refresh();
}

async function searchProfiles(event) {
  event.preventDefault();
  const found = await api('/api/profiles?q=' + encodeURIComponent($('profile-query').value));
  const list = $('profile-results');
  list.replaceChildren();
  for (const p of found) {
    const item = el('li', (p.name || p.email || p.profileId) + ' — ' + (p.company || '') + ' — score '
      + (p.score === undefined || p.score === null ? '-' : p.score) + ' ' + (p.grade || ''));
    item.dataset.profile = p.profileId;
    item.addEventListener('click', () => showProfile(p.profileId));
    list.appendChild(item);
  }
  if (found.length === 0) list.appendChild(el('li', 'no profile matches'));
}

async function showProfile(id) {
  const p = await api('/api/profiles/' + encodeURIComponent(id));
  $('profile').hidden = false;
  const golden = p.golden || {};
  $('profile-title').textContent = ((golden.firstName || '') + ' ' + (golden.lastName || '')).trim() || golden.email || id;
  $('profile-score').textContent = p.score ? 'Score ' + p.score.score + ', grade ' + p.score.grade
    + ' (model ' + p.score.model + ')' : 'Not scored yet';
  $('profile-reasons').textContent = p.score ? p.score.reasons : '';
  const body = $('golden').tBodies[0];
  body.replaceChildren();
  const fields = {email: 'email', firstName: 'first-name', lastName: 'last-name', title: 'title', company: 'company',
    country: 'country'};
  for (const [field, source] of Object.entries(fields)) {
    if (golden[field]) body.appendChild(row([field, golden[field], (p.sources || {})[source] || '']));
  }
  for (const [name, value] of Object.entries(golden.attributes || {})) {
    body.appendChild(row([name, value, (p.sources || {})[name] || '']));
  }
  const records = $('profile-records');
  records.replaceChildren();
  for (const r of p.records || []) records.appendChild(el('li', r.record + ' (' + r.stream + ', ' + r.reason + ')'));
  const history = $('profile-history');
  history.replaceChildren();
  for (const h of p.history || []) history.appendChild(el('li', h.changedAt.substring(0, 19).replace('T', ' ') + ': '
    + h.score + ' ' + h.grade + ' — ' + h.reasons));
}

document.addEventListener('DOMContentLoaded', async () => {
  $('sign-in').addEventListener('submit', signIn);
  $('sign-out').addEventListener('click', signOut);
  $('profile-search').addEventListener('submit', searchProfiles);
  const response = await fetch('/dashboard/session', {credentials: 'same-origin', headers: {'Accept': 'application/json'}});
  if (response.ok) start(await response.json()); else showSignIn();
});
