#!/bin/sh
# Restore a dump made by scripts/backup.sh into the database of DATABASE_URL, replacing the
# tables, data, sequences and triggers the dump holds. One transaction: on any error nothing
# changes. Stop the app first (docker compose stop web) and start it after; its start runs any
# newer migrations.
#
#   DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/NAME scripts/restore.sh [--yes] FILE.dump
#
# Without --yes it asks for confirmation, and refuses when it cannot ask (no terminal). Tables
# that are not in the dump are left alone: for an exact copy, restore into a new, empty database.
set -eu

: "${DATABASE_URL:?set DATABASE_URL, e.g. postgres://user:password@host:5432/name}"
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
    printf 'Replace the contents of the database with %s? Type yes: ' "$file"
    read -r answer
    [ "$answer" = yes ] || exit 1
fi

pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error \
    --dbname="$DATABASE_URL" "$file"
echo "restored $file"
