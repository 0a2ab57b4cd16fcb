#!/bin/sh
# Entrypoint of the Revenge image: the first argument names the process to run (default: all).
#   web      migrate (unless REVENGE_MIGRATE_ON_START=0), collect static files, ensure the admin, gunicorn
#   worker   the Celery worker (REVENGE_WORKER_CONCURRENCY processes, default 2)
#   beat     the Celery beat scheduler (run exactly one)
#   watcher  the folder watcher (inotify; run one, on the host or node that has the media mounted)
#   migrate  apply migrations and ensure the admin, then exit (compose's one-shot, the Helm hook Job)
#   manage   python manage.py with the remaining arguments, e.g. `manage createsuperuser`
#   all      the embedded single container: setup, then web, worker, beat and watcher under honcho
# Anything else is run as a command, e.g. `sh` for a shell in the image.
set -e

cd /app

run_migrate() {
    python manage.py migrate --no-input
}

run_collectstatic() {
    python manage.py collectstatic --no-input -v0
}

run_ensure_admin() {
    python manage.py ensure_admin
}

command="${1:-all}"
if [ "$#" -gt 0 ]; then
    shift
fi

case "$command" in
    web)
        if [ "${REVENGE_MIGRATE_ON_START:-1}" != "0" ]; then
            run_migrate
        fi
        run_collectstatic
        run_ensure_admin
        exec gunicorn -c gunicorn.conf.py "$@"
        ;;
    worker)
        exec celery -A revenge worker -Q "${REVENGE_WORKER_QUEUES:-celery,notifications,transcode}" --loglevel=INFO --concurrency="${REVENGE_WORKER_CONCURRENCY:-2}" "$@"
        ;;
    beat)
        exec celery -A revenge beat --loglevel=INFO "$@"
        ;;
    watcher)
        exec python manage.py watch_libraries "$@"
        ;;
    migrate)
        run_migrate
        run_ensure_admin
        ;;
    manage)
        exec python manage.py "$@"
        ;;
    all)
        run_migrate
        run_collectstatic
        run_ensure_admin
        exec honcho start -f Procfile "$@"
        ;;
    *)
        exec "$command" "$@"
        ;;
esac
