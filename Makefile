# Set-up and everyday commands. `make run` and `make test` are the two a fresh machine needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Another port: `make run PORT=8006` (and `make demo PORT=8006`); the links in e-mails sent
# outside a request (commands such as create_contributor) follow it unless DJANGO_SITE_URL is set.
PORT ?= 8000
run demo: export DJANGO_SITE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: run test install lint format migrations-check seed demo admin axe bench messages compilemessages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# The interface's catalogues (docs/translating.md). `make messages` brings every locale/*/django.po
# up to date with the strings marked in the code and templates; translators then fill them in.
# Tests compare the catalogues with this very command (tests/i18n), so change it in both places.
LOCALES := --locale fr --locale ru --locale zh_Hans
MAKEMESSAGES_IGNORE := --ignore ".venv/*" --ignore "tests/*" --ignore "bench/*" \
	--ignore "*/node_modules/*" --ignore "static/vendor/*"
messages: install
	$(BIN)/python manage.py makemessages $(LOCALES) --add-location file $(MAKEMESSAGES_IGNORE)

# The compiled catalogues (.mo) are not committed: `make run` and `make test` build them (with
# GNU gettext's msgfmt, or Babel when it is missing: gcm_tracker/i18n/management/commands).
compilemessages: install
	$(BIN)/python manage.py compilemessages --ignore ".venv/*" --ignore "*/node_modules/*"

run: install compilemessages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_seed
	$(BIN)/python manage.py build_open_data --if-changed
	@echo
	@echo "GCM Tracker: http://127.0.0.1:$(PORT)/  (admin screens: http://127.0.0.1:$(PORT)/admin/)"
	@echo "To try the roles, run in another terminal:  make demo   (an admin login: make admin)"
	@echo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# axe-core and Lighthouse for the browser accessibility audits (tests/browser/package-lock.json);
# without npm those tests say they were skipped.
AXE := tests/browser/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --prefix tests/browser --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the browser accessibility tests will be skipped"; fi

axe: $(AXE)

test: install axe compilemessages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

admin: install
	$(BIN)/python manage.py createsuperuser

seed: install
	$(BIN)/python manage.py load_seed

# Demo accounts (staff, two contributors) with new passwords and a little content; development
# databases only (README, "The first five minutes").
demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo

lint: install
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

# The benchmark (PostgreSQL on 127.0.0.1:5432 and Debian's wrk needed); see docs/performance.md.
bench: install
	$(BIN)/python bench/run.py --sizes 1000 20000 200000
