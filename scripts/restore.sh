#!/bin/sh
# Restore a dump made by scripts/backup.sh into the database of DATABASE_URL. The database's
# public schema is dropped and created again first, with everything in it, so the dump comes back
# exactly: also into a database that was migrated past the dump's version (undoing an upgrade),
# where restoring table by table stops on constraints the newer schema added. One transaction: on
# any error nothing changes. Stop the app first (docker compose stop web) and start it after; its
# start runs any newer migrations.
#
#   DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/NAME scripts/restore.sh [--yes] FILE.dump
#   DATABASE_URL='host=HOST dbname=NAME user=USER' PGPASSWORD=… scripts/restore.sh [--yes] FILE.dump
# (the second form for a password with characters a URL would have to percent-encode)
#
# Without --yes it asks for confirmation, and refuses when it cannot ask (no terminal). Needs
# pg_restore and psql, and room in $TMPDIR for the dump as SQL (pg_restore writes it there first,
# so that a damaged archive is found before anything is touched). The user of DATABASE_URL must
# own the database (or be a superuser) to drop its public schema.
set -eu

: "${DATABASE_URL:?set DATABASE_URL, e.g. postgres://user:password@host:5432/name or 'host=HOST dbname=NAME user=USER' with PGPASSWORD}"
confirmed=no
if [ "${1:-}" = "--yes" ]; then
    confirmed=yes
    shift
fi
file="${1:?usage: restore.sh [--yes] FILE.dump}"
if [ ! -r "$file" ]; then
    echo "restore.sh: cannot read $file" >&2
    exit 1
fi
if [ "$confirmed" != yes ]; then
    if [ ! -t 0 ]; then
        echo "restore.sh: this replaces the database's contents; add --yes to do it without asking" >&2
        exit 1
    fi
    printf 'Drop everything in the database and restore %s? Type yes: ' "$file"
    read -r answer
    [ "$answer" = yes ] || exit 1
fi

sql="$(mktemp "${TMPDIR:-/tmp}/restore.XXXXXX")"
trap 'rm -f "$sql"' EXIT
pg_restore --no-owner --no-privileges --exit-on-error --file="$sql" "$file"

# The schema as PostgreSQL 15 creates it: owned by the database's owner, usable by everyone
# (pg_database_owner exists from PostgreSQL 14 on).
empty_schema="SET client_min_messages = warning;
DROP SCHEMA IF EXISTS public CASCADE;
CREATE SCHEMA public AUTHORIZATION pg_database_owner;
GRANT USAGE ON SCHEMA public TO PUBLIC;
COMMENT ON SCHEMA public IS 'standard public schema';"
# Pages cached from the data before the restore must not be served for the restored data: the
# public-data generation (gcm_tracker/tracker/cache.py) moves past every number used so far. A
# dump older than the table has none; the app then starts one from the clock.
new_generation="DO \$\$ BEGIN
  IF to_regclass('public.tracker_publicgeneration') IS NOT NULL THEN
    UPDATE public.tracker_publicgeneration SET number = GREATEST(
      number + 1, (extract(epoch FROM clock_timestamp()) * 1000000000)::bigint);
  END IF;
END \$\$;"

psql --no-psqlrc --quiet --single-transaction --set=ON_ERROR_STOP=1 --output=/dev/null \
    --dbname="$DATABASE_URL" --command="$empty_schema" --file="$sql" --command="$new_generation"
echo "restored $file"
