# Design tokens: regenerate static/css/tokens.css from @digital-go-jp/design-tokens.
# Needs Node/npm only here; the generated file is committed, so running the
# portal needs no npm.
.PHONY: tokens
tokens: ## Regenerate static/css/tokens.css from the npm design tokens
	npm ci --no-audit --no-fund
	node scripts/build-tokens.mjs
