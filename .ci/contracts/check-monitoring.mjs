// The dashboard and the alert rules in docs/monitoring against the README's metric table, the contract of what the
// connector exports (issue 17). Every PromQL expression of the Grafana dashboard (panel queries and variable queries)
// and of the alert rules is parsed with Prometheus' own PromQL grammar (@prometheus-io/lezer-promql, the parser of
// Prometheus' and Grafana's query editors), and
//   - must parse;
//   - may only select metrics the table names (with the suffixes its Type column gives: `_bucket`, `_count`, …) or
//     Prometheus' own `up` and `ALERTS`, and no metric through a __name__ matcher, which would hide its name;
//   - may only match and group by labels those metrics have: their Tags (only the tag names, not their values), job
//     and instance (added by the scrape), le on a histogram's buckets.
// The dashboard must also use its Prometheus datasource variable everywhere (no datasource uid of one Grafana) and show
// every metric of the table. promtool checks the rules' syntax and behaviour (.ci/check-monitoring); this checks names.
// Exits 1 on any finding.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parser } from '@prometheus-io/lezer-promql';
import yaml from 'js-yaml';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DASHBOARD = 'docs/monitoring/grafana/ultracart-connector.json';
const RULES = 'docs/monitoring/prometheus/alerts.yml';
const SCRAPE_LABELS = ['job', 'instance'];
// Series Prometheus makes itself: the scrape's health, and the alerts of the loaded rules (any label of a rule).
const PROMETHEUS_OWN = new Map([['up', new Set(SCRAPE_LABELS)], ['ALERTS', null]]);
// Grafana's interval variables stand where PromQL wants a duration; other variables only inside label values.
const GRAFANA_DURATION = /\$(__rate_interval|__interval|__range)\b|\$\{(__rate_interval|__interval|__range)\}/g;

const findings = [];
const problem = (where, message) => findings.push(`${where}: ${message}`);

// The README's metric table: | `name` | type (`_suffix`, …) | `tag` (values), … | what |.
const metrics = new Map(); // exported series name -> { base, labels: Set | null }
const baseNames = new Set();
{
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  for (const line of readme.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    const name = /^`(ultracart_connector_[a-z_]+)`$/.exec(cells[1] ?? '');
    if (!name) continue;
    const base = name[1];
    const suffixes = [...(cells[2] ?? '').matchAll(/`(_[a-z]+)`/g)].map((m) => m[1]);
    // Tag names are the backticked words outside parentheses; those inside are example values.
    const tags = [...(cells[3] ?? '').replace(/\([^)]*\)/g, '').matchAll(/`([a-z_]+)`/g)].map((m) => m[1]);
    baseNames.add(base);
    const labels = new Set([...tags, ...SCRAPE_LABELS]);
    for (const series of suffixes.length > 0 ? suffixes.map((s) => base + s) : [base]) {
      metrics.set(series, { base, labels: series.endsWith('_bucket') ? new Set([...labels, 'le']) : labels });
    }
  }
  if (baseNames.size === 0) problem('README.md', 'no metric table found');
}

const used = new Set();

// Checks one PromQL expression; `where` names it in findings.
function checkExpression(where, source) {
  const expr = source.replace(GRAFANA_DURATION, '5m');
  const tree = parser.parse(expr);
  const selected = [];
  const grouping = [];
  let syntaxError = null;
  tree.iterate({
    enter(node) {
      if (node.type.isError && syntaxError === null) syntaxError = node.from;
      if (node.name === 'VectorSelector') {
        const identifier = node.node.getChild('Identifier');
        const name = identifier ? expr.slice(identifier.from, identifier.to) : null;
        const labels = [];
        const matchers = node.node.getChild('LabelMatchers');
        if (matchers) {
          for (let m = matchers.firstChild; m; m = m.nextSibling) {
            const label = m.getChild('LabelName');
            if (label) labels.push(expr.slice(label.from, label.to));
          }
        }
        selected.push({ name, labels });
      } else if (node.name === 'GroupingLabels') {
        for (let l = node.node.firstChild; l; l = l.nextSibling) {
          if (l.name === 'LabelName') grouping.push(expr.slice(l.from, l.to));
        }
      }
    },
  });
  if (syntaxError !== null) {
    problem(where, `not valid PromQL at ${JSON.stringify(expr.slice(syntaxError, syntaxError + 30))}: ${source}`);
    return;
  }
  const allowed = new Set();
  let anyLabel = false;
  for (const { name, labels } of selected) {
    if (name === null || labels.includes('__name__')) {
      problem(where, `selects a metric by __name__; name it: ${source}`);
      continue;
    }
    let known;
    if (PROMETHEUS_OWN.has(name)) {
      known = PROMETHEUS_OWN.get(name);
    } else if (metrics.has(name)) {
      known = metrics.get(name).labels;
      used.add(metrics.get(name).base);
    } else {
      problem(where, `metric ${name} is not in the README's metric table (nor Prometheus' up or ALERTS)`);
      continue;
    }
    if (known === null) {
      anyLabel = true;
      continue;
    }
    known.forEach((label) => allowed.add(label));
    for (const label of labels) {
      if (!known.has(label)) problem(where, `${name} has no label ${label}`);
    }
  }
  if (!anyLabel) {
    for (const label of grouping) {
      if (!allowed.has(label)) problem(where, `groups by ${label}, a label none of its metrics has`);
    }
  }
}

