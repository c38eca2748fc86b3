#!/usr/bin/env bash
# The nightly crawl for cron, with alerts that need no `mail` (README "Running it every night"):
#
#   MAILTO=""
#   15 1 * * * /srv/gov-crawler/deploy/cron-nightly.sh --all
#
# Runs `python -m crawler nightly ARGS` (default: --all) from the checkout this script is in.
# Scrapy's log goes to logs/nightly-YYYY-MM-DD.log, the run's own output (one summary line per
# site, errors) to logs/last-run.log and is appended to logs/summary.log. On a non-zero exit
# the alert goes out through `python -m crawler.monitors notify`, the same notifier as the
# crawl's Spidermon monitors: e-mail (SMTP), Slack or Telegram as configured by GOV_ALERT_* in
# the environment or .env. Its output is kept in logs/alerts.log; with no channel configured the
# alert is written there only. The script exits with the crawl's exit code.
#
# Optional environment: GOV_CRAWLER_HOME (the checkout; default: this script's parent folder),
# GOV_CRAWLER_PYTHON (default: $GOV_CRAWLER_HOME/.venv/bin/python), GOV_CRAWLER_LOG_DIR
# (default: $GOV_CRAWLER_HOME/logs), GOV_CRAWLER_ENV_FILE (KEY=value lines, sourced if present;
# default: $GOV_CRAWLER_HOME/.env), GOV_CRAWLER_NIGHTLY (the crawl command, split on spaces;
# default: "$GOV_CRAWLER_PYTHON -m crawler nightly").
set -u

home=${GOV_CRAWLER_HOME:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$home" || exit 1
env_file=${GOV_CRAWLER_ENV_FILE:-$home/.env}
if [ -f "$env_file" ]; then
  set -a
  # shellcheck disable=SC1090
  . "$env_file"
  set +a
fi
python=${GOV_CRAWLER_PYTHON:-$home/.venv/bin/python}
log_dir=${GOV_CRAWLER_LOG_DIR:-$home/logs}
mkdir -p "$log_dir" || exit 1
if [ -n "${GOV_CRAWLER_NIGHTLY:-}" ]; then
  read -r -a nightly <<< "$GOV_CRAWLER_NIGHTLY"
else
  nightly=("$python" -m crawler nightly)
fi
[ "$#" -gt 0 ] || set -- --all

last="$log_dir/last-run.log"
"${nightly[@]}" "$@" -s "LOG_FILE=$log_dir/nightly-$(date +%F).log" > "$last" 2>&1
rc=$?
cat "$last" >> "$log_dir/summary.log"

if [ "$rc" -ne 0 ]; then
  {
    echo "$(date '+%F %T') nightly exit $rc: sending the alert"
    "$python" -m crawler.monitors notify --exit-code "$rc" --log "$last"
    sent=$?
    [ "$sent" -eq 0 ] || echo "$(date '+%F %T') alert not fully delivered (notifier exit $sent)"
  } >> "$log_dir/alerts.log" 2>&1
fi
exit "$rc"
