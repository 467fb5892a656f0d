# shellcheck shell=bash
# Sourced, not run. Writes the httpd.conf of a Keystone under Apache mod_wsgi with mod_auth_openidc
# in front: the one Apache configuration of every Keystone this project runs (the test suites'
# scripts/apache-keystone.sh and the docker image's entrypoint). Everything lives in STATE; nothing
# touches /etc/apache2.
#   okf_keystone_httpd_conf FILE STATE LISTEN SERVER_NAME ERROR_LOG OIDC_INCLUDE [RUN_USER] [VENV]
# With VENV (a virtualenv of Debian's Python holding a Keystone from PyPI, scripts/keystone-pypi.sh)
# mod_wsgi runs that Keystone (python-home) instead of Debian's.
# Facts this relies on (docs/local-services.md): Apache must run as a non-root user that owns
# STATE; SQLite needs one WSGI process with one thread. OKF_WSGI_PROCESSES and OKF_WSGI_THREADS
# (default 1 and 1) size the daemon for a server database (OKF_KEYSTONE_DB_URL).
okf_keystone_httpd_conf() {
  local file=$1 state=$2 listen=$3 server_name=$4 error_log=$5 oidc=$6 run_user=${7:-keystone} venv=${8:-}
  local home="" script=/usr/bin/keystone-wsgi-public
  local processes=${OKF_WSGI_PROCESSES:-1} threads=${OKF_WSGI_THREADS:-1}
  if { [ "$processes" != 1 ] || [ "$threads" != 1 ]; } && [ -z "${OKF_KEYSTONE_DB_URL:-}" ]; then
    echo "keystone-httpd-conf: OKF_WSGI_PROCESSES/OKF_WSGI_THREADS above 1 need a server database; set OKF_KEYSTONE_DB_URL (scripts/postgres.sh)" >&2
    return 2
  fi
  if [ -n "$venv" ]; then
    home=" python-home=$venv"
    script=$("$venv/bin/python" -c 'import keystone.wsgi.api as m; print(m.__file__)')
  fi
  cat >"$file" <<CONF
ServerRoot "/etc/apache2"
ServerName $server_name
PidFile $state/httpd.pid
Listen $listen
User $run_user
Group $run_user
ErrorLog $error_log
LogLevel warn auth_openidc:info
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule authn_core_module /usr/lib/apache2/modules/mod_authn_core.so
LoadModule authz_user_module /usr/lib/apache2/modules/mod_authz_user.so
LoadModule env_module /usr/lib/apache2/modules/mod_env.so
LoadModule headers_module /usr/lib/apache2/modules/mod_headers.so
LoadModule mime_module /usr/lib/apache2/modules/mod_mime.so
LoadModule wsgi_module /usr/lib/apache2/modules/mod_wsgi.so
LoadModule auth_openidc_module /usr/lib/apache2/modules/mod_auth_openidc.so
TypesConfig /etc/mime.types
# No persistent connections: Node's fetch pools them, and a pooled connection Apache has already
# closed fails the next request with "other side closed" (seen in the system suite after 401s).
KeepAlive Off
# One process, one thread for Keystone's SQLite database; more only with a server database.
WSGIDaemonProcess keystone processes=$processes threads=$threads user=$run_user group=$run_user display-name=okf-keystone$home
WSGIScriptAlias / $script process-group=keystone application-group=%{GLOBAL}
WSGIApplicationGroup %{GLOBAL}
WSGIPassAuthorization On
Include $oidc
CONF
}
