# The two commands a newcomer needs are `make start` and `make test` (see README.md).
.PHONY: start test bootstrap lint

start:
	@scripts/bootstrap
	@.venv/bin/disrupt start

test:
	@scripts/bootstrap --test
	@scripts/test

bootstrap:
	@scripts/bootstrap --test

lint:
	@.venv/bin/ruff check src
	@.venv/bin/mypy src
