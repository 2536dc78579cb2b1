#!/usr/bin/env bash
# Starts the web server and the worker side by side; Ctrl-C (or either one dying) stops both.
set -u
VENV=${VENV:-.venv}
"$VENV/bin/tongchou" serve --bind "127.0.0.1:${PORT:-8000}" &
web=$!
"$VENV/bin/tongchou" worker &
worker=$!
stop() { kill -TERM "$web" "$worker" 2>/dev/null; wait "$web" "$worker" 2>/dev/null; }
trap 'stop; exit 0' INT TERM
wait -n "$web" "$worker"
stop