// 1. The dashboard.
let dashboardExpressions = 0;
{
  const dashboard = JSON.parse(readFileSync(join(repo, DASHBOARD), 'utf8'));
  const variables = dashboard.templating?.list ?? [];
  const datasourceVariable = variables.find((v) => v.type === 'datasource' && v.query === 'prometheus');
  if (!datasourceVariable) problem(DASHBOARD, 'no Prometheus datasource variable');
  const own = `\${${datasourceVariable?.name}}`;
  // Every datasource reference but Grafana's built-in annotations is the variable, never one installation's uid.
  const checkDatasource = (where, datasource) => {
    if (datasource === undefined) return;
    if (datasource?.uid !== own || datasource?.type !== 'prometheus') {
      problem(where, `datasource ${JSON.stringify(datasource)} is not {"type":"prometheus","uid":"${own}"}`);
    }
  };
  const walk = (panels) => {
    for (const panel of panels ?? []) {
      const where = `${DASHBOARD}: panel "${panel.title}"`;
      checkDatasource(where, panel.datasource);
      for (const target of panel.targets ?? []) {
        checkDatasource(`${where} ${target.refId}`, target.datasource);
        if (typeof target.expr !== 'string' || target.expr.trim() === '') {
          problem(`${where} ${target.refId}`, 'a query without a PromQL expression');
          continue;
        }
        dashboardExpressions++;
        checkExpression(`${where} ${target.refId}`, target.expr);
      }
      walk(panel.panels);
    }
  };
  walk(dashboard.panels);
  for (const variable of variables.filter((v) => v.type === 'query')) {
    const where = `${DASHBOARD}: variable ${variable.name}`;
    checkDatasource(where, variable.datasource);
    const query = typeof variable.query === 'string' ? variable.query : variable.query?.query;
    // Grafana's label_values(selector, label) and query_result(expr) wrap PromQL.
    const wrapped = /^\s*(?:label_values\((.*),\s*[a-zA-Z_][a-zA-Z0-9_]*\s*\)|query_result\((.*)\))\s*$/s.exec(query ?? '');
    if (!wrapped) {
      problem(where, `not label_values(…) or query_result(…): ${query}`);
      continue;
    }
    dashboardExpressions++;
    checkExpression(where, wrapped[1] ?? wrapped[2]);
  }
  if (!(dashboard.schemaVersion >= 39)) problem(DASHBOARD, `schemaVersion ${dashboard.schemaVersion}: older than Grafana 11`);
  for (const base of baseNames) {
    if (!used.has(base)) problem(DASHBOARD, `shows no ${base} (every metric of the README's table has a panel)`);
  }
}

// 2. The alert rules.
let ruleExpressions = 0;
{
  const rules = yaml.load(readFileSync(join(repo, RULES), 'utf8'));
  for (const group of rules.groups ?? []) {
    for (const rule of group.rules ?? []) {
      ruleExpressions++;
      checkExpression(`${RULES}: ${rule.alert ?? rule.record}`, String(rule.expr));
    }
  }
  if (ruleExpressions === 0) problem(RULES, 'no rules');
}

for (const finding of findings) console.log(`monitoring: ${finding}`);
if (findings.length > 0) {
  console.log(`monitoring: FAILED: ${findings.length} finding(s) in ${DASHBOARD} and ${RULES}`);
  process.exit(1);
}
console.log(`monitoring: ${dashboardExpressions} dashboard and ${ruleExpressions} rule expressions parse and use only`
  + ` metrics and labels of the README's table (${baseNames.size} metrics, every one on the dashboard), up and ALERTS`);
