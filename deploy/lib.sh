# Shared by deploy/install-debian and deploy/ci-check-install, so that CI exercises the
# installer's own steps. Sourced, not run.

# Marks a Caddyfile as the installer's (it replaces only its own, keeping others aside).
CADDY_MARK="# Installed by Jemput's deploy/install-debian"

# Worker processes of `jemput serve`: one per core, at most four (serving.default_workers).
default_workers() {
  local cores
  cores="$(nproc 2>/dev/null || echo 1)"
  [ "$cores" -le 4 ] || cores=4
  echo "$cores"
}

# install_jemput SRC PREFIX: Jemput and its dependencies into PREFIX/venv, from SRC.
install_jemput() {
  local src="$1" prefix="$2"
  [ -x "$prefix/venv/bin/python" ] || python3 -m venv "$prefix/venv"
  # Built from a copy, so the checkout gets no build/ or egg-info from root; installed
  # non-editable, so the service never runs code from the checkout.
  local build
  build="$(mktemp -d)"
  cp -a "$src/pyproject.toml" "$src/README.md" "$src/src" "$build/"
  local pip=("$prefix/venv/bin/pip" --quiet --disable-pip-version-check)
  "${pip[@]}" wheel --no-deps --wheel-dir "$build/dist" "$build"
  # --force-reinstall --no-deps: the same version number with new code still replaces
  # the installed Jemput; then its dependencies, upgraded only where pyproject asks.
  "${pip[@]}" install --no-deps --force-reinstall "$build"/dist/jemput-*.whl
  "${pip[@]}" install "$build"/dist/jemput-*.whl
  rm -rf "$build"
}

# setup_database DEPLOY ENV_FILE ROLE DB PSQL...: the role (password from ENV_FILE's URL)
# and its database, idempotent.
setup_database() {
  local deploy="$1" env_file="$2" role="$3" db="$4"
  shift 4
  JEMPUT_DB_PASSWORD="$("$deploy/make-env" db-password "$env_file")" \
    "$@" --quiet --no-psqlrc -v role="$role" -v db="$db" <"$deploy/postgres-setup.sql" >/dev/null
}

# run_jemput PREFIX ENV_FILE ARGS...: a jemput command with the env file's settings.
run_jemput() {
  local prefix="$1" env_file="$2"
  shift 2
  ( set -a; . "$env_file"; set +a; exec "$prefix/venv/bin/jemput" "$@" )
}

# render_unit TEMPLATE PREFIX DATA_DIR ENV_FILE WORKERS: the unit with this install's paths.
render_unit() {
  sed -e "s#/opt/jemput/#$2/#g" -e "s#/var/lib/jemput#$3#g" \
      -e "s#/etc/jemput/jemput.env#$4#g" -e "s#--workers 2 #--workers $5 #" "$1"
}

# render_caddyfile TEMPLATE SITE: the Caddyfile serving SITE ("name, address, ...").
render_caddyfile() {
  echo "$CADDY_MARK; re-running it rewrites this file."
  sed -e "s#{\$JEMPUT_SITE:localhost}#$2#" "$1"
}

# render_admin_command PREFIX ENV_FILE DATA_DIR: /usr/local/bin/jemput, the service's own
# settings and user for every command the README shows (`sudo jemput users create ...`).
render_admin_command() {
  cat <<SCRIPT
#!/bin/sh
# Jemput's command line with the service's settings, as the service's user, so that the
# files it writes stay readable by the service. Installed by deploy/install-debian.
set -eu
if [ "\$(id -u)" = 0 ]; then exec runuser -u jemput -- "\$0" "\$@"; fi
# Jemput looks for an optional .env in the current folder; in one this user may not
# enter (root's home) that look fails, so start from the data folder instead.
if [ ! -r . ] || [ ! -x . ]; then cd "$3"; fi
set -a; . "$2"; set +a
exec "$1/venv/bin/jemput" "\$@"
SCRIPT
}
